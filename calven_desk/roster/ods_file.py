"""OpenDocument spreadsheets (.ods) read cell by cell, keeping only the cells that hold something.

An .ods says "this row 1,048,570 times" or "this cell 16,384 times" in a few bytes: calamine
expanded that into a grid (and refused past 100 million cells, which still is gigabytes). Here a
repeated blank costs nothing, and a repeated value is kept once per row it really fills, within
MAX_ROWS and MAX_COLUMNS. Text is read in pieces and stops at MAX_CELL_CHARS.
"""

from __future__ import annotations

import xml.parsers.expat
from datetime import date, datetime, time, timedelta

from calven_desk.roster.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    cell_name,
    too_far_down,
    too_far_right,
    too_long,
)
from calven_desk.roster.model import CellValue, Rows
from calven_desk.roster.packed import Package, damaged

_PIECE = 1024 * 1024
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _number(text: str | None, default: int = 1) -> int:
    try:
        return max(1, int(text)) if text else default
    except ValueError:
        return default


class OdsBook:
    """Every sheet of the file in one pass over content.xml (sheets are read in order)."""

    def __init__(self, package: Package) -> None:
        self.path = package.path
        name = package.find("content.xml")
        if name is None:
            raise damaged(self.path)
        self.names: list[str] = []
        self.visible: list[str] = []
        self.sheets: dict[str, Rows] = {}
        self._hidden_styles: set[str] = set()
        self._style = ""
        self._rows: Rows = []
        self._row = 0  # index of the next row
        self._repeat_rows = 1
        self._cells: list[CellValue] = []
        self._column = 0
        self._repeat_cells = 1
        self._value: CellValue = None
        self._text: list[str] = []
        self._length = 0
        self._paragraphs = 0
        self._in_cell = False
        self._in_paragraph = 0
        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._chars

        def no_doctype(*_: object) -> None:
            raise damaged(self.path)

        parser.StartDoctypeDeclHandler = no_doctype
        with package.open(name) as stream:
            try:
                while piece := stream.read(_PIECE):
                    parser.Parse(piece, False)
                parser.Parse(b"", True)
            except xml.parsers.expat.ExpatError:
                raise damaged(self.path) from None

    def rows(self, name: str) -> Rows:
        return self.sheets[name]

    # --- expat's handlers ---------------------------------------------------------------------

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        space, _, local = tag.rpartition(" ")
        if space == _TABLE:
            if local == "table-row":
                self._cells = []
                self._column = 0
                self._repeat_rows = _number(attributes.get(f"{_TABLE} number-rows-repeated"))
            elif local in ("table-cell", "covered-table-cell"):
                self._in_cell = True
                self._repeat_cells = _number(attributes.get(f"{_TABLE} number-columns-repeated"))
                self._value = self._typed(attributes)
                self._text = []
                self._length = 0
                self._paragraphs = 0
            elif local == "table":
                table = attributes.get(f"{_TABLE} name", f"Sheet{len(self.names) + 1}")
                self.names.append(table)
                if attributes.get(f"{_TABLE} style-name") not in self._hidden_styles:
                    self.visible.append(table)
                self._rows = []
                self.sheets[table] = self._rows
                self._row = 0
        elif space == _TEXT and self._in_cell:
            if local == "p":
                if self._paragraphs:
                    self._add("\n")
                self._paragraphs += 1
                self._in_paragraph += 1
            elif local == "s":
                self._add(" " * min(_number(attributes.get(f"{_TEXT} c")), MAX_CELL_CHARS + 1))
            elif local == "tab":
                self._add("\t")
            elif local == "line-break":
                self._add("\n")
        elif space == _STYLE:
            if local == "style":
                self._style = attributes.get(f"{_STYLE} name", "")
            elif local == "table-properties" and attributes.get(f"{_TABLE} display") == "false":
                self._hidden_styles.add(self._style)

    def _typed(self, attributes: dict[str, str]) -> CellValue:
        kind = attributes.get(f"{_OFFICE} value-type")
        try:
            if kind in ("float", "percentage", "currency"):
                return float(attributes.get(f"{_OFFICE} value", ""))
            if kind == "date":
                text = attributes.get(f"{_OFFICE} date-value", "")
                moment = datetime.fromisoformat(text)
                if "T" not in text:
                    return moment.date()
                return moment
            if kind == "time":
                return _duration(attributes.get(f"{_OFFICE} time-value", ""))
            if kind == "boolean":
                return attributes.get(f"{_OFFICE} boolean-value", "") == "true"
        except ValueError:
            return None
        return None  # text: from the paragraphs

    def _add(self, text: str) -> None:
        self._length += len(text)
        if self._length > MAX_CELL_CHARS:
            raise too_long(self.path, f"cell {cell_name(self._row, self._column)}")
        self._text.append(text)

    def _chars(self, data: str) -> None:
        if self._in_cell and self._in_paragraph:
            self._add(data)

    def _end(self, tag: str) -> None:
        space, _, local = tag.rpartition(" ")
        if space == _TEXT and local == "p" and self._in_paragraph:
            self._in_paragraph -= 1
        if space != _TABLE:
            return
        if local in ("table-cell", "covered-table-cell"):
            self._in_cell = False
            value = self._value if self._value is not None else "".join(self._text)
            blank = value is None or (isinstance(value, str) and not value.strip())
            if not blank:
                last = self._column + self._repeat_cells - 1
                if last >= MAX_COLUMNS:
                    raise too_far_right(self.path, self._row, max(self._column, MAX_COLUMNS))
                if len(self._cells) < self._column:
                    self._cells.extend([None] * (self._column - len(self._cells)))
                self._cells.extend([value] * self._repeat_cells)
            self._column += self._repeat_cells
        elif local == "table-row":
            if self._cells:
                if self._row + self._repeat_rows > MAX_ROWS:
                    raise too_far_down(self.path)
                for offset in range(self._repeat_rows):
                    self._rows.append((self._row + offset, self._cells))
            self._row += self._repeat_rows


def _duration(text: str) -> CellValue:
    """An ISO 8601 duration such as PT09H30M00S, as a time of day when under a day."""
    rest = text.upper().lstrip("P")
    days_text, _, clock = rest.partition("T")
    days = float(days_text.rstrip("D") or 0) if "D" in days_text else 0.0
    hours = minutes = seconds = 0.0
    number = ""
    for char in clock:
        if char.isdigit() or char == ".":
            number += char
        elif char in "HMS" and number:
            value = float(number)
            hours, minutes, seconds = (
                (value, minutes, seconds)
                if char == "H"
                else (hours, value, seconds)
                if char == "M"
                else (hours, minutes, value)
            )
            number = ""
    span = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if timedelta(0) <= span < timedelta(days=1):
        return (datetime.combine(date.min, time()) + span).time()
    return span
