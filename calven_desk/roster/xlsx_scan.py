"""Whether calamine may read an xlsx sheet: it builds a grid of every cell from A1 to the farthest
one that has a value, so one space typed in XFD1048576 asked for 512 GB and ended the process.

`scan_sheet` goes over the sheet's XML in pieces at the speed of the C regular-expression engine
(about 0.1 s for 50,000 rows): where its cells are, how many there are, and whether any text is
long. Only a sheet whose grid is small and mostly filled, with every cell naming its own place,
goes to calamine; any other is read cell by cell (`xlsx_cells.py`): a roster with one stray value
in B1048576 is a few cells, not a grid of two million.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO

from calven_desk.roster.limits import MAX_CELL_CHARS, MAX_COLUMNS

#: The most cells (rows x columns, from A1) calamine may lay out: a few hundred MB at most.
MAX_GRID_CELLS = 6_000_000
#: A grid this small is laid out whatever it holds (a few MB).
SMALL_GRID_CELLS = 100_000
#: Past SMALL_GRID_CELLS, calamine lays out a grid only if the sheet's cells fill at least this
#: share of it: a real roster fills most of its rectangle; a stray value far away leaves it empty.
MIN_FILLED = 0.25


def dense_enough(rows: int, columns: int, cells: int) -> bool:
    """Whether laying out every cell from A1 is worth it for a sheet with `cells` cells."""
    grid = rows * columns
    return grid <= MAX_GRID_CELLS and (grid <= SMALL_GRID_CELLS or cells >= MIN_FILLED * grid)


_PIECE = 8 * 1024 * 1024
#: A text run without `<` this long, anywhere, makes a long cell possible.
_BLOCK = (MAX_CELL_CHARS + 1) // 2
#: A cell or row that does not start by naming its place (calamine counts on from the one
#: before), or one with a namespace prefix: such a sheet is read cell by cell.
_NOT_PLAIN = re.compile(rb'<(?:c|row)(?! r=")[\s/>]|:(?:c|row)[\s/>]')
#: A cell beyond column Z or row 99,999; without one, the grid is at most 26 x 99,999 cells.
_FAR = re.compile(rb'<c r="(?:[A-Z]{2}|[A-Z][0-9]{6})')
_NEAR = (99_999, 26)
#: Either of the above, in two passes (the usual answer: neither), each starting with one
#: fixed character, which the regular-expression engine looks for quickly.
_ODD = (
    re.compile(rb'<(?:c(?: r="(?:[A-Z]{2}|[A-Z][0-9]{6})|(?! r=")[\s/>])|row(?! r=")[\s/>])'),
    re.compile(rb":(?:c|row)[\s/>]"),
)
#: Where a cell that may hold a value is: calamine skips `<c r="A1" s="3"/>` (a format alone).
_COLUMNS = {n: re.compile(rb'<c r="([A-Z]{%d})[0-9]+"[^>]*(?<!/)>' % n) for n in (1, 2, 3)}
_ROWS = {n: re.compile(rb'<c r="[A-Z]{1,3}([0-9]{%d})"[^>]*(?<!/)>' % n) for n in range(1, 8)}


@dataclass(frozen=True, slots=True)
class Scan:
    """What calamine would lay out for the sheet, and whether it may."""

    rows: int  # at least the farthest row and column that hold a value (from 1)
    columns: int
    plain: bool  # every cell and row names its place, without namespace prefixes
    long_text: bool  # some text may be longer than a cell may hold
    cells: int = 0  # how many cells the sheet has (formatted-only ones too)
    #: False when every cell was within Z99999, so `rows` and `columns` are that bound (26 x
    #: 99,999: calamine's grid stays under 300 MB), not the sheet's own extent.
    exact: bool = True

    @property
    def for_calamine(self) -> bool:
        grid_ok = (
            dense_enough(self.rows, self.columns, self.cells)
            if self.exact
            else self.rows * self.columns <= MAX_GRID_CELLS
        )
        return self.plain and not self.long_text and self.columns <= MAX_COLUMNS and grid_ok


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _has_long_run(data: bytes) -> bool:
    """Whether some run without `<` may reach MAX_CELL_CHARS: any such run covers a whole
    aligned block of `_BLOCK` bytes, so a few hundred `find`s answer it."""
    return any(
        data.find(b"<", start, start + _BLOCK) == -1
        for start in range(0, len(data) - _BLOCK + 1, _BLOCK)
    )


def _farthest(data: bytes, rows: int, columns: int) -> tuple[int, int]:
    """The farthest row and column (from 1) of the cells in `data`, at least `rows`, `columns`:
    the longest numbers found first, and only those compared (as text: same length)."""
    for length in (3, 2, 1):
        found = set(_COLUMNS[length].findall(data))
        if found:
            columns = max(columns, *(_column_number(c) for c in found))
            break
    for digits in range(7, 0, -1):
        numbers = _ROWS[digits].findall(data)
        if numbers:
            rows = max(rows, int(max(numbers)))
            break
    return rows, columns


def scan_sheet(stream: IO[bytes]) -> Scan:
    rows = columns = cells = 0
    far = False
    plain, long_text = True, False  # what is known so far
    carry = b""
    while piece := stream.read(_PIECE):
        data = carry + piece
        cut = data.rfind(b">") + 1
        data, carry = data[:cut], data[cut:]
        if len(carry) > _BLOCK:  # a text run longer than the block, still going
            long_text = True
            carry = carry[-256:]
        if long_text or _has_long_run(data):
            return Scan(rows, columns, plain, long_text=True)  # read cell by cell anyway
        cells += data.count(b"<c ")
        if not any(odd.search(data) for odd in _ODD) or not (
            _NOT_PLAIN.search(data) or _FAR.search(data)
        ):
            rows, columns = max(rows, _NEAR[0]), max(columns, _NEAR[1])
        elif _NOT_PLAIN.search(data):
            return Scan(rows, columns, plain=False, long_text=False)
        else:
            rows, columns = _farthest(data, rows, columns)
            far = True
    return Scan(rows, columns, plain, long_text, cells, exact=far or not cells)
