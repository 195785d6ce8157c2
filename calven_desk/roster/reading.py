"""Opens a roster file of any common kind and returns its rows below the header, with Excel's row numbers."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import cast

import python_calamine

from calven_desk.roster.cells import FORMULA_TRIGGERS
from calven_desk.roster.mapping import HEADER_SEARCH_ROWS, find_header_row, header_names
from calven_desk.roster.model import CellValue, RosterReadError, SourceRow, SourceTable

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
DELIMITERS = (",", ";", "\t", "|")
#: Rows read to guess the delimiter; enough to see past a title line or two.
SNIFF_RECORDS = 30
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Grid = list[list[CellValue]]

NO_HEADER = (
    "no header row was found in its first {n} rows; Calven Desk looks for columns such as "
    "Email, Start Date and End Date"
)


def _fail(path: Path, reason: str) -> RosterReadError:
    return RosterReadError(f"Cannot open {path.name}: {reason}.")


def read_table(
    path: Path | str,
    sheet: str | None = None,
    forced_headers: Collection[str] = (),
    *,
    row_by_row: bool = False,
) -> SourceTable:
    """Read a roster file, or raise RosterReadError with one sentence naming the file and the reason.

    `forced_headers` are column names a person mapped by hand; they count when finding the header row.
    `row_by_row`: a workbook's cells become Python values a row at a time, so other threads get
    Python's lock between rows (a window stays responsive); in one call, 50,000 rows held it
    80 ms, yet that one call is ~50 ms quicker for the command line.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(path, "the file does not exist (was it moved or renamed?)") from None
    except IsADirectoryError:
        raise _fail(path, "it is a folder, not a file") from None
    except PermissionError:
        raise _fail(path, "you do not have permission to read it") from None
    except OSError as exc:
        raise _fail(
            path, f"the computer could not read it ({exc.strerror or 'read error'})"
        ) from None
    if not data.strip():
        raise _fail(path, "the file is empty")
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, data, sheet, forced_headers, row_by_row)
    if suffix in TEXT_SUFFIXES:
        table = _table_from_grid(path, None, _read_text_grid(path, data), [], forced_headers)
        table.content = data
        return table
    raise _fail(
        path,
        "it is not a kind of file Calven Desk can read; save it from Excel as .xlsx or .csv",
    )


# --- CSV and other delimited text ---------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """Decode as UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 as Excel saves it."""
    return decode_with_encoding(data)[0]


def decode_with_encoding(data: bytes) -> tuple[str, str]:
    """The text, and the encoding it was in (a Python codec name): Save as writes it back in it."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # Five bytes are unassigned in Windows-1252; Latin-1 maps them instead of failing.
        return data.decode("latin-1"), "latin-1"


def unescape_formula_guard(cell: str) -> str:
    """A text cell that Calven Desk wrote as `'+44...` in a CSV, so that a spreadsheet would not run
    it as a formula, reads back as the person wrote it (`+44...`)."""
    if cell[:1] == "'" and cell[1:2] in FORMULA_TRIGGERS:
        return cell[1:]
    return cell


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most rows of one consistent width (>= 2)."""
    sample = text[:65_536]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
            records = list(itertools.islice(reader, SNIFF_RECORDS))
        except csv.Error:
            continue
        widths = [len(r) for r in records if any(c.strip() for c in r)]
        widths = [w for w in widths if w >= 2]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_text_grid(path: Path, data: bytes) -> Grid:
    if data.startswith(_OLE_MAGIC) or data.startswith(b"PK\x03\x04"):
        raise _fail(path, "it is an Excel workbook saved with a text-file name; rename it to .xlsx")
    text = decode_text(data)
    if "\x00" in text:
        raise _fail(
            path, "it is not a text file (it holds binary data), so it cannot be a CSV roster"
        )
    delimiter = sniff_delimiter(text)
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise _fail(path, f"its text is not valid CSV ({exc})") from None
    if "'" in text:
        guard = unescape_formula_guard
        rows = [[guard(c) if c[:1] == "'" else c for c in r] for r in rows]
    return cast(Grid, rows)


# --- Workbooks ----------------------------------------------------------------------------------


def _read_workbook(
    path: Path, data: bytes, sheet: str | None, forced: Collection[str], row_by_row: bool
) -> SourceTable:
    if data.startswith(_OLE_MAGIC) and path.suffix.lower() != ".xls":
        raise _fail(
            path,
            "it is protected with a password; open it in Excel, remove the password "
            "(File > Info > Protect Workbook) and save a copy",
        )
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise _fail(
            path, "it is protected with a password; remove the password in Excel and save a copy"
        ) from None
    except (python_calamine.CalamineError, ValueError, OSError, RuntimeError):
        raise _fail(
            path, "it is damaged or is not really a spreadsheet; try saving it again from Excel"
        ) from None
    try:
        visible = [
            m.name
            for m in workbook.sheets_metadata
            if m.visible == python_calamine.SheetVisibleEnum.Visible
            and m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if sheet is not None:
            if sheet not in workbook.sheet_names:
                names = ", ".join(f"'{n}'" for n in visible) or "none"
                raise _fail(path, f"it has no sheet named '{sheet}'; its sheets are {names}")
            grid = _sheet_grid(workbook, sheet, row_by_row)
            table = _table_from_grid(path, sheet, grid, [sheet], forced)
            table.content = data
            return table
        with_header: list[tuple[str, Grid]] = []
        for name in visible:
            grid = _sheet_grid(workbook, name, row_by_row)
            if find_header_row(grid, forced) is not None:
                with_header.append((name, grid))
        if not with_header:
            raise _fail(path, NO_HEADER.format(n=HEADER_SEARCH_ROWS) + " on any visible sheet")
        name, grid = with_header[0]
        table = _table_from_grid(path, name, grid, [n for n, _ in with_header], forced)
        table.content = data
        return table
    except RosterReadError:
        raise
    except (python_calamine.CalamineError, ValueError, OSError, RuntimeError):
        raise _fail(path, "part of it is damaged; try saving it again from Excel") from None
    finally:
        workbook.close()


def _sheet_grid(
    workbook: python_calamine.CalamineWorkbook, name: str, row_by_row: bool = False
) -> Grid:
    sheet = workbook.get_sheet_by_name(name)
    if not row_by_row or sheet.start is None:
        # skip_empty_area=False keeps leading blank rows and columns, so list index + 1 is the
        # row number Excel shows and every row starts at column A.
        return cast(Grid, sheet.to_python(skip_empty_area=False))
    # iter_rows gives the leading blank rows too but starts each row at the first used column.
    # A comprehension, not list(): Python hands its lock to other threads only between steps of
    # Python code, and list() would take every row in one step.
    rows = cast(Grid, [row for row in sheet.iter_rows()])
    if len(rows) != sheet.start[0] + sheet.height:  # not the rows to_python would give
        return cast(Grid, sheet.to_python(skip_empty_area=False))
    pad: list[CellValue] = [""] * sheet.start[1]
    return [pad + row for row in rows] if pad else rows


def _has_content(cells: Sequence[CellValue]) -> bool:
    """Whether a row holds anything but blanks (`is_blank` for each cell, stopping at the first)."""
    for cell in cells:
        if cell is None:
            continue
        if not isinstance(cell, str) or cell.strip():
            return True
    return False


def _table_from_grid(
    path: Path,
    sheet: str | None,
    grid: Sequence[Sequence[CellValue]],
    sheets: list[str],
    forced: Collection[str] = (),
) -> SourceTable:
    header_index = find_header_row(grid, forced)
    if header_index is None:
        raise _fail(path, NO_HEADER.format(n=HEADER_SEARCH_ROWS))
    kept = [
        (index + 1, grid[index])
        for index in range(header_index + 1, len(grid))
        if _has_content(grid[index])
    ]
    headers = header_names(grid[header_index])
    width = max([len(headers), *(len(cells) for _, cells in kept)])
    # A value beyond the last header still belongs to its row: its column gets a name (Column H).
    headers.extend(header_names([None] * width)[len(headers) :])
    rows = [
        SourceRow(
            number,
            tuple(cells) if len(cells) == width else (*cells, *("",) * (width - len(cells))),
        )
        for number, cells in kept
    ]
    return SourceTable(
        file=path,
        sheet=sheet,
        header_row=header_index + 1,
        headers=headers,
        rows=rows,
        sheets_with_header=sheets,
    )
