"""Keeps the table's columns in the model's own order, the designed one (gui/table/layout.py).

The model lays its columns out in the order the table starts with, so nothing is moved and a
screen reader (which reads the model's order) announces the columns, and their numbers, as the
screen shows them. A person may still drag a column elsewhere: only then do the view's order and
the model's (a screen reader's) differ, and the window leaves their order alone from then on, even
when the In Calven column arrives later. A new roster starts in the model's order again.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtWidgets import QTableView

from calven_desk.gui.table.model import RosterTableModel
from calven_desk.gui.table.sizing import fit_columns


def first_order(model: RosterTableModel) -> list[int]:
    """The model's columns in the order the view starts with: the model's own."""
    return list(range(model.columnCount()))


class ColumnOrder(QObject):
    """Shows a table's columns in `first_order` when a roster is shown and when a column arrives,
    unless the person has moved one."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.model: RosterTableModel | None = None
        self._arranging = False
        #: The person moved a column themselves: their order stands.
        self.moved_by_hand = False
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.sectionMoved.connect(self._moved)
        table.model().columnsInserted.connect(self._column_came)

    def arrange(self, model: RosterTableModel) -> None:
        """A roster is on screen: its columns in the first order (a new roster starts afresh)."""
        self.model = model
        self.moved_by_hand = False
        self._apply()

    def visual_order(self) -> list[int]:
        """The model's columns as the view shows them, left to right."""
        header = self.table.horizontalHeader()
        return [header.logicalIndex(v) for v in range(header.count())]

    def _apply(self) -> None:
        """Sections moved still (by hand, for a roster shown before) go back to the model's order."""
        if self.model is None:
            return
        header = self.table.horizontalHeader()
        self._arranging = True
        try:
            for place, column in enumerate(first_order(self.model)):
                if column < header.count() and header.visualIndex(column) != place:
                    header.moveSection(header.visualIndex(column), place)
        finally:
            self._arranging = False

    def _moved(self, *_: object) -> None:
        if not self._arranging:
            self.moved_by_hand = True

    def _column_came(self, _parent: QModelIndex, first: int, last: int) -> None:
        """The In Calven column, once Calven's user list is read: sized (the model put it in its
        place, which the view keeps unless the person has moved columns)."""
        fit_columns(self.table, columns=range(first, last + 1))
        if not self.moved_by_hand:
            self._apply()
