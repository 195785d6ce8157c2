"""Filters the roster table by status (All, Problems, Ready, ...) and by a search text, and sorts it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from calven_desk.gui.rowstate import matches_filter
from calven_desk.gui.table_model import Role, RosterTableModel

Index = QModelIndex | QPersistentModelIndex


class RosterFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.mode = "All"
        self.search = ""
        self.setSortRole(Qt.ItemDataRole.EditRole)
        # Re-sorting 50,000 rows through Python's lessThan after every edit or result froze the
        # window for over a second (bench/bench_gui_responsiveness.py); sorting happens when a
        # header is clicked, and filtering is refreshed by `refresh_filter` when one is active.
        self.setDynamicSortFilter(False)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.invalidateRowsFilter()

    def set_search(self, text: str) -> None:
        self.search = text.strip().casefold()
        self.invalidateRowsFilter()

    def refresh_filter(self) -> None:
        """After edits or results: rows may now belong to another filter (only work when filtering)."""
        if self.mode != "All" or self.search:
            self.invalidateRowsFilter()

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
        """Row numbers and result codes sort as numbers, everything else as text (dates are ISO)."""
        a, b = left.data(Qt.ItemDataRole.EditRole), right.data(Qt.ItemDataRole.EditRole)
        if isinstance(a, int) and isinstance(b, int):
            return a < b
        if left.column() == 1:
            a, b = left.data(Role.COLOUR_KEY), right.data(Role.COLOUR_KEY)
        return str(a or "").casefold() < str(b or "").casefold()
