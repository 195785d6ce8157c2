"""The table's undoable changes: edits to cells, a new row, deleted rows (each one undo step).

A command names what it changes through `EditedTable`, the few calls the table model offers for
it, so this module does not import the model (which imports it to push edits on its undo stack).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from calven_desk.roster import Field
from calven_desk.roster.document import RemovedRows


class EditedTable(Protocol):
    """What the commands change: cells and rows of the table, each change told to its views."""

    def set_cells(self, changes: Iterable[tuple[int, Field, str]]) -> None: ...

    def next_row_number(self) -> int: ...

    def insert_blank_row(self, position: int, number: int) -> None: ...

    def remove_blank_row(self, position: int) -> None: ...

    def remove_rows(self, positions: list[int]) -> RemovedRows: ...

    def restore_rows(self, removed: RemovedRows) -> None: ...


class EditCells(QUndoCommand):
    """Changes to cells as one undo step: each entry is (row index, field, old text, new text)."""

    def __init__(
        self, model: EditedTable, changes: list[tuple[int, Field, str, str]], label: str
    ) -> None:
        super().__init__(label)
        self.model = model
        self.changes = changes

    def redo(self) -> None:
        self.model.set_cells([(row, name, new) for row, name, _, new in self.changes])

    def undo(self) -> None:
        self.model.set_cells([(row, name, old) for row, name, old, _ in self.changes])


class InsertRow(QUndoCommand):
    def __init__(self, model: EditedTable, position: int) -> None:
        super().__init__("Add row")
        self.model = model
        self.position = position
        self.number = model.next_row_number()

    def redo(self) -> None:
        self.model.insert_blank_row(self.position, self.number)

    def undo(self) -> None:
        self.model.remove_blank_row(self.position)


class RemoveRows(QUndoCommand):
    def __init__(self, model: EditedTable, rows: list[int]) -> None:
        super().__init__(f"Delete {len(rows)} row(s)")
        self.model = model
        self.rows = sorted(set(rows))
        self.removed: RemovedRows | None = None

    def redo(self) -> None:
        self.removed = self.model.remove_rows(self.rows)

    def undo(self) -> None:
        if self.removed is not None:
            self.model.restore_rows(self.removed)
