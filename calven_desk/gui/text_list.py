"""A list of lines (text, tooltip, where it leads) for the side panels, as one small Qt model.

The Problems panel and the sync panel's "No longer in the roster" list were QListWidgets filled
with one QListWidgetItem per line made in Python. Replacing their content destroyed and made
hundreds of Python wrappers, each needing Python's lock while background threads (the cross-row
pass, the comparison with Calven) held it, and held the window 50-200 ms on a 50,000-row roster
(issue 10). Here the lines stay a Python list: replacing them is one model reset, Qt keeps no
per-line Python object, and it asks `data()` only about the lines on screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QListView, QWidget

Index = QModelIndex | QPersistentModelIndex

#: The role under which a line's target (what choosing it leads to) is handed out.
TARGET_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class Entry:
    """One line: what it says, the longer text shown on hover, and what choosing it leads to
    (None when choosing it leads nowhere, or somewhere its panel decides)."""

    text: str
    tooltip: str | None = None
    target: object = None


class TextListModel(QAbstractListModel):
    """Read-only lines held in a Python list; `replace` swaps them all in one reset."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []

    def replace(self, entries: Iterable[Entry]) -> None:
        """Show these lines instead: one reset, however many lines, so the view drops its
        selection and scroll position as a freshly filled list would."""
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def entry(self, row: int) -> Entry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Asked for each line on screen, once per role it paints: the fewest tests first.
        if role == Qt.ItemDataRole.DisplayRole:
            found = self.entry(index.row())
            return found.text if found is not None else None
        if role == Qt.ItemDataRole.ToolTipRole or role == TARGET_ROLE:
            found = self.entry(index.row())
            if found is None:
                return None
            return found.tooltip if role == Qt.ItemDataRole.ToolTipRole else found.target
        return None

    # flags(): QAbstractListModel's own (enabled, selectable, no children), answered in C++.


class TextListView(QListView):
    """The lines, wrapped, one height for all; `chosen` says which line a click or Enter chose."""

    #: The Entry a person clicked, or activated with Enter (or a double click, by platform).
    chosen = Signal(object)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = TextListModel(self)
        self.setModel(self.lines)
        # One height for every line: measuring each of hundreds (each through Python's lock)
        # held the window (issue 10).
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setAccessibleName(accessible_name)
        self.clicked.connect(self._choose)
        self.activated.connect(self._choose)

    def replace(self, entries: Iterable[Entry]) -> None:
        self.lines.replace(entries)

    def count(self) -> int:
        """How many lines the list shows."""
        return self.lines.rowCount()

    def texts(self) -> list[str]:
        """Every line's text, in order (what a person reading the panel sees)."""
        return [e.text for e in self.lines.entries()]

    def _choose(self, index: QModelIndex) -> None:
        found = self.lines.entry(index.row()) if index.isValid() else None
        if found is not None:
            self.chosen.emit(found)
