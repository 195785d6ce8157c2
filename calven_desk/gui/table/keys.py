"""What the table's order is computed from: each row's sort value, search text and filter marks.

Prepared from a snapshot of the document taken on the GUI thread (a copy of the row list, so a
worker thread can read it while the window goes on), by plain functions that touch no widget and
no Qt model: on a large roster they run in a worker (gui/table/order.py). Qt then never calls back
into Python once per row to sort or filter.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import contains

from PySide6.QtCore import QAbstractItemModel, QCollator, QCollatorSortKey

from calven_desk.calven.outcomes import RowOutcome
from calven_desk.calven.row_status import (
    ALL_FILTERS,
    RowState,
    matches_filter,
    row_state,
)
from calven_desk.gui.table.layout import ColumnLayout
from calven_desk.roster.document import DocumentRow, RosterDocument

#: The value a column sorts by: row numbers and result codes as numbers, everything else as text.
SortValue = int | str
#: Separates a row's column texts in its search text; a person cannot type it into Search.
SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class RowsSnapshot:
    """The rows as they are now, plus what the table's layout needs to read them."""

    rows: tuple[DocumentRow, ...]
    sending: frozenset[int]
    #: The model's columns (never changed once made, so a worker may read it).
    layout: ColumnLayout
    #: The "In Calven" column's text by sheet row, when the table shows that column.
    people: Mapping[int, str] | None = None

    @staticmethod
    def of(
        document: RosterDocument,
        sending: set[int],
        layout: ColumnLayout,
        people: Mapping[int, str] | None = None,
    ) -> RowsSnapshot:
        return RowsSnapshot(tuple(document.rows), frozenset(sending), layout, people)

    def state(self, row: DocumentRow) -> RowState:
        return row_state(row, row.check.row in self.sending)

    def column_count(self) -> int:
        return len(self.layout)


def result_text(row: DocumentRow, state: RowState, offset: int) -> str | None:
    """The text of result column `offset` (Result, Result code, Message, Sent at); None before a run."""
    result = row.result if isinstance(row.result, RowOutcome) else None
    if result is None:
        return None
    if offset == 0:
        return state.word if not row.changed_since_sent else "Changed since sent"
    if offset == 1:
        return "" if result.result_code is None else str(result.result_code)
    if offset == 2:
        return result.message
    return result.answered_at.astimezone().strftime("%Y-%m-%d %H:%M") if result.answered_at else ""


def column_reader(snapshot: RowsSnapshot, column: int) -> Callable[[DocumentRow], SortValue]:
    """How to read one column's sort value from a row (the status column sorts by its colour key)."""
    layout = snapshot.layout
    kind = layout.describe(column).kind
    if kind == "row":
        return lambda row: row.check.row
    if kind == "status":
        return lambda row: snapshot.state(row).colour
    if (name := layout.field_of.get(column)) is not None:
        return lambda row: row.check.values.get(name, "")
    if (source := layout.source_of.get(column)) is not None:
        from calven_desk.roster.cells import cell_text

        return lambda row: cell_text(row.cells[source]) if source < len(row.cells) else ""
    people = snapshot.people
    if kind == "people" and people is not None:
        return lambda row: people.get(row.check.row, "")
    offset = layout.result_of.get(column)
    if offset is None:
        return lambda row: ""
    return lambda row: result_text(row, snapshot.state(row), offset) or ""


def column_values(snapshot: RowsSnapshot, column: int) -> list[SortValue]:
    return list(map(column_reader(snapshot, column), snapshot.rows))


def rank_values(values: Sequence[object], collator: QCollator) -> list[int]:
    """Each row's rank in the column, ascending; equal values share a rank, so a stable sort keeps
    them in file order both ways. Numbers come before text; text is collated in the person's
    language, each distinct value once (a column of 50,000 cells often holds far fewer)."""
    numbers = sorted({v for v in values if isinstance(v, int)})
    texts = {str(v or "") for v in values if not isinstance(v, int)}
    keys = {text: collator.sortKey(text) for text in texts}
    ordered: list[object] = [*numbers]
    ordered += collated(texts, keys)
    rank: dict[object, int] = {}
    previous: object = None
    position = -1
    for value in ordered:
        # Texts the collator calls equal (case differences) share a rank as well.
        same = (
            position >= 0
            and isinstance(value, str)
            and isinstance(previous, str)
            and collator.compare(value, previous) == 0
        )
        position += 0 if same else 1
        rank[value] = position
        previous = value
    return [rank[v if isinstance(v, int) else str(v or "")] for v in values]


#: Texts collated per sort call: a collated sort compares in C and never lets go of Python's
#: lock, and 50,000 texts at once held the window for a quarter of a second (issue 10).
COLLATED_CHUNK = 5000


def collated(texts: Iterable[str], keys: Mapping[str, QCollatorSortKey]) -> list[str]:
    """The texts in the order of their collation keys, in short sorts merged by Python code
    (which hands the lock over). Sorted case-blind first, which is nearly the collated order,
    so the collated sorts and the merge make few comparisons; the result is the same."""
    near = sorted(texts, key=str.casefold)
    key = keys.__getitem__
    chunks = [
        sorted(near[i : i + COLLATED_CHUNK], key=key) for i in range(0, len(near), COLLATED_CHUNK)
    ]
    return list(heapq.merge(*chunks, key=key))


def sorted_rows(ranks: Sequence[int], descending: bool) -> list[int]:
    """Source rows in order of rank; ties keep file order (Python's sort is stable both ways)."""
    return sorted(range(len(ranks)), key=ranks.__getitem__, reverse=descending)


@dataclass(frozen=True, slots=True)
class RowMarks:
    """Per source row: its search text (every column's text, case-folded) and which filters show it."""

    texts: list[str]
    shown_by: dict[str, list[bool]]

    def mask(self, mode: str, search: str) -> list[bool] | None:
        """Which rows the filter and search show, or None when they show every row."""
        by_mode = self.shown_by.get(mode) if mode != "All" else None
        by_search = list(map(contains, self.texts, repeat(search))) if search else None
        if by_mode is None or by_search is None:
            return by_mode if by_search is None else by_search
        return [a and b for a, b in zip(by_mode, by_search, strict=True)]


def row_marks(snapshot: RowsSnapshot) -> RowMarks:
    kinds = enumerate(snapshot.layout.columns)
    readers = [
        column_reader(snapshot, c) for c, (kind, _) in kinds if kind not in ("row", "status")
    ]
    texts: list[str] = []
    shown_by: dict[str, list[bool]] = {name: [] for name in ALL_FILTERS if name != "All"}
    for row in snapshot.rows:
        state = snapshot.state(row)
        cells = [str(row.check.row), state.word]
        cells += [str(read(row)) for read in readers]
        texts.append(SEPARATOR.join(cells).casefold())
        for name, marks in shown_by.items():
            marks.append(matches_filter(state, row, name))
    return RowMarks(texts, shown_by)


def generic_marks(model: QAbstractItemModel) -> RowMarks:
    """Marks for a plain Qt model (the tests' small ones): read through `data()`, on this thread."""
    texts = []
    for row in range(model.rowCount()):
        cells = (model.index(row, c).data() for c in range(model.columnCount()))
        texts.append("\x1f".join("" if c is None else str(c) for c in cells).casefold())
    everyone = [True] * len(texts)
    return RowMarks(texts, {name: everyone for name in ("Problems", "Ready", "Not sent")})
