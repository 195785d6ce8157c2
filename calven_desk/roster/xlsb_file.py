"""Excel binary workbooks (.xlsb): where each sheet's cells are, read record by record.

calamine lays out every cell from A1 to the farthest one with a value (a space in XFD1048576:
512 GB). `scan` walks the sheet's records in Python (about 0.5 s for 50,000 rows; .xlsb rosters
are rare) and finds how far its cells reach and whether any text is too long. A sheet whose grid
is small and mostly filled goes to calamine; any other is read from the same walk, keeping only the
cells that hold something (numbers as numbers: the date columns read Excel's serial numbers as dates).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
from calven_desk.roster.xlsx_cells import _relations
from calven_desk.roster.xlsx_scan import dense_enough

_ROW_HEADER, _SST_ITEM, _SHEET_ENTRY = 0, 19, 156
_CELLS = range(1, 12)
_ERRORS = {0: "#NULL!", 7: "#DIV/0!", 15: "#VALUE!", 23: "#REF!", 29: "#NAME?", 36: "#NUM!"}


def _records(data: bytes, path: Path) -> Iterator[tuple[int, int, int]]:
    """(record type, start of its body, end of its body)."""
    at, size = 0, len(data)
    while at < size:
        kind = data[at]
        at += 1
        if kind & 0x80:
            if at >= size:
                raise damaged(path)
            kind = (kind & 0x7F) | (data[at] & 0x7F) << 7
            at += 1
        length = shift = 0
        for _ in range(4):
            if at >= size:
                raise damaged(path)
            byte = data[at]
            at += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if at + length > size:
            raise damaged(path)
        yield kind, at, at + length
        at += length


def _wide(data: bytes, at: int, end: int, path: Path, where: str) -> tuple[str, int]:
    """An XLWideString: a 4-byte count of UTF-16 characters, then the characters."""
    if at + 4 > end:
        raise damaged(path)
    (count,) = struct.unpack_from("<I", data, at)
    if count == 0xFFFFFFFF:
        return "", at + 4
    if count > MAX_CELL_CHARS:
        raise too_long(path, where)
    stop = at + 4 + 2 * count
    if stop > end:
        raise damaged(path)
    return data[at + 4 : stop].decode("utf-16-le", errors="replace"), stop


def _rk(value: int) -> float:
    number: float
    if value & 2:
        number = float(value >> 2 if value < 0x80000000 else (value >> 2) - (1 << 30))
    else:
        (number,) = struct.unpack("<d", struct.pack("<Q", (value & 0xFFFFFFFC) << 32))
    return number / 100 if value & 1 else number


@dataclass(slots=True)
class Sheet:
    rows: int  # farthest row and column (from 1) that hold a value, blank text included
    columns: int
    cells: Rows  # the cells that hold something

    @property
    def for_calamine(self) -> bool:
        filled = sum(len(values) for _, values in self.cells)
        return self.columns <= MAX_COLUMNS and dense_enough(self.rows, self.columns, filled)


class XlsbBook:
    def __init__(self, package: Package) -> None:
        self.package = package
        self.path = package.path
        main = package.find("xl/workbook.bin")
        if main is None:
            raise damaged(self.path)
        links = _relations(package, main)
        self.parts: dict[str, str] = {}
        data = package.read(main)
        for kind, start, end in _records(data, self.path):
            if kind == _SHEET_ENTRY and end - start >= 12:
                link, at = _wide(data, start + 8, end, self.path, "a sheet's name")
                name, _ = _wide(data, at, end, self.path, "a sheet's name")
                part = package.find(links.get(link, ""))
                if part:
                    self.parts[name] = part
        self.strings: list[str] = []
        for target in links.values():
            if target.lower().endswith("sharedstrings.bin") and package.find(target):
                self._read_strings(package.find(target) or "")

    def _read_strings(self, name: str) -> None:
        data = self.package.read(name)
        for kind, start, end in _records(data, self.path):
            if kind == _SST_ITEM and end > start:
                where = f"shared text {len(self.strings) + 1:,}"
                text, _ = _wide(data, start + 1, end, self.path, where)
                self.strings.append(text)

    def sheet(self, name: str) -> Sheet:
        part = self.parts.get(name)
        if part is None:
            raise damaged(self.path)
        data = self.package.read(part)
        path = self.path
        found: Rows = []
        cells: list[CellValue] = []
        row = -1
        farthest_row = farthest_column = 0
        for kind, start, end in _records(data, path):
            if kind == _ROW_HEADER and end - start >= 4:
                if cells:
                    found.append((row, cells))
                    cells = []
                (row,) = struct.unpack_from("<I", data, start)
                if row >= MAX_ROWS:
                    row = MAX_ROWS  # beyond: only an error if a value is there
                continue
            if kind not in _CELLS or end - start < 8 or row < 0:
                continue
            (column,) = struct.unpack_from("<I", data, start)
            where = f"cell {cell_name(row, column)}"
            at = start + 8
            value: CellValue
            if kind == 1:  # blank: a format alone, which calamine skips too
                continue
            if kind == 2:
                value = _rk(struct.unpack_from("<I", data, at)[0])
            elif kind in (3, 11):
                value = _ERRORS.get(data[at], "#N/A")
            elif kind in (4, 10):
                value = bool(data[at])
            elif kind in (5, 9):
                value = struct.unpack_from("<d", data, at)[0]
            elif kind in (6, 8):
                value, _ = _wide(data, at, end, path, where)
            else:
                (index,) = struct.unpack_from("<I", data, at)
                value = self.strings[index] if index < len(self.strings) else ""
            farthest_row = max(farthest_row, row + 1)
            farthest_column = max(farthest_column, column + 1)
            if isinstance(value, str) and not value.strip():
                continue
            if row >= MAX_ROWS:
                raise too_far_down(path)
            if column >= MAX_COLUMNS:
                raise too_far_right(path, row, column)
            if len(cells) < column:
                cells.extend([None] * (column - len(cells)))
            if len(cells) == column:
                cells.append(value)
            else:
                cells[column] = value
        if cells:
            found.append((row, cells))
        found.sort(key=lambda pair: pair[0])  # rows in order, as the file should have them
        return Sheet(farthest_row, farthest_column, found)
