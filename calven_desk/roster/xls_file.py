"""Excel 97-2003 workbooks (.xls), read with xlrd: it keeps each row only as long as its cells.

calamine laid out every cell from A1 to the farthest one with a value: a space typed in IV65536
(the last cell an .xls has) cost 1.2 GB and 7 s; xlrd's ragged rows cost 25 MB.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import xlrd  # type: ignore[import-untyped]

from calven_desk.roster.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    cell_name,
    too_far_right,
    too_long,
)
from calven_desk.roster.model import CellValue, RosterReadError, Rows


class XlsBook:
    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        try:
            self.book = xlrd.open_workbook(
                file_contents=data, on_demand=True, ragged_rows=True, logfile=_Quiet()
            )
        except xlrd.XLRDError as exc:
            if "encrypt" in str(exc).lower():
                raise RosterReadError(
                    f"Cannot open {path.name}: it is protected with a password; remove the "
                    "password in Excel and save a copy."
                ) from None
            raise _damaged(path) from None
        except Exception:
            raise _damaged(path) from None
        names = self.book.sheet_names()
        self.visible = [
            name for index, name in enumerate(names) if self.book._sheet_visibility[index] == 0
        ]
        self.names = list(names)
        self.worksheets = self.names  # xlrd lists worksheets only

    def rows(self, name: str) -> Rows:
        try:
            sheet = self.book.sheet_by_name(name)
        except Exception:
            raise _damaged(self.path) from None
        found: Rows = []
        for index in range(sheet.nrows):
            types = sheet.row_types(index)
            if not len(types):
                continue
            values = sheet.row_values(index)
            cells: list[CellValue] = []
            last = -1
            for column, (kind, value) in enumerate(zip(types, values, strict=True)):
                cell = self._value(kind, value)
                if cell is None or (isinstance(cell, str) and not cell.strip()):
                    cells.append(None)
                    continue
                if column >= MAX_COLUMNS:
                    raise too_far_right(self.path, index, column)
                if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                    raise too_long(self.path, f"cell {cell_name(index, column)}")
                cells.append(cell)
                last = column
            if last >= 0:
                found.append((index, cells[: last + 1]))
        self.book.unload_sheet(name)
        return found

    def _value(self, kind: int, value: object) -> CellValue:
        if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if kind == xlrd.XL_CELL_DATE and isinstance(value, float):
            try:
                moment: datetime = xlrd.xldate.xldate_as_datetime(value, self.book.datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return value
            if value < 1:
                return moment.time()
            return moment.date() if moment.time() == datetime.min.time() else moment
        if kind == xlrd.XL_CELL_BOOLEAN:
            return bool(value)
        if kind == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(value, "#ERROR")  # type: ignore[no-any-return]
        if kind == xlrd.XL_CELL_NUMBER and isinstance(value, float) and value.is_integer():
            return int(value)
        return value  # type: ignore[return-value]

    def close(self) -> None:
        self.book.release_resources()


class _Quiet:
    """xlrd writes warnings about odd files to a log file; the person gets sentences instead."""

    def write(self, _text: str) -> int:
        return 0


def _damaged(path: Path) -> RosterReadError:
    return RosterReadError(
        f"Cannot open {path.name}: it is damaged or is not really a spreadsheet; try saving it "
        "again from Excel."
    )
