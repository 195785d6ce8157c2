"""The table's undoable changes: edits to cells, a new row, deleted rows (each one undo step)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QUndoCommand

from calven_desk.roster import Field
from calven_desk.roster.document import RemovedRows

if TYPE_CHECKING:
    from calven_desk.gui.table_model import RosterTableModel


class EditCells(QUndoCommand):
    """Changes to cells as one undo step: each entry is (row index, field, old text, new text)."""

    def __init__(
        self, model: RosterTableModel, changes: list[tuple[int, Field, str, str]], label: str
    ) -> None:
        super().__init__(label)
        self.model = model
        self.changes = changes

    def redo(self) -> None:
        self.model.set_cells([(row, name, new) for row, name, _, new in self.changes])

    def undo(self) -> None:
        self.model.set_cells([(row, name, old) for row, name, old, _ in self.changes])


class InsertRow(QUndoCommand):
    def __init__(self, model: RosterTableModel, position: int) -> None:
        super().__init__("Add row")
        self.model = model
        self.position = position
        self.number = model.document.next_row_number()

    def redo(self) -> None:
        self.model.beginInsertRows(QModelIndex(), self.position, self.position)
        self.model.document.insert_row(self.position, self.number)
        self.model.endInsertRows()
        self.model.refresh()

    def undo(self) -> None:
        self.model.beginRemoveRows(QModelIndex(), self.position, self.position)
        self.model.document.remove_rows([self.position])
        self.model.endRemoveRows()
        self.model.refresh()


class RemoveRows(QUndoCommand):
    def __init__(self, model: RosterTableModel, rows: list[int]) -> None:
        super().__init__(f"Delete {len(rows)} row(s)")
        self.model = model
        self.rows = sorted(set(rows))
        self.removed: RemovedRows | None = None

    def redo(self) -> None:
        self.model.beginResetModel()
        self.removed = self.model.document.remove_rows(self.rows)
        self.model.endResetModel()

    def undo(self) -> None:
        if self.removed is not None:
            self.model.beginResetModel()
            self.model.document.restore_rows(self.removed)
            self.model.endResetModel()
