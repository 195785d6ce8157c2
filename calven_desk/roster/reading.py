"""Opens a roster file of any common kind and returns its rows below the header, with Excel's row numbers.

Only what holds something is read, within the limits of `limits.py`: `text_file.py` reads
delimited text a line at a time, `workbooks.py` each kind of workbook.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import BinaryIO

from calven_desk.roster.limits import (
    MAX_CELLS,
    MAX_FILE_BYTES,
    too_big_file,
    too_many_cells,
)
from calven_desk.roster.mapping import HEADER_SEARCH_ROWS, find_header_row, header_names
from calven_desk.roster.model import CellValue, RosterReadError, Rows, SourceRow, SourceTable
from calven_desk.roster.text_file import (
    decode_text,
    decode_with_encoding,
    read_text_rows,
    sniff_delimiter,
    unescape_formula_guard,
)
from calven_desk.roster.workbooks import open_book

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")

__all__ = [
    "TEXT_SUFFIXES",
    "decode_text",
    "decode_with_encoding",
    "read_table",
    "sniff_delimiter",
    "unescape_formula_guard",
]

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
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise too_big_file(path)
        if suffix in TEXT_SUFFIXES:
            with path.open("rb") as stream:
                if _blank(stream):
                    raise _fail(path, "the file is empty")
                rows = read_text_rows(path, stream)
            table = _table_from_rows(path, None, rows, [], forced_headers)
            # Save as rebuilds HR's own file from its bytes; read once the rows proved it sound.
            table.content = path.read_bytes()
            return table
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
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, data, sheet, forced_headers, row_by_row)
    raise _fail(
        path,
        "it is not a kind of file Calven Desk can read; save it from Excel as .xlsx or .csv",
    )


def _blank(stream: BinaryIO) -> bool:
    """Whether the file holds only white space, read in pieces (then back to its start)."""
    try:
        while piece := stream.read(1 << 20):
            if piece.strip():
                return False
        return True
    finally:
        stream.seek(0)


# --- Workbooks ----------------------------------------------------------------------------------


def _read_workbook(
    path: Path, data: bytes, sheet: str | None, forced: Collection[str], row_by_row: bool
) -> SourceTable:
    book = open_book(path, data, row_by_row)
    try:
        if sheet is not None:
            if sheet not in book.names:
                names = ", ".join(f"'{n}'" for n in book.visible) or "none"
                raise _fail(path, f"it has no sheet named '{sheet}'; its sheets are {names}")
            table = _table_from_rows(path, sheet, book.rows(sheet), [sheet], forced)
            table.content = data  # Save as rebuilds HR's own workbook from it
            return table
        with_header: list[tuple[str, Rows]] = []
        for name in book.visible:
            rows = book.rows(name)
            if find_header_row(_top(rows), forced) is not None:
                with_header.append((name, rows))
        if not with_header:
            raise _fail(path, NO_HEADER.format(n=HEADER_SEARCH_ROWS) + " on any visible sheet")
        name, rows = with_header[0]
        table = _table_from_rows(path, name, rows, [n for n, _ in with_header], forced)
        table.content = data  # Save as rebuilds HR's own workbook from it
        return table
    finally:
        book.close()


def _top(rows: Rows) -> list[Sequence[CellValue]]:
    """The first HEADER_SEARCH_ROWS rows as a grid (a row that holds nothing is empty)."""
    top: list[Sequence[CellValue]] = [()] * HEADER_SEARCH_ROWS
    for index, cells in rows:
        if index >= HEADER_SEARCH_ROWS:
            break
        top[index] = cells
    return top


def _has_content(cells: Sequence[CellValue]) -> bool:
    """Whether a row holds anything but blanks (`is_blank` for each cell, stopping at the first)."""
    for cell in cells:
        if cell is None:
            continue
        if not isinstance(cell, str) or cell.strip():
            return True
    return False


def _table_from_rows(
    path: Path,
    sheet: str | None,
    rows: Rows,
    sheets: list[str],
    forced: Collection[str] = (),
) -> SourceTable:
    """`rows` in order, none wider than MAX_COLUMNS (the readers see to both)."""
    top = _top(rows)
    header_index = find_header_row(top, forced)
    if header_index is None:
        raise _fail(path, NO_HEADER.format(n=HEADER_SEARCH_ROWS))
    kept = [
        (index + 1, cells) for index, cells in rows if index > header_index and _has_content(cells)
    ]
    headers = header_names(top[header_index])
    width = max([len(headers), *(len(cells) for _, cells in kept)])
    if width * len(kept) > MAX_CELLS:
        raise too_many_cells(path, len(kept), width)
    # A value beyond the last header still belongs to its row: its column gets a name (Column H).
    headers.extend(header_names([None] * width)[len(headers) :])
    table_rows = [
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
        rows=table_rows,
        sheets_with_header=sheets,
    )
