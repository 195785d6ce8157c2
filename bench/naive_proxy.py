"""The window's table as it was before issue 10, for bench/bench_gui_responsiveness.py to compare.

A QSortFilterProxyModel that answers `filterAcceptsRow` in Python for each row and `lessThan` for
each comparison (with the column's ranks worked out once per sort, as the app last did),
`resizeColumnsToContents` to size the columns, and the cross-row pass after each edit and the
autosave on the GUI thread (no roster counts as large). Kept here, not in the app, so both ways run in one
benchmark on the same code otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QTableView

from calven_desk.calven.row_status import matches_filter
from calven_desk.gui.table.model import Role, RosterTableModel
from calven_desk.gui.table.proxy import name_collator

Index = QModelIndex | QPersistentModelIndex


class NaiveFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.collator = name_collator()
        self._ranks: list[int] | None = None
        self._ranked_column = -1
        self.mode = "All"
        self.search = ""
        self.setDynamicSortFilter(False)

    def set_mode(self, mode: str) -> None:
        self.beginFilterChange()
        self.mode = mode
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self.search = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refresh_filter(self) -> None:
        if self.mode != "All" or self.search:
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def setSourceModel(self, model: Any) -> None:
        previous = self.sourceModel()
        signals = [
            "dataChanged",
            "rowsAboutToBeInserted",
            "rowsInserted",
            "rowsAboutToBeRemoved",
            "rowsRemoved",
            "modelAboutToBeReset",
            "modelReset",
            "layoutAboutToBeChanged",
            "layoutChanged",
        ]
        if previous is not None:
            for name in signals:
                getattr(previous, name).disconnect(self._forget_ranks)
        self._forget_ranks()
        for name in signals:
            getattr(model, name).connect(self._forget_ranks)
        super().setSourceModel(model)

    def source_rows_in(self, selection: QItemSelection) -> list[int]:
        """As the window found them before: every selected cell mapped to its source row."""
        return sorted({self.mapToSource(i).row() for i in selection.indexes()})

    def source_rows_from(self, first: int, count: int) -> list[int]:
        """As the window found them before: each shown row mapped to its source row."""
        last = min(first + count, self.rowCount())
        return [self.mapToSource(self.index(r, 0)).row() for r in range(max(first, 0), last)]

    def _forget_ranks(self, *_: object) -> None:
        self._ranks = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._ranks = None
        super().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RosterTableModel):
            return True
        row = model.document.rows[source_row]
        if not matches_filter(model.state(source_row), row, self.mode):
            return False
        if not self.search:
            return True
        for column in range(model.columnCount()):
            text = model.index(source_row, column).data(Qt.ItemDataRole.DisplayRole)
            if text is not None and self.search in str(text).casefold():
                return True
        return False

    def lessThan(self, left: Index, right: Index) -> bool:
        ranks = self._ranks
        if ranks is None or self._ranked_column != left.column():
            ranks = self._ranks = self._rank_rows(left.column())
            self._ranked_column = left.column()
        return ranks[left.row()] < ranks[right.row()]

    def _rank_rows(self, column: int) -> list[int]:
        model = self.sourceModel()
        keys = [self._sort_key(model.index(row, column)) for row in range(model.rowCount())]
        ranks = [0] * len(keys)
        for position, row in enumerate(sorted(range(len(keys)), key=keys.__getitem__)):
            ranks[row] = position
        return ranks

    def _sort_key(self, index: QModelIndex) -> tuple[int, Any]:
        if index.column() == 1:
            return (1, str(index.data(Role.COLOUR_KEY) or ""))
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(value, int):
            return (0, value)
        return (1, self.collator.sortKey(str(value or "")))


def _resize_all(table: QTableView) -> None:
    table.resizeColumnsToContents()


@contextmanager
def naive_window_parts(naive: bool) -> Iterator[None]:
    """While the window runs: the naive proxy and column sizing, and the cross-row pass and
    autosave on the GUI thread, in every window module that uses the app's."""
    swaps = {"RosterFilter": NaiveFilter, "fit_columns": _resize_all, "BACKGROUND_ROWS": 10**9}
    saved: list[tuple[object, str, object]] = []
    if naive:
        for name, module in list(sys.modules.items()):
            if not name.startswith("calven_desk.gui.") or name == "calven_desk.gui.table.proxy":
                continue
            for attribute, replacement in swaps.items():
                if hasattr(module, attribute):
                    saved.append((module, attribute, getattr(module, attribute)))
                    setattr(module, attribute, replacement)
    try:
        yield
    finally:
        for module, attribute, original in saved:
            setattr(module, attribute, original)
