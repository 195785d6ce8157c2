"""A workbook of any kind opened for reading, whatever it holds: its sheets and each sheet's rows.

calamine reads an ordinary xlsx, xlsm or xlsb fastest, but lays out a grid of every cell from A1
to the farthest one with a value and takes each text whole. Each sheet is looked at first
(`xlsx_scan.py`, `xlsb_file.py`); one calamine must not lay out is read cell by cell instead,
keeping only what holds something. .xls goes to xlrd and .ods to `ods_file.py`, which read that
way always. Every way stops at the limits in `limits.py` with one sentence.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import Protocol, cast

import python_calamine

from calven_desk.roster.limits import MAX_CELL_CHARS
from calven_desk.roster.model import CellValue, RosterReadError, Rows
from calven_desk.roster.ods_file import OdsBook
from calven_desk.roster.packed import Package, damaged
from calven_desk.roster.xlsb_file import XlsbBook
from calven_desk.roster.xlsx_cells import XlsxBook
from calven_desk.roster.xlsx_scan import scan_sheet

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: What a reader may raise on a damaged file besides our own sentences.
_BROKEN = (
    python_calamine.CalamineError,
    ValueError,
    OSError,
    RuntimeError,
    struct.error,
    KeyError,
    IndexError,
    zipfile.BadZipFile,
    EOFError,
)


class Book(Protocol):
    names: list[str]
    visible: list[str]
    #: The sheets that hold cells, in order (no chart sheets): what Save as copies.
    worksheets: list[str]

    def rows(self, name: str) -> Rows: ...

    def close(self) -> None: ...


def _password(path: Path) -> RosterReadError:
    return RosterReadError(
        f"Cannot open {path.name}: it is protected with a password; open it in Excel, remove the "
        "password (File > Info > Protect Workbook) and save a copy."
    )


def open_book(path: Path, data: bytes, row_by_row: bool) -> Book:
    suffix = path.suffix.lower()
    if data.startswith(_OLE_MAGIC) and suffix != ".xls":
        raise _password(path)
    try:
        if suffix == ".xls":
            from calven_desk.roster.xls_file import XlsBook  # rare: not loaded for the others

            return XlsBook(path, data)
        package = Package(path, data)
        if suffix == ".ods":
            ods = OdsBook(package)
            package.close()
            return _Ready(ods.names, ods.visible, ods.sheets)
        return _CalamineBook(path, data, package, row_by_row)
    except RosterReadError:
        raise
    except _BROKEN:
        raise damaged(path) from None


class _Ready:
    """Sheets already read whole (an .ods, in its one pass)."""

    def __init__(self, names: list[str], visible: list[str], sheets: dict[str, Rows]) -> None:
        self.names, self.visible, self.sheets = names, visible, sheets
        self.worksheets = names

    def rows(self, name: str) -> Rows:
        return self.sheets[name]

    def close(self) -> None:
        self.sheets = {}


class _CalamineBook:
    """xlsx, xlsm, xlsb: calamine for each sheet it may lay out, cell by cell for the others."""

    def __init__(self, path: Path, data: bytes, package: Package, row_by_row: bool) -> None:
        self.path = path
        self.package = package
        self.row_by_row = row_by_row
        self.xlsb = XlsbBook(package) if path.suffix.lower() == ".xlsb" else None
        self.xlsx = None if self.xlsb else XlsxBook(package)
        self.workbook: python_calamine.CalamineWorkbook | None = None
        # calamine reads the shared texts whole as it opens: only when none may be too long
        # (the .xlsb's were measured as read; an xlsx's are looked at here).
        if self.xlsx is None or not self._long_shared_text(self.xlsx):
            try:
                self.workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            except python_calamine.PasswordError:
                raise _password(path) from None
        if self.workbook is not None:
            meta = self.workbook.sheets_metadata
            self.names = [m.name for m in meta]
            self.worksheets = [
                m.name for m in meta if m.typ == python_calamine.SheetTypeEnum.WorkSheet
            ]
            self.visible = [
                m.name
                for m in meta
                if m.visible == python_calamine.SheetVisibleEnum.Visible
                and m.typ == python_calamine.SheetTypeEnum.WorkSheet
            ]
        else:
            assert self.xlsx is not None
            self.names, self.visible = self.xlsx.names, self.xlsx.visible
            self.worksheets = [n for n in self.names if "worksheets/" in self.xlsx.sheets[n]]

    def _long_shared_text(self, book: XlsxBook) -> bool:
        """Whether one of the shared texts may be longer than a cell may hold: two starts of a
        text (`<si>`) further apart than MAX_CELL_CHARS bytes (a text may come in many short
        runs of rich text, so a long run alone would not tell). A piece's edge may split a
        text; the parts then look longer, which only sends the book the careful way."""
        if book.strings_part is None:
            return False
        with self.package.open(book.strings_part) as stream:
            while piece := stream.read(8 * 1024 * 1024):
                if max(map(len, piece.split(b"<si>"))) > MAX_CELL_CHARS:
                    return True
        return False

    def rows(self, name: str) -> Rows:
        try:
            if self.xlsb is not None:
                sheet = self.xlsb.sheet(name)
                if not sheet.for_calamine:
                    return sheet.cells
            elif self.xlsx is not None:
                part = self.xlsx.sheets.get(name)
                if part is None:
                    raise damaged(self.path)
                with self.package.open(part) as stream:
                    scan = scan_sheet(stream)
                if not scan.for_calamine or self.workbook is None:
                    return self.xlsx.rows(name)
            assert self.workbook is not None
            grid = _sheet_grid(self.workbook, name, self.row_by_row)
            return [(index, cells) for index, cells in enumerate(grid) if cells]
        except RosterReadError:
            raise
        except _BROKEN:
            raise damaged(self.path) from None

    def close(self) -> None:
        if self.workbook is not None:
            self.workbook.close()
        self.package.close()


def _sheet_grid(
    workbook: python_calamine.CalamineWorkbook, name: str, row_by_row: bool = False
) -> list[list[CellValue]]:
    sheet = workbook.get_sheet_by_name(name)
    if not row_by_row or sheet.start is None:
        # skip_empty_area=False keeps leading blank rows and columns, so list index + 1 is the
        # row number Excel shows and every row starts at column A.
        return cast(list[list[CellValue]], sheet.to_python(skip_empty_area=False))
    # iter_rows gives the leading blank rows too but starts each row at the first used column.
    # A comprehension, not list(): Python hands its lock to other threads only between steps of
    # Python code, and list() would take every row in one step.
    rows = cast(list[list[CellValue]], [row for row in sheet.iter_rows()])
    if len(rows) != sheet.start[0] + sheet.height:  # not the rows to_python would give
        return cast(list[list[CellValue]], sheet.to_python(skip_empty_area=False))
    pad: list[CellValue] = [""] * sheet.start[1]
    return [pad + row for row in rows] if pad else rows
