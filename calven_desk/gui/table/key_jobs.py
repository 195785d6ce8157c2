"""The jobs that prepare the view order's keys (gui/table/order.py), made from a snapshot of the
rows on the GUI thread and run in a worker on a large roster: each column's sort ranks, and the
marks the filters and Search read."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QCollator, Qt

from calven_desk.gui.table.keys import (
    RowsSnapshot,
    column_values,
    generic_marks,
    rank_values,
    row_marks,
)
from calven_desk.gui.table.model import RosterTableModel

Job = Callable[[], tuple[str, object]]


def rank_job(model: QAbstractItemModel, column: int, collator: QCollator) -> Job:
    """Each row's rank in `column`, sorted as the person's language sorts text."""
    collator = QCollator(collator)  # a copy for the worker's thread
    if isinstance(model, RosterTableModel):
        snapshot = RowsSnapshot.of(model.document, model.sending, model.layout, model.people)
        return lambda: ("ranks", (column, rank_values(column_values(snapshot, column), collator)))
    values = [
        model.index(row, column).data(Qt.ItemDataRole.EditRole) for row in range(model.rowCount())
    ]
    return lambda: ("ranks", (column, rank_values(values, collator)))


def marks_job(model: QAbstractItemModel) -> Job:
    """Each row's search text and filter marks."""
    if isinstance(model, RosterTableModel):
        snapshot = RowsSnapshot.of(model.document, model.sending, model.layout, model.people)
        return lambda: ("marks", row_marks(snapshot))
    marks = generic_marks(model)
    return lambda: ("marks", marks)
