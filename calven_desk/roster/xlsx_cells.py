"""An xlsx/xlsm sheet read cell by cell, keeping only the cells that hold something.

For the sheets calamine must not lay out (`xlsx_scan.py`): a stray value far from the roster, cells
that do not name their place, text that may be too long. Expat hands the XML over in pieces, so
no cell's text is held past MAX_CELL_CHARS, and only the rows that hold a value are kept. Dates
follow the cell's number format as Excel shows them (1900 or 1904 date system).
"""

from __future__ import annotations

import contextlib
import re
import xml.parsers.expat
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from typing import IO

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

#: Rows that hold something, as (index from 0, cells from column A).
#: Small parts (the workbook, its links, styles) are read whole; larger ones are not real.
SMALL_PART_BYTES = 64 * 1024 * 1024
_PIECE = 1024 * 1024
#: Excel's built-in number formats that show a date or a time.
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")


def _local(name: str) -> str:
    return name.rpartition(":")[2].rpartition(" ")[2]


def _parser(path: Path) -> xml.parsers.expat.XMLParserType:
    """Expat, refusing a DOCTYPE (no spreadsheet has one; entity tricks start there)."""
    parser = xml.parsers.expat.ParserCreate()
    parser.buffer_text = True

    def no_doctype(*_: object) -> None:
        raise damaged(path)

    parser.StartDoctypeDeclHandler = no_doctype
    return parser


def _feed(parser: xml.parsers.expat.XMLParserType, stream: IO[bytes], path: Path) -> None:
    try:
        while piece := stream.read(_PIECE):
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError:
        raise damaged(path) from None


def _small(package: Package, name: str) -> bytes:
    if package.zip.getinfo(name).file_size > SMALL_PART_BYTES:
        raise damaged(package.path)
    return package.read(name)


def _elements(package: Package, name: str, handle: Callable[[str, dict[str, str]], None]) -> None:
    """Call `handle(local name, attributes)` for each element of a small part."""
    parser = _parser(package.path)
    parser.StartElementHandler = lambda tag, attributes: handle(_local(tag), attributes)
    try:
        parser.Parse(_small(package, name), True)
    except xml.parsers.expat.ExpatError:
        raise damaged(package.path) from None


def _attribute(attributes: dict[str, str], name: str) -> str | None:
    for key, value in attributes.items():
        if _local(key) == name:
            return value
    return None


def _relations(package: Package, part: str) -> dict[str, str]:
    """A part's links (relationship id -> part name), from its `_rels` file."""
    folder = PurePosixPath(part).parent
    rels = package.find(str(folder / "_rels" / (PurePosixPath(part).name + ".rels")))
    found: dict[str, str] = {}
    if rels is None:
        return found

    def take(tag: str, attributes: dict[str, str]) -> None:
        if tag == "Relationship" and "Id" in attributes and "Target" in attributes:
            target = attributes["Target"]
            joined = target.lstrip("/") if target.startswith("/") else str(folder / target)
            found[attributes["Id"]] = _normal(joined)

    _elements(package, rels, take)
    return found


def _normal(name: str) -> str:
    parts: list[str] = []
    for piece in name.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


class XlsxBook:
    """What reading an xlsx sheet cell by cell needs: where each sheet is (and which are shown),
    the shared strings, which cell formats are dates and the date system. The strings and
    formats are read when a sheet is first read this way."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.path = package.path
        main = package.find("xl/workbook.xml")
        for target in _relations(package, "").values():
            if target.lower().endswith("workbook.xml"):
                main = package.find(target) or main
        if main is None:
            raise damaged(self.path)
        self.sheets: dict[str, str] = {}
        self.names: list[str] = []
        self.visible: list[str] = []
        self.date1904 = False
        links = _relations(package, main)
        self.styles_part = self.strings_part = None
        for target in links.values():
            lowered = target.lower()
            if lowered.endswith("styles.xml"):
                self.styles_part = package.find(target)
            elif lowered.endswith("sharedstrings.xml"):
                self.strings_part = package.find(target)

        def take(tag: str, attributes: dict[str, str]) -> None:
            if tag == "sheet":
                name, link = attributes.get("name"), _attribute(attributes, "id")
                part = package.find(links.get(link or "", ""))
                if name is None or part is None:
                    return
                self.names.append(name)
                self.sheets[name] = part
                if attributes.get("state", "visible") == "visible" and "worksheets/" in part:
                    self.visible.append(name)
            elif tag == "workbookPr":
                self.date1904 = attributes.get("date1904", "0").lower() in ("1", "true")

        _elements(package, main, take)
        self._dates: list[bool] | None = None
        self._strings: list[str] | None = None

    @property
    def dates(self) -> list[bool]:
        if self._dates is None:
            self._dates = self._date_styles(self.styles_part) if self.styles_part else []
        return self._dates

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = self._shared_strings(self.strings_part) if self.strings_part else []
        return self._strings

    def _date_styles(self, name: str) -> list[bool]:
        custom: dict[int, bool] = {}
        formats: list[bool] = []
        inside = [False]

        def take(tag: str, attributes: dict[str, str]) -> None:
            if tag == "numFmt":
                with contextlib.suppress(ValueError):
                    custom[int(attributes.get("numFmtId", "0"))] = _shows_date(
                        attributes.get("formatCode", "")
                    )
            elif tag == "cellXfs":
                inside[0] = True
            elif tag == "cellStyleXfs" or tag == "dxfs":
                inside[0] = False
            elif tag == "xf" and inside[0]:
                try:
                    number = int(attributes.get("numFmtId", "0"))
                except ValueError:
                    number = 0
                formats.append(custom.get(number, number in _DATE_FORMAT_IDS))

        _elements(self.package, name, take)
        return formats

    def _shared_strings(self, name: str) -> list[str]:
        strings: list[str] = []
        text: list[str] = []
        length = [0]
        state = {"si": False, "t": False, "rPh": False}

        def start(tag: str, _attributes: dict[str, str]) -> None:
            tag = _local(tag)
            if tag == "si":
                state["si"] = True
                text.clear()
                length[0] = 0
            elif tag in ("t", "rPh"):
                state[tag] = True

        def end(tag: str) -> None:
            tag = _local(tag)
            if tag == "si":
                strings.append("".join(text))
                state["si"] = False
            elif tag in ("t", "rPh"):
                state[tag] = False

        def chars(data: str) -> None:
            if state["si"] and state["t"] and not state["rPh"]:
                length[0] += len(data)
                if length[0] > MAX_CELL_CHARS:
                    raise too_long(self.path, f"shared text {len(strings) + 1:,}")
                text.append(data)

        parser = _parser(self.path)
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        with self.package.open(name) as stream:
            _feed(parser, stream, self.path)
        return strings

    def serial(self, number: float, style: int) -> CellValue:
        """A number as the cell shows it: a date, a date and time, or a time when its format
        is one."""
        if not (0 <= style < len(self.dates) and self.dates[style]) or number < 0:
            return number
        whole = int(number)
        if self.date1904:
            day = date(1904, 1, 1) + timedelta(days=whole)
        elif whole < 60:
            day = date(1899, 12, 31) + timedelta(days=whole)
        else:  # Excel counts 29 February 1900, which never was
            day = date(1899, 12, 30) + timedelta(days=whole)
        seconds = round((number - whole) * 86400)
        if seconds >= 86400:
            return datetime.combine(day, time()) + timedelta(seconds=seconds)
        if whole == 0 and seconds:
            return (datetime.min + timedelta(seconds=seconds)).time()
        if seconds:
            return datetime.combine(day, time()) + timedelta(seconds=seconds)
        return day

    def rows(self, sheet: str) -> Rows:
        return _SheetReader(self, self.sheets[sheet]).read()


def _shows_date(code: str) -> bool:
    bare = _QUOTED.sub("", code).lower()
    return bare != "general" and any(letter in bare for letter in "dmyhs")


class _SheetReader:
    """Expat's handlers for one sheet; `read` gives its rows that hold a value."""

    def __init__(self, book: XlsxBook, part: str) -> None:
        self.book = book
        self.part = part
        self.rows: Rows = []
        self.row = -1
        self.column = -1
        self.cells: list[CellValue] = []
        self.kind = "n"
        self.style = 0
        self.text: list[str] = []
        self.length = 0
        self.taking = False  # inside <v>, or <t> of an inline string
        self.in_cell = False

    def read(self) -> Rows:
        parser = _parser(self.book.path)
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.chars
        with self.book.package.open(self.part) as stream:
            _feed(parser, stream, self.book.path)
        self._end_row()
        self.rows.sort(key=lambda pair: pair[0])  # rows in order, as the file should have them
        return self.rows

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        tag = _local(tag)
        if tag == "c":
            self.in_cell = True
            reference = _REF.match(attributes.get("r", ""))
            if reference:
                letters, number = reference.groups()
                row = int(number) - 1
                if row != self.row:
                    self._start_row(row)
                column = 0
                for letter in letters:
                    column = column * 26 + ord(letter) - 64
                self.column = column - 1
            else:
                self.column += 1
            self.kind = attributes.get("t", "n")
            try:
                self.style = int(attributes.get("s", "0"))
            except ValueError:
                self.style = 0
            self.text = []
            self.length = 0
        elif tag == "row":
            number = attributes.get("r")
            self._start_row(int(number) - 1 if number and number.isdigit() else self.row + 1)
        elif tag in ("v", "t") and self.in_cell:
            self.taking = True
        elif tag == "rPh":
            self.taking = False

    def chars(self, data: str) -> None:
        if self.taking:
            self.length += len(data)
            if self.length > MAX_CELL_CHARS:
                raise too_long(self.book.path, f"cell {cell_name(self.row, self.column)}")
            self.text.append(data)

    def end(self, tag: str) -> None:
        tag = _local(tag)
        if tag in ("v", "t"):
            self.taking = False
        elif tag == "c":
            self.in_cell = False
            self._cell("".join(self.text))

    def _start_row(self, row: int) -> None:
        self._end_row()
        if row >= MAX_ROWS:
            raise too_far_down(self.book.path)
        self.row = row
        self.column = -1
        self.cells = []

    def _end_row(self) -> None:
        if self.cells:
            self.rows.append((self.row, self.cells))
            self.cells = []

    def _cell(self, text: str) -> None:
        kind = self.kind
        value: CellValue
        if not text and kind != "inlineStr":
            return
        if kind == "s":
            try:
                value = self.book.strings[int(text)]
            except (ValueError, IndexError):
                return
        elif kind in ("str", "inlineStr", "e", "d"):
            value = text
        elif kind == "b":
            value = text.strip() in ("1", "true")
        else:
            try:
                value = self.book.serial(float(text), self.style)
            except (ValueError, OverflowError):
                value = text
        if isinstance(value, str) and not value.strip():
            return  # blank: a space far out must not widen the table
        if self.row < 0:
            self._start_row(0)
        if self.column >= MAX_COLUMNS:
            raise too_far_right(self.book.path, self.row, self.column)
        cells = self.cells
        if len(cells) < self.column:
            cells.extend([None] * (self.column - len(cells)))
        if len(cells) == self.column:
            cells.append(value)
        else:
            cells[self.column] = value
