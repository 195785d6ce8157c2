"""Save as: HR's own file back, with only the edited cells changed and each row's result beside it.

HR keeps the roster they exported, so saving must not turn it into another file. A workbook keeps
its sheets and their names, the title rows, the header row where it was, the column order, every
cell's value and type (dates stay date cells, numbers numbers, formulas formulas), column widths
and formats; an .xls, .xlsb or .ods saves as .xlsx with the same sheets and values. A CSV keeps its
delimiter, encoding and line endings, and every record nobody edited as the exact text it was read
from (quotes included), the results added after it. Only the cells the person edited change, and
the results go in columns after the roster's own (or into the result columns an earlier save added).

Formula protection never changes a value: in a workbook, text goes in as a text cell, which no
spreadsheet runs. A CSV has no cell types, so there a text Calven Desk writes that a spreadsheet
would run (`=...`, `+anna@...`, but not a number such as -17) gets OWASP's leading apostrophe,
which Calven Desk's reader takes off again: Request IDs and addresses read back exactly as they
were. HR's own cells are not Calven Desk's to change: a spreadsheet opens them as it opened the
file HR gave (a workbook's cells saved as CSV lose their type, so there all are guarded). Everything is
built in memory and handed back as bytes, so the caller writes the file in one step
(store/atomic.py) and a failure leaves the old file as it was.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from calven_desk.roster.cells import cell_text
from calven_desk.roster.dates import write_like
from calven_desk.roster.model import CellValue, DateOrder, RosterReadError, Rows, SourceTable
from calven_desk.roster.reading import (
    TEXT_SUFFIXES,
    decode_with_encoding,
    sniff_delimiter,
    unescape_formula_guard,
)
from calven_desk.roster.workbooks import Book, open_book
from calven_desk.roster.writing import safe_cell

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SAVE_SUFFIXES = (".xlsx", ".csv")
#: Widths of the added result columns (Excel's units, about a character each).
RESULT_WIDTHS = (18, 12, 60, 20)
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


class SaveError(ValueError):
    """The roster cannot be saved as asked; the message is one sentence for the person."""


@dataclass(frozen=True, slots=True)
class RowToSave:
    """One roster row as it is to be saved."""

    #: The sheet row it was read from; None for a row added in the window (it goes below the rest).
    row: int | None
    #: The cells the person changed, by column (0 = the first): typed as they are to be stored,
    #: a `date` for a date. A row added in the window has all its cells here.
    edits: Mapping[int, CellValue] = field(default_factory=dict)
    #: The row's Result, Result code, Message and Sent at.
    results: Sequence[CellValue] = ()


def saved_roster(
    table: SourceTable,
    rows: Sequence[RowToSave],
    result_headers: Sequence[str],
    suffix: str,
    order: DateOrder = DateOrder.DMY,
    *,
    guard_all: bool = False,
) -> bytes:
    """The file to write, as `suffix` (.xlsx or .csv) says. Rows of `table` that `rows` does not
    name were deleted in the window and leave the file. `order` writes an edited date into a CSV
    the way the file writes its dates. `guard_all`: a CSV's own cells are guarded too, for a
    report Calven Desk writes (`submit --results`) rather than HR's roster saved back."""
    suffix = suffix.lower()
    if suffix == ".csv":
        return _csv_bytes(table, rows, result_headers, order, guard_all)
    if suffix == ".xlsx":
        return _xlsx_bytes(table, rows, result_headers)
    raise SaveError("Choose a name ending in .xlsx or .csv.")


def result_column(headers: Sequence[str], result_headers: Sequence[str]) -> int:
    """Where the results go: into the result columns an earlier save added, else after the last."""
    wanted = [h.casefold() for h in result_headers]
    size = len(wanted)
    for start in range(len(headers) - size + 1):
        if [h.strip().casefold() for h in headers[start : start + size]] == wanted:
            return start
    return len(headers)


def _deleted(table: SourceTable, rows: Sequence[RowToSave]) -> list[int]:
    """Sheet rows of the table that are no longer in the roster, bottom first."""
    kept = {r.row for r in rows if r.row is not None}
    return sorted((s.row for s in table.rows if s.row not in kept), reverse=True)


def _last_row(table: SourceTable) -> int:
    return max([table.header_row, *(s.row for s in table.rows)])


# --- workbooks ------------------------------------------------------------------------------------


def _xlsx_bytes(
    table: SourceTable, rows: Sequence[RowToSave], result_headers: Sequence[str]
) -> bytes:
    with warnings.catch_warnings():
        # openpyxl warns about parts of a workbook it reads but does not model (some extensions).
        warnings.simplefilter("ignore")
        workbook, sheet = _workbook(table)
        _write_rows(table, sheet, rows, result_headers)
        out = io.BytesIO()
        workbook.save(out)
    return out.getvalue()


def _workbook(table: SourceTable) -> tuple[Workbook, Worksheet]:
    """HR's workbook as openpyxl holds it, and the roster's sheet in it."""
    from openpyxl import Workbook, load_workbook

    suffix = table.file.suffix.lower()
    content = table.content
    if content is not None and suffix in (".xlsx", ".xlsm"):
        workbook = load_workbook(io.BytesIO(content), rich_text=False)
        return workbook, workbook[table.sheet] if table.sheet else workbook.worksheets[0]
    if content is not None and suffix in (".xls", ".xlsb", ".ods"):
        return _copied_workbook(table, content)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _title(table.sheet or table.file.stem or "Roster")
    if content is not None and suffix in TEXT_SUFFIXES:
        text, _ = decode_with_encoding(content)
        for r, cells in enumerate(_text_grid(text), start=1):
            for c, value in enumerate(cells, start=1):
                if value:  # a CSV's guard against formulas is not needed in a text cell
                    _put(_cell(sheet, r, c), unescape_formula_guard(value))
    else:  # no file to start from (a recovered roster): the header and the rows where they were
        for c, header in enumerate(table.headers, start=1):
            _put(_cell(sheet, table.header_row, c), header)
        for source in table.rows:
            for c, cell_value in enumerate(source.cells, start=1):
                _put(_cell(sheet, source.row, c), cell_value)
    return workbook, sheet


def _copied_workbook(table: SourceTable, content: bytes) -> tuple[Workbook, Worksheet]:
    """An .xls, .xlsb or .ods as a new workbook: every worksheet, by name, its cells where they were
    with their types (dates as date cells), hidden sheets still hidden. Read as opening reads it
    (`open_book`: only the cells that hold something): calamine's grid of a sheet with one stray
    cell far out asked for 1.2 GB (an .xls) or aborted the process (an .xlsb)."""
    from openpyxl import Workbook

    workbook = Workbook()
    default = workbook.active
    chosen: Worksheet | None = None
    with _book(table, content) as book:
        for name in book.worksheets:
            sheet = workbook.create_sheet(_title(name))
            if name not in book.visible:
                sheet.sheet_state = "hidden"
            for index, cells in _sheet_rows(table, book, name):
                for c, value in enumerate(cells, start=1):
                    if value is not None and value != "":
                        _put(_cell(sheet, index + 1, c), value)
            if name == table.sheet:
                chosen = sheet
    if default is not None and len(workbook.worksheets) > 1:
        workbook.remove(default)
    if chosen is None:
        chosen = workbook.worksheets[0]
    return workbook, chosen


@contextmanager
def _book(table: SourceTable, content: bytes) -> Iterator[Book]:
    """HR's workbook opened as reading opens it; a sheet it cannot read is a SaveError."""
    try:
        book = open_book(table.file, content, row_by_row=False)
    except RosterReadError as exc:
        raise SaveError(_unreadable(table, exc)) from None
    try:
        yield book
    finally:
        book.close()


def _sheet_rows(table: SourceTable, book: Book, name: str) -> Rows:
    try:
        return book.rows(name)
    except RosterReadError as exc:
        raise SaveError(_unreadable(table, exc)) from None


def _unreadable(table: SourceTable, exc: RosterReadError) -> str:
    """Why HR's workbook cannot be copied (a sheet beside the roster over a reading limit)."""
    return f"The roster cannot be saved with the rest of {table.file.name}. {exc}"


def _title(name: str) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters)."""
    return _BAD_TITLE.sub("_", name)[:31] or "Roster"


def _write_rows(
    table: SourceTable, sheet: Worksheet, rows: Sequence[RowToSave], result_headers: Sequence[str]
) -> None:
    """The edits, the added rows and the results into the roster's sheet; deleted rows out."""
    header_row = table.header_row
    first = result_column(table.headers, result_headers) + 1  # openpyxl counts from 1
    styled_like = _cell(sheet, header_row, max(1, first - 1))
    for i, text in enumerate(result_headers):
        cell = _cell(sheet, header_row, first + i)
        _put(cell, text)
        if styled_like.has_style:
            cell._style = copy(styled_like._style)  # type: ignore[attr-defined]
        letter = cell.column_letter
        if letter not in sheet.column_dimensions:  # a width HR gave the column is kept
            sheet.column_dimensions[letter].width = RESULT_WIDTHS[i % len(RESULT_WIDTHS)]
    formats = _DateFormats(sheet, header_row)
    added = _last_row(table)
    for row in rows:
        if row.row is None:
            added += 1
            number = added
        else:
            number = row.row
        for column, value in row.edits.items():
            _put(_cell(sheet, number, column + 1), value, formats.for_column(column + 1))
        for i, value in enumerate(row.results):
            _put(_cell(sheet, number, first + i), value)
    for number in _deleted(table, rows):
        sheet.delete_rows(number)


class _DateFormats:
    """The date format of each column, from its first date cell below the header: an edited date
    that was text before is shown the way the column's other dates are."""

    def __init__(self, sheet: Worksheet, header_row: int) -> None:
        self.sheet = sheet
        self.header_row = header_row
        self.found: dict[int, str] = {}

    def for_column(self, column: int) -> str:
        if column not in self.found:
            self.found[column] = "yyyy-mm-dd"
            for (cell,) in self.sheet.iter_rows(
                min_row=self.header_row + 1, min_col=column, max_col=column
            ):
                if getattr(cell, "is_date", False) and isinstance(cell.value, date | datetime):
                    self.found[column] = cell.number_format
                    break
        return self.found[column]


def _cell(sheet: Worksheet, row: int, column: int) -> Cell:
    """The cell to write; one inside merged cells (which cannot hold a value of their own) is
    freed by unmerging its range, as Excel does when a merged cell is edited."""
    from openpyxl.cell.cell import Cell

    cell = sheet.cell(row, column)
    if not isinstance(cell, Cell):
        for merged in list(sheet.merged_cells.ranges):
            if cell.coordinate in merged:
                sheet.unmerge_cells(str(merged))
                break
        cell = sheet.cell(row, column)
    assert isinstance(cell, Cell)
    return cell


def _put(cell: Cell, value: Any, date_format: str = "yyyy-mm-dd") -> None:
    """A value into a cell with its own type: text as a text cell (never a formula), numbers as
    numbers, dates as date cells (keeping the cell's own date format if it has one)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value == "":
        cell.value = None
    elif isinstance(value, str):
        # Control characters other than tab and newline cannot be stored in a workbook.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # `=SUM(A1)` or `-17` stay the text they are
    elif isinstance(value, datetime | date):
        was_date = cell.is_date
        cell.value = value
        if not was_date:
            timed = isinstance(value, datetime) and value.time() != time()
            cell.number_format = "yyyy-mm-dd hh:mm" if timed else date_format
    elif isinstance(value, bool | int | float | time | timedelta):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"


# --- CSV ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Record:
    """One record of the CSV to write. `raw`: the exact text it was read from, line end included
    (None for a record not read from the file, or one whose every cell is guarded); `kept`: how
    many of `cells` are HR's as read; `edited`: which of those change. HR's cells are written as
    the file had them, quoting and all: the apostrophe that keeps a spreadsheet from running
    text goes on the cells Calven Desk writes, never on theirs (a spreadsheet opening the saved
    file reads theirs as it read the file they gave)."""

    cells: list[str]
    raw: str | None = None
    kept: int = 0
    edited: set[int] = field(default_factory=set)


def _text_grid(text: str, delimiter: str | None = None) -> list[list[str]]:
    return [r.cells for r in _text_records(text, delimiter or sniff_delimiter(text))]


def _line_end(records: Sequence[_Record], text: str) -> str:
    """How the file ends its records (the first one's end: a line break inside a quoted cell
    may be another kind), for the records written anew."""
    for record in records:
        raw = record.raw or ""
        ending = raw[len(raw.rstrip("\r\n")) :]
        if ending:
            return ending
    return "\r\n" if "\r\n" in text else "\n"


def _text_records(text: str, delimiter: str) -> list[_Record]:
    """The file's records, each with the text it came from (a quoted cell may span lines)."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines, delimiter=delimiter)
    records: list[_Record] = []
    start = 0
    for cells in reader:
        records.append(_Record(list(cells), "".join(lines[start : reader.line_num]), len(cells)))
        start = reader.line_num
    return records


def _csv_bytes(
    table: SourceTable,
    rows: Sequence[RowToSave],
    result_headers: Sequence[str],
    order: DateOrder,
    guard_all: bool,
) -> bytes:
    content = table.content
    if content is not None and table.file.suffix.lower() in TEXT_SUFFIXES:
        text, encoding = decode_with_encoding(content)
        delimiter = sniff_delimiter(text)
        grid = _text_records(text, delimiter)
        newline = _line_end(grid, text)
        quote_all = _quotes_all(grid, delimiter)
        if guard_all:  # every record written anew, every cell guarded
            for record in grid:
                record.raw = None
    else:
        # A workbook saved as CSV: its roster sheet, as UTF-8 with the BOM Excel needs for accents.
        # Its text cells lose their type here, so every one a spreadsheet would run is guarded.
        encoding, delimiter, newline = "utf-8-sig", ",", "\r\n"
        grid = [_Record(cells) for cells in _sheet_as_text(table)]
        quote_all = False
    first = result_column(table.headers, result_headers)

    def line(number: int) -> _Record:
        while len(grid) < number:
            grid.append(_Record([]))
        record = grid[number - 1]
        if len(record.cells) < first + len(result_headers):
            record.cells.extend([""] * (first + len(result_headers) - len(record.cells)))
        return record

    def put(record: _Record, column: int, text: str) -> None:
        if column >= len(record.cells):
            record.cells.extend([""] * (column + 1 - len(record.cells)))
        if column < record.kept and record.cells[column] != text:
            record.edited.add(column)  # one of the file's own cells changes
        record.cells[column] = text

    header = line(table.header_row)
    for offset, name in enumerate(result_headers):
        put(header, first + offset, name)
    added: list[_Record] = []
    for row in rows:
        if row.row is None:
            record = _Record([""] * (first + len(result_headers)))
            added.append(record)
        else:
            record = line(row.row)
        for column, value in row.edits.items():
            put(
                record,
                column,
                _csv_edit(value, record.cells[column] if column < len(record.cells) else "", order),
            )
        results = [_text(v) for v in row.results] or [""] * len(result_headers)
        for offset, value in enumerate(results):
            put(record, first + offset, value)
    last = _last_row(table)
    grid[last:last] = added
    for number in _deleted(table, rows):
        del grid[number - 1]
    last_line = len(grid) - 1
    text = "".join(
        _record_text(r, delimiter, newline, i == last_line, quote_all) for i, r in enumerate(grid)
    )
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        character = exc.object[exc.start : exc.end]
        name = _ENCODING_NAMES.get(encoding, encoding)
        raise SaveError(
            f"The roster cannot be saved as CSV in its own {name} encoding, which has no "
            f"'{character}'; save it as .xlsx instead, or change that character."
        ) from None


def _record_text(
    record: _Record, delimiter: str, newline: str, last: bool, quote_all: bool = False
) -> str:
    """A record as the file had it, with what was added after its own cells; or, when one of
    its own cells changed, written anew the way the file quotes (HR's other cells unguarded, as
    they were)."""
    ours = [_guarded(c) for c in record.cells[record.kept :]]
    raw = record.raw
    if raw is None or record.edited:
        return (
            _joined(
                [
                    _guarded(c) if i in record.edited or i >= record.kept or raw is None else c
                    for i, c in enumerate(record.cells)
                ],
                delimiter,
                quote_all,
            )
            + newline
        )
    body = raw.rstrip("\r\n")
    ending = raw[len(body) :] or ("" if last else newline)
    if not ours:
        return body + ending
    tail = "" if ours == [""] else _joined(ours, delimiter, quote_all)  # not csv's `""` for one
    return f"{body}{delimiter if record.kept else ''}{tail}{ending}"


def _joined(cells: Sequence[str], delimiter: str, quote_all: bool = False) -> str:
    """One record's cells as CSV text, without a line end. Written with one and cut, as csv
    quotes a cell holding a line break only when the break is in its line terminator: a note
    typed over two lines stays one cell."""
    out = io.StringIO(newline="")
    if quote_all:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    else:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(cells)
    return out.getvalue()[:-2]


def _quotes_all(records: Sequence[_Record], delimiter: str) -> bool:
    """Whether the file's first record of cells quotes every one (as some HR systems export):
    then what Calven Desk writes is quoted so too, and looks like its neighbours."""
    header = next((r for r in records if r.raw is not None and len(r.cells) > 1), None)
    if header is None or header.raw is None:
        return False
    return header.raw.rstrip("\r\n") == _joined(header.cells[: header.kept], delimiter, True)


def _sheet_as_text(table: SourceTable) -> list[list[str]]:
    """The roster's sheet as text cells (title rows too), each value as a person reads it."""
    grid: list[list[CellValue]]
    if table.content is not None:
        with _book(table, table.content) as book:
            name = table.sheet or book.worksheets[0]
            rows = _sheet_rows(table, book, name)
        grid = [[] for _ in range(rows[-1][0] + 1 if rows else 0)]
        for index, cells in rows:
            grid[index] = cells
    else:
        grid = [[] for _ in range(_last_row(table))]
        grid[table.header_row - 1] = list(table.headers)
        for source_row in table.rows:
            grid[source_row.row - 1] = list(source_row.cells)
    return [[_text(v) for v in cells] for cells in grid]


def _text(value: CellValue) -> str:
    """A cell as the text a person reads (text as it is, a date in ISO, 1001.0 as 1001)."""
    if isinstance(value, str):
        return value
    return cell_text(value) if value is not None else ""


def _guarded(text: str) -> str:
    """CSV text a spreadsheet would run as a formula gets OWASP's apostrophe (not twice)."""
    if text[:1] == "'" and unescape_formula_guard(text) != text:
        return text
    return str(safe_cell(text))


def _csv_edit(value: CellValue, original: str, order: DateOrder) -> str:
    """An edited cell as CSV text: a date the way the file wrote the one it replaces."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return write_like(unescape_formula_guard(original), value, order)
    return _text(value)
