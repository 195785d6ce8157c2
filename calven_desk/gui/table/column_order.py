"""The order the table's columns start in: who and when first, then what Calven said, then the rest.

Row, Status, the person's name (when the roster has a name column, or first- and last-name
columns), Email (or Calven user ID), Start date, End date, Time-off type, Event type, In Calven,
Result, Message, then Event ID, the roster's other columns, Result code and Sent at. A roster's
own order put the name (a column never sent) far right, off a laptop's screen.

Only the view's order changes (the header's sections are moved): the model, sorting, search and
edits keep their columns, and a person may still drag a column elsewhere. Once they have, the
window leaves their order alone, even when the In Calven column arrives later.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtWidgets import QTableView

from calven_desk.gui.table.model import RosterTableModel
from calven_desk.gui.table.sizing import fit_columns
from calven_desk.roster.directory_check import name_columns

#: The Calven fields in the order they come, after the name.
FIELDS_FIRST = ("email", "uid", "startDate", "endDate", "timeOffType", "eventType")
#: Result and Message come before the rest; Result code and Sent at last (the Result says the code).
RESULTS_FIRST, RESULTS_LAST = (0, 2), (1, 3)


def first_order(model: RosterTableModel) -> list[int]:
    """The model's columns in the order the view starts with."""
    kinds = {column: model.describe_column(column) for column in range(model.columnCount())}
    by_kind = {kind: column for column, kind in kinds.items()}
    names = name_columns(model.document.table.headers)
    order = [0, 1]
    order += [by_kind[("roster", source)] for source in names if ("roster", source) in by_kind]
    order += [by_kind[("field", name)] for name in FIELDS_FIRST if ("field", name) in by_kind]
    order += [by_kind[("people", None)]] if ("people", None) in by_kind else []
    order += [
        by_kind[("result", offset)] for offset in RESULTS_FIRST if ("result", offset) in by_kind
    ]
    order += [c for c, (kind, _) in kinds.items() if kind == "field" and c not in order]
    order += [c for c, (kind, _) in kinds.items() if kind == "roster" and c not in order]
    order += [
        by_kind[("result", offset)] for offset in RESULTS_LAST if ("result", offset) in by_kind
    ]
    return order + [c for c in kinds if c not in order]


class ColumnOrder(QObject):
    """Puts a table's columns in `first_order` when a roster is shown and when a column arrives."""

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
        """The In Calven column, once Calven's user list is read: sized, and put in its place."""
        fit_columns(self.table, columns=range(first, last + 1))
        if not self.moved_by_hand:
            self._apply()
