"""The roster as a Qt table: row number, status, Calven's fields, the file's other columns, results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QPalette, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QStyle

from calven_desk.calven.outcomes import RowOutcome
from calven_desk.gui.colours import row_colour
from calven_desk.gui.rowstate import RowState, row_state
from calven_desk.roster import LABELS, Field
from calven_desk.roster.document import RemovedRows, RosterDocument

Index = QModelIndex | QPersistentModelIndex
RESULT_COLUMNS = ("Result", "Result code", "Message", "Sent at")


class Role(IntEnum):
    """Extra data roles the delegate and the tests read."""

    SEVERITY = Qt.ItemDataRole.UserRole + 1  # "error", "warning" or None for the cell
    COLOUR_KEY = (
        Qt.ItemDataRole.UserRole + 2
    )  # the row's colour role (accepted, code1, not_sent, ...)
    FIELD = Qt.ItemDataRole.UserRole + 3  # the Calven field of an editable column
    STATE = Qt.ItemDataRole.UserRole + 4  # the RowState


#: What a run's progress changes: a row's state and word, its colour, icon and tooltip. A
#: `dataChanged` naming these roles tells the window that nothing but results changed.
RESULT_ROLES = (
    int(Role.STATE),
    int(Role.COLOUR_KEY),
    int(Qt.ItemDataRole.DisplayRole),
    int(Qt.ItemDataRole.BackgroundRole),
    int(Qt.ItemDataRole.DecorationRole),
    int(Qt.ItemDataRole.ToolTipRole),
)

ICONS = {
    "accepted": QStyle.StandardPixmap.SP_DialogApplyButton,
    "rejected": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "not_sent": QStyle.StandardPixmap.SP_BrowserStop,
    "invalid": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "ready": QStyle.StandardPixmap.SP_DialogYesButton,
    "sending": QStyle.StandardPixmap.SP_BrowserReload,
}


class RosterTableModel(QAbstractTableModel):
    """Columns: Row, Status, the mapped fields (editable), unmapped columns (read-only), results."""

    def __init__(self, document: RosterDocument) -> None:
        super().__init__()
        self.document = document
        self.sending: set[int] = set()
        self.undo_stack = QUndoStack(self)
        #: The "In Calven" column's text by sheet row (gui/window/directory.py fills it); the
        #: column exists only once a user list is there, just before the result columns.
        self.people: Mapping[int, str] | None = None
        self.people_tips: Mapping[int, str] = {}

    # --- layout ---------------------------------------------------------------------------------

    def field_column(self, name: Field) -> int:
        return 2 + self.document.fields.index(name)

    def column_field(self, column: int) -> Field | None:
        offset = column - 2
        return self.document.fields[offset] if 0 <= offset < len(self.document.fields) else None

    def _unmapped_source(self, column: int) -> int | None:
        offset = column - 2 - len(self.document.fields)
        unmapped = self.document.unmapped
        return unmapped[offset] if 0 <= offset < len(unmapped) else None

    def people_column(self) -> int | None:
        if self.people is None:
            return None
        return 2 + len(self.document.fields) + len(self.document.unmapped)

    def show_people(self, people: Mapping[int, str], tips: Mapping[int, str]) -> None:
        """Show (or refresh) the "In Calven" column."""
        if self.people is None:
            column = 2 + len(self.document.fields) + len(self.document.unmapped)
            self.beginInsertColumns(QModelIndex(), column, column)
            self.people, self.people_tips = people, tips
            self.endInsertColumns()
        else:
            self.people, self.people_tips = people, tips
        self.refresh()  # the rows' problems changed with it: the window refilters and recounts

    def _result_offset(self, column: int) -> int | None:
        offset = column - 2 - len(self.document.fields) - len(self.document.unmapped)
        offset -= self.people is not None
        return offset if 0 <= offset < len(RESULT_COLUMNS) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  (Qt's name)
        return 0 if parent.isValid() else len(self.document.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return (
            0
            if parent.isValid()
            else 2
            + len(self.document.fields)
            + len(self.document.unmapped)
            + (self.people is not None)
            + len(RESULT_COLUMNS)
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        if section == 0:
            return "Row"
        if section == 1:
            return "Status"
        if (name := self.column_field(section)) is not None:
            header = self.document.mapping.header_of(name)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Sent to Calven as {name}; from the file's column '{header}'."
            return LABELS[name]
        if (source := self._unmapped_source(section)) is not None:
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Kept from the file but never sent to Calven."
            return self.document.table.headers[source]
        if section == self.people_column():
            if role == Qt.ItemDataRole.ToolTipRole:
                return "The person's name in Calven's user list, or why Calven does not know them."
            return "In Calven"
        offset = self._result_offset(section)
        return RESULT_COLUMNS[offset] if offset is not None else None

    # --- data -----------------------------------------------------------------------------------

    def state(self, row: int) -> RowState:
        document_row = self.document.rows[row]
        return row_state(document_row, document_row.check.row in self.sending)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.column_field(index.column()) is not None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.document.rows[index.row()]
        column = index.column()
        name = self.column_field(column)
        if role == Role.FIELD:
            return name
        if role == Role.STATE:
            return self.state(index.row())
        if role == Role.COLOUR_KEY:
            return self.state(index.row()).colour
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = row_colour(self.state(index.row()).colour, QApplication.palette())
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and self._unmapped_source(column) is not None:
            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Role.SEVERITY:
            if name is None:
                return None
            severities = {p.severity for p in row.check.problems_for(name)}
            return "error" if "error" in severities else "warning" if severities else None
        if column == 0:
            return (
                row.check.row
                if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole)
                else None
            )
        if column == 1:
            state = self.state(index.row())
            if role == Qt.ItemDataRole.DisplayRole:
                return state.word
            if role == Qt.ItemDataRole.DecorationRole:
                return QApplication.style().standardIcon(ICONS[state.icon])
            if role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(p.message for p in row.check.problems) or state.word
            return None
        if name is not None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return row.check.values.get(name, "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(p.message for p in row.check.problems_for(name)) or None
            return None
        if (source := self._unmapped_source(column)) is not None:
            return (
                self.document.unmapped_text(index.row(), source)
                if role == Qt.ItemDataRole.DisplayRole
                else None
            )
        if self.people is not None and column == self.people_column():
            if role == Qt.ItemDataRole.DisplayRole:
                return self.people.get(row.check.row, "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.people_tips.get(row.check.row)
            return None
        offset = self._result_offset(column)
        result = row.result if isinstance(row.result, RowOutcome) else None
        if (
            offset is None
            or result is None
            or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
        ):
            return None
        if offset == 0:
            return (
                self.state(index.row()).word if not row.changed_since_sent else "Changed since sent"
            )
        if offset == 1:
            return "" if result.result_code is None else str(result.result_code)
        if offset == 2:
            return result.message
        return (
            result.answered_at.astimezone().strftime("%Y-%m-%d %H:%M") if result.answered_at else ""
        )

    # --- changes --------------------------------------------------------------------------------

    def refresh(self, roles: Sequence[int] = ()) -> None:
        """Every row may have changed (the cross-row pass touches other rows). `roles` names what
        changed (RESULT_ROLES: only sending states and results); none means anything may have."""
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, self.columnCount() - 1),
                list(roles),
            )

    def set_cell(self, row: int, name: Field, text: str) -> None:
        self.document.set_value(row, name, text)
        self.refresh()

    def set_cells(self, changes: Iterable[tuple[int, Field, str]]) -> None:
        self.document.set_values(changes)
        self.refresh()

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """An edit from the table becomes an undoable command on the model's undo stack."""
        name = self.column_field(index.column())
        if name is None or role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        text = "" if value is None else str(value).strip()
        old = self.document.rows[index.row()].check.values.get(name, "")
        if text == old:
            return False
        self.undo_stack.push(
            EditCells(self, [(index.row(), name, old, text)], f"Edit {LABELS[name]}")
        )
        return True

    def edit_cells(self, changes: list[tuple[int, Field, str]], label: str) -> None:
        """Several cells as one undo step (paste, fill-down)."""
        full = [
            (row, name, self.document.rows[row].check.values.get(name, ""), text)
            for row, name, text in changes
        ]
        full = [c for c in full if c[2] != c[3]]
        if full:
            self.undo_stack.push(EditCells(self, full, label))

    def record_results(
        self, outcomes: Iterable[RowOutcome], sent: Mapping[int, Mapping[str, str]] | None = None
    ) -> None:
        """A run's answers arrived: no row is sending any more; one refresh for both changes.
        `sent` is what the run sent, by row (see RosterDocument.record_results)."""
        self.sending = set()
        self.document.record_results(outcomes, sent)
        self.refresh(RESULT_ROLES)

    def record_answers(
        self, outcomes: Iterable[RowOutcome], sent: Mapping[int, Mapping[str, str]] | None = None
    ) -> None:
        """Some of a run's rows were answered: they stop showing "Sending…" and take their colour
        while the rest of the run goes on (`sent` as for record_results)."""
        answered = list(outcomes)
        self.sending -= {o.row for o in answered}
        self.document.record_results(answered, sent)
        self.refresh(RESULT_ROLES)

    def set_sending(self, rows: Iterable[int]) -> None:
        self.sending = set(rows)
        self.refresh(RESULT_ROLES)


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
