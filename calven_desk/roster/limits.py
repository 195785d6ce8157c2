"""How much of a file Calven Desk will read, and the sentence that says which limit a file went over.

A roster is small; a spreadsheet can be made to look small and be huge once unpacked (one space
typed in the sheet's last cell, a part that inflates a thousandfold, a cell of 800 million
letters). The readers stop at these limits instead of running out of memory, so a hostile or
damaged file costs a sentence, never the process and the person's unsaved work. Each limit is far
above any real roster (README, "What the roster engine understands").
"""

from __future__ import annotations

from pathlib import Path

from calven_desk.roster.model import RosterReadError

#: The largest file read at all (a million-row CSV roster is about 150 MB).
MAX_FILE_BYTES = 512 * 1024 * 1024
#: What the parts of a workbook that are read may unpack to, together.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: How many times larger than its packed size a part may unpack to (real sheets: 5 to 30 times;
#: Apache POI refuses past 100 too). Parts under `RATIO_FREE_BYTES` unpacked are not asked.
MAX_RATIO = 100
RATIO_FREE_BYTES = 1024 * 1024
#: Excel's own number of rows.
MAX_ROWS = 1_048_576
#: Columns a value may be in (column ALL); Excel allows 16,384 but no roster comes near 1,000.
MAX_COLUMNS = 1_000
#: Data rows times columns of the table kept (a million rows of 20 columns).
MAX_CELLS = 20_000_000
#: Characters in one cell: Excel's own limit.
MAX_CELL_CHARS = 32_767


def over_limit(path: Path, reason: str) -> RosterReadError:
    """The one sentence for a file over a limit: which file, what, and what to do."""
    return RosterReadError(f"Cannot open {path.name}: {reason}.")


def cell_name(row: int, column: int) -> str:
    """`row` and `column` from 0, as Excel names the cell (`XFD1048576`)."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def too_far_right(path: Path, row: int, column: int) -> RosterReadError:
    return over_limit(
        path,
        f"cell {cell_name(row, column)} holds a value beyond the {MAX_COLUMNS:,} columns Calven "
        "Desk reads; delete what is in it (or copy the roster to a new sheet) and save again",
    )


def too_far_down(path: Path) -> RosterReadError:
    return over_limit(
        path,
        f"it has more than {MAX_ROWS:,} rows, the most Calven Desk reads (as many as Excel "
        "has); split the roster into smaller files",
    )


def too_long(path: Path, where: str) -> RosterReadError:
    return over_limit(
        path,
        f"{where} holds more than {MAX_CELL_CHARS:,} characters, the most one cell may hold "
        "(as in Excel); shorten it and save again",
    )


def too_big_file(path: Path) -> RosterReadError:
    return over_limit(
        path,
        f"it is larger than {MAX_FILE_BYTES // (1024 * 1024):,} MB, more than Calven Desk reads; "
        "split the roster into smaller files",
    )


def unpacks_too_big(path: Path) -> RosterReadError:
    return over_limit(
        path,
        f"it unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024):,} MB or to more than "
        f"{MAX_RATIO} times its size, far more than a roster; it may be damaged or made to "
        "harm: save it again from Excel, or ask who sent it",
    )


def too_many_cells(path: Path, rows: int, columns: int) -> RosterReadError:
    return over_limit(
        path,
        f"its {rows:,} rows of {columns:,} columns make more than {MAX_CELLS:,} cells, the most "
        "Calven Desk reads; delete the columns the roster does not need, or split it",
    )
