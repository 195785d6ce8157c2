"""A list of lines (text, tooltip, where it leads) for the side panels, as one small Qt model.

The Problems panel and the sync panel's "No longer in the roster" list were QListWidgets filled
with one QListWidgetItem per line made in Python. Replacing their content destroyed and made
hundreds of Python wrappers, each needing Python's lock while background threads (the cross-row
pass, the comparison with Calven) held it, and held the window 50-200 ms on a 50,000-row roster
(issue 10). Here the texts are one QStringListModel, filled in one call: Qt keeps no per-line
Python object and asks Python nothing to show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QObject, QStringListModel, Signal
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QToolTip, QWidget


@dataclass(frozen=True, slots=True)
class Entry:
    """One line: what it says, the longer text shown on hover, and what choosing it leads to
    (None when choosing it leads nowhere, or somewhere its panel decides)."""

    text: str
    tooltip: str | None = None
    target: object = None


class TextListModel(QStringListModel):
    """Read-only lines; `replace` swaps them all in one reset.

    The texts live in Qt (a QStringListModel): Qt asks how many lines there are and what each
    says without calling Python, which it did about a thousand times per change of the
    Problems panel, each call waiting its turn for Python's lock while a worker ran. The rest
    of each line (its tooltip and target) stays in a Python list beside it.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[Entry] = []

    def replace(self, entries: Iterable[Entry]) -> None:
        """Show these lines instead: one reset, however many lines, so the view drops its
        selection and scroll position as a freshly filled list would."""
        self._entries = list(entries)
        self.setStringList([e.text for e in self._entries])

    def entries(self) -> list[Entry]:
        return list(self._entries)

    def entry(self, row: int) -> Entry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None


class TextListView(QListView):
    """The lines, wrapped, one height for all; `chosen` says which line a click or Enter chose."""

    #: The Entry a person clicked, or activated with Enter (or a double click, by platform).
    chosen = Signal(object)

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = TextListModel(self)
        self.setModel(self.lines)
        # One height for every line: the list is laid out from the first line's height, not by
        # measuring each of hundreds at every rebuild.
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
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

    def viewportEvent(self, event: QEvent) -> bool:
        """A line's tooltip (its whole message: lines are cut to one height) on hover."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            found = self.lines.entry(self.indexAt(event.pos()).row())
            if found is not None and found.tooltip:
                QToolTip.showText(event.globalPos(), found.tooltip, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _choose(self, index: QModelIndex) -> None:
        found = self.lines.entry(index.row()) if index.isValid() else None
        if found is not None:
            self.chosen.emit(found)
