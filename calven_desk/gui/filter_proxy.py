"""Filters the roster table by status (All, Problems, Ready, ...) and by a search text, and sorts it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCollator,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from calven_desk.gui.rowstate import matches_filter
from calven_desk.gui.table_model import Role, RosterTableModel

Index = QModelIndex | QPersistentModelIndex


def name_collator(locale: QLocale | None = None) -> QCollator:
    """Compares text the way the person's language sorts it: Åsa with the A's in English, after Z
    in Swedish; Ölund among the O's in German. The C locale (no language chosen, as on build
    servers) would compare code points, which puts every accented name after Z, so it sorts as
    English does instead."""
    chosen = locale if locale is not None else QLocale()
    if chosen.language() == QLocale.Language.C:
        chosen = QLocale(QLocale.Language.English)
    collator = QCollator(chosen)
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return collator


SortKey = tuple[int, Any]


class RosterFilter(QSortFilterProxyModel):
    def __init__(self, locale: QLocale | None = None) -> None:
        super().__init__()
        self.collator = name_collator(locale)
        # Each source row's place in the sorted column, worked out once per sort in Python. Asking
        # the model for both cells and collating them in every one of the ~800,000 comparisons a
        # 50,000-row sort makes froze the window for seconds (bench/bench_sort.py).
        self._ranks: list[int] | None = None
        self._ranked_column = -1
        self.mode = "All"
        self.search = ""
        # Re-sorting 50,000 rows through Python's lessThan after every edit or result froze the
        # window for over a second (bench/bench_gui_responsiveness.py); sorting happens when a
        # header is clicked, and filtering is refreshed by `refresh_filter` when one is active.
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
        """After edits or results: rows may now belong to another filter (only work when filtering)."""
        if self.mode != "All" or self.search:
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        """Any change to the rows may change their order, so the ranks are worked out afresh.

        Connected before Qt's own handlers (which `super().setSourceModel` connects), so the ranks
        are already forgotten when Qt re-sorts inside its handling of a reset or a removal.
        """
        previous = self.sourceModel()
        if previous is not None:
            for signal in self._changes(previous):
                signal.disconnect(self._forget_ranks)
        self._forget_ranks()
        for signal in self._changes(model):
            signal.connect(self._forget_ranks)
        super().setSourceModel(model)

    @staticmethod
    def _changes(model: QAbstractItemModel) -> list[Any]:
        return [
            model.dataChanged,
            model.rowsAboutToBeInserted,
            model.rowsInserted,
            model.rowsAboutToBeRemoved,
            model.rowsRemoved,
            model.rowsAboutToBeMoved,
            model.rowsMoved,
            model.modelAboutToBeReset,
            model.modelReset,
            model.layoutAboutToBeChanged,
            model.layoutChanged,
        ]

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
            ranks = self._fresh_ranks(left.column())
        try:
            return ranks[left.row()] < ranks[right.row()]
        except IndexError:
            # A second guard behind the signals: a stale list must never be read past its end
            # inside a Qt callback, where the error would take the whole window down.
            ranks = self._fresh_ranks(left.column())
            return ranks[left.row()] < ranks[right.row()]

    def _fresh_ranks(self, column: int) -> list[int]:
        self._ranks = self.rank_rows(column)
        self._ranked_column = column
        return self._ranks

    def rank_rows(self, column: int) -> list[int]:
        """Each source row's position when the column is sorted ascending (ties keep file order)."""
        model = self.sourceModel()
        keys = [self.sort_key(model.index(row, column)) for row in range(model.rowCount())]
        ranks = [0] * len(keys)
        for position, row in enumerate(sorted(range(len(keys)), key=keys.__getitem__)):
            ranks[row] = position
        return ranks

    def sort_key(self, index: QModelIndex) -> SortKey:
        """Row numbers and result codes sort as numbers, the status by its kind, and all other
        text the way the person's language sorts it (dates are ISO, so they sort as text too)."""
        if index.column() == 1:
            return (1, str(index.data(Role.COLOUR_KEY) or ""))
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(value, int):
            return (0, value)
        return (1, self.collator.sortKey(str(value or "")))
