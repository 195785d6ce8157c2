"""The roster as a Qt table: row number, status, who and when, Calven's answers, then the rest.

The columns come in the order gui/table/layout.py describes, which is the order the table shows
(a screen reader reads the model's order).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon, QUndoStack
from PySide6.QtWidgets import QApplication

from calven_desk.calven.outcomes import RowOutcome
from calven_desk.calven.row_status import RowState, add_row, count_rows, row_state
from calven_desk.gui.table.colours import dimmed_text, row_colour
from calven_desk.gui.table.cross_pass import CrossPass
from calven_desk.gui.table.edits import EditCells, InsertRow, RemoveRows
from calven_desk.gui.table.keys import result_text
from calven_desk.gui.table.layout import Column, ColumnLayout, column_layout
from calven_desk.gui.table.roles import (
    ANSWERED_ROLES,
    COLOUR_ROLES,
    EDITABLE,
    ICONS,
    NOT_SENT_MARK,
    READ_ONLY,
    RESULT_COLUMNS,
    RESULT_ROLES,
    SEVERITY_WORDS,
    Role,
)
from calven_desk.gui.threads.background import BACKGROUND_ROWS, settle_memory
from calven_desk.roster import LABELS, PART_FIELDS, Field
from calven_desk.roster.document import DocumentRow, RemovedRows, RosterDocument
from calven_desk.roster.rules import event_type_meaning

__all__ = [
    "RESULT_COLUMNS",
    "RESULT_ROLES",
    "EditCells",
    "InsertRow",
    "RemoveRows",
    "Role",
    "RosterTableModel",
]

Index = QModelIndex | QPersistentModelIndex


class RosterTableModel(QAbstractTableModel):
    """Columns as `layout` says: Row, Status, the mapped fields (editable), the file's unmapped
    columns (read-only), In Calven (once a user list is read) and the results."""

    def __init__(self, document: RosterDocument, counts: dict[str, int] | None = None) -> None:
        """`counts`: the document's counts (count_rows), if a worker has made them already."""
        super().__init__()
        self.document = document
        self.sending: set[int] = set()
        self.undo_stack = QUndoStack(self)
        # The status bar's counts, and the rows by sheet row number: worked out once after a
        # change to the rows, and adjusted row by row as a run's answers arrive.
        self._counts: dict[str, int] | None = counts
        # Each row's state once asked, and the brushes and icons of the states: painting asks
        # for them at every cell. Forgotten whenever the rows change.
        self._states: dict[int, RowState] = {}
        self._brushes: dict[str, QBrush | None] = {}
        self._icons: dict[str, QIcon] = {}
        self.dataChanged.connect(self._forget_states)
        self.modelReset.connect(self._forget_counts)
        # On a large roster the cross-row pass (duplicates, overlaps: a pass over every row)
        # runs in a worker after each change; `checking` says one is owed or under way.
        document.defer_cross = len(document.rows) >= BACKGROUND_ROWS
        # The pass reports through a weak reference: a strong one (a bound method) made model
        # and pass hold each other, and gc.freeze kept that cycle, every roster's, for good.
        self.cross = CrossPass(document, weakref.WeakMethod(self._cross_counted))
        settle_memory()
        self.modelReset.connect(self.cross.start)
        self.rowsInserted.connect(self._forget_counts)
        self.rowsRemoved.connect(self._forget_counts)
        #: The "In Calven" column's text by sheet row (gui/window/directory.py fills it); the
        #: column exists only once a user list is there (its place: gui/table/layout.py).
        self.people: Mapping[int, str] | None = None
        self.people_tips: Mapping[int, str] = {}
        #: Which column holds what, in the order the table shows (gui/table/layout.py).
        self.layout = self._layout(people=False)

    # --- layout ---------------------------------------------------------------------------------

    def _layout(self, people: bool) -> ColumnLayout:
        document = self.document
        return column_layout(document.fields, document.unmapped, document.table.headers, people)

    def field_column(self, name: Field) -> int:
        return self.layout.field_at[name]

    def column_field(self, column: int) -> Field | None:
        return self.layout.field_of.get(column)

    def _unmapped_source(self, column: int) -> int | None:
        return self.layout.source_of.get(column)

    def people_column(self) -> int | None:
        return self.layout.people

    def show_people(
        self,
        people: Mapping[int, str],
        tips: Mapping[int, str],
        counts: dict[str, int] | None = None,
    ) -> None:
        """Show (or refresh) the "In Calven" column; `counts`, when the check made them, spare
        a count of every row on the GUI thread. The column arrives at its place in the order
        (gui/table/layout.py), not at the end: the columns after it move one to the right."""
        if self.people is None:
            layout = self._layout(people=True)
            column = layout.people
            assert column is not None
            self.beginInsertColumns(QModelIndex(), column, column)
            self.people, self.people_tips, self.layout = people, tips, layout
            self.endInsertColumns()
        else:
            self.people, self.people_tips = people, tips
        if counts is not None:
            self._counts = counts
        # The rows' problems changed with it: the window refilters (and recounts, unless counted).
        self.refresh(counted=counts is not None)

    def _result_offset(self, column: int) -> int | None:
        return self.layout.result_of.get(column)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  (Qt's name)
        return 0 if parent.isValid() else len(self.document.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.layout)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            # The row headers are hidden; a screen reader names each row by them.
            if role != Qt.ItemDataRole.DisplayRole or not 0 <= section < len(self.document.rows):
                return None
            return f"Row {self.document.rows[section].check.row}"
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if section == 0:
            return "Row"
        if section == 1:
            return "Status"
        if (name := self.column_field(section)) is not None:
            header = self.document.mapping.header_of(name)
            if role == Qt.ItemDataRole.ToolTipRole:
                if name == "eventType":
                    return (
                        f"The file's own words from its column '{header}'; "
                        "hover a cell to see what Calven gets for it."
                    )
                if name in PART_FIELDS:
                    return (
                        f"{LABELS[name]}: read to tell half days and absences shorter than a day; "
                        f"never sent to Calven, which takes whole days only. From the file's "
                        f"column '{header}'."
                    )
                return f"{LABELS[name]}: sent to Calven. From the file's column '{header}'."
            return LABELS[name]
        if (source := self._unmapped_source(section)) is not None:
            # Marked in words in the title (a screen reader reads it too), not by pale text.
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Kept from the file but never sent to Calven."
            return f"{self.document.table.headers[source]} {NOT_SENT_MARK}"
        if section == self.people_column():
            if role == Qt.ItemDataRole.ToolTipRole:
                return "The person's name in Calven's user list, or why Calven does not know them."
            return "In Calven"
        offset = self._result_offset(section)
        return RESULT_COLUMNS[offset] if offset is not None else None

    # --- counts ---------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows, ready, with problems, problem items, Accepted, Rejected, Not sent."""
        if self._counts is None:
            self._counts = count_rows(self.document.rows)
        return self._counts

    def known_counts(self) -> dict[str, int] | None:
        """The counts if they are worked out (to be adjusted in place), else None."""
        return self._counts

    def _forget_counts(self, *_: object) -> None:
        if not self.document.cross_pending:  # else the pass brings them (until then, the last)
            self._counts = None
        self._states = {}

    def _forget_states(self, *_: object) -> None:
        self._states = {}
        self._brushes = {}

    def palette_changed(self) -> None:
        """Another theme: the rows' colours and icons are made again from the new palette."""
        self._brushes, self._icons = {}, {}
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, self.columnCount() - 1),
                list(COLOUR_ROLES),
            )

    def _answered_rows(self, outcomes: list[RowOutcome]) -> list[tuple[int, DocumentRow]]:
        """The answered rows still in the roster, with their positions."""
        by_number = self.document.by_number()
        found = (by_number.get(o.row) for o in outcomes)
        return [r for r in found if r is not None]

    # --- data -----------------------------------------------------------------------------------

    def state(self, row: int) -> RowState:
        found = self._states.get(row)
        if found is None:
            document_row = self.document.rows[row]
            found = row_state(document_row, document_row.check.row in self.sending)
            self._states[row] = found
        return found

    def flags(self, index: Index) -> Qt.ItemFlag:
        return self.column_flags(index.column())

    def column_flags(self, column: int) -> Qt.ItemFlag:
        """Mapped fields are editable; combining Qt's flags in Python per painted cell was slow."""
        return EDITABLE if self.column_field(column) is not None else READ_ONLY

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, index: int, column: int, role: int) -> Any:
        """What `data` answers, without a QModelIndex (the view-order proxy calls this directly).
        Qt asks each painted cell for about eight roles; the ones nothing here sets are answered
        first, and a row's state and colour are worked out once until the rows change."""
        if role not in ANSWERED_ROLES:
            return None
        row = self.document.rows[index]
        name = self.column_field(column)
        if role == Role.FIELD:
            return name
        if role == Role.STATE:
            return self.state(index)
        if role == Role.COLOUR_KEY:
            return self.state(index).colour
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brush(self.state(index).colour)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return self._describe(index, name)
        if role == Qt.ItemDataRole.ForegroundRole:
            # A row that is not for Calven reads quieter, yet still at 4.5:1 (its Status cell
            # says why, in words: colour is never the only signal).
            colour = self.state(index).colour
            return self._dim(colour) if colour == "skipped" else None
        if role == Role.SEVERITY:
            if name is None:
                return None
            # An outline for what needs fixing or a warning; a skipped row's reason ("info")
            # is in its Status cell, and its cells are dimmed instead.
            severities = {p.severity for p in row.check.problems_for(name)}
            return (
                "error" if "error" in severities else "warning" if "warning" in severities else None
            )
        if column == 0:
            return (
                row.check.row
                if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole)
                else None
            )
        if column == 1:
            state = self.state(index)
            if role == Qt.ItemDataRole.DisplayRole:
                return state.word
            if role == Qt.ItemDataRole.DecorationRole:
                return self._icon(state.icon)
            if role == Qt.ItemDataRole.ToolTipRole:
                said = "\n".join(p.message for p in row.check.problems) or state.word
                if row.calven_by and row.calven_state() == "unchanged":
                    said += f"\nSent by {row.calven_by}."  # who, when the memory is a team's
                return said
            return None
        if name is not None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return row.check.values.get(name, "")
            if role == Qt.ItemDataRole.ToolTipRole:
                problems = [p.message for p in row.check.problems_for(name)]
                if name == "eventType":
                    # The cell shows the file's own word; what Calven gets for it is said here.
                    word = row.check.values.get(name, "")
                    problems.insert(0, f"{word or '(empty)'}: {event_type_meaning(word)}.")
                return "\n".join(problems) or None
            return None
        if (source := self._unmapped_source(column)) is not None:
            return (
                self.document.unmapped_text(index, source)
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
        if offset is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        return result_text(row, self.state(index), offset)

    def _describe(self, index: int, name: Field | None) -> str:
        """What a screen reader says after a cell's text: the row's status, and the cell's own
        problems (which the table shows by an outline, and sighted people read on hover)."""
        row = self.document.rows[index]
        problems = row.check.problems_for(name) if name is not None else []
        said = [self.state(index).word]
        said += [f"{SEVERITY_WORDS[p.severity]}: {p.message}" for p in problems]
        return ". ".join(said)

    def describe_column(self, column: int) -> Column:
        """What a column holds (see gui/table/layout.py's Column)."""
        return self.layout.describe(column)

    def _dim(self, colour: str) -> QBrush:
        key = f"dim:{colour}"
        found = self._brushes.get(key)
        if found is None:
            found = self._brushes[key] = QBrush(dimmed_text(QApplication.palette(), colour))
        return found

    def _brush(self, colour: str) -> QBrush | None:
        if colour not in self._brushes:
            found = row_colour(colour, QApplication.palette())
            self._brushes[colour] = QBrush(found) if found is not None else None
        return self._brushes[colour]

    def _icon(self, name: str) -> QIcon:
        if name not in self._icons:
            self._icons[name] = QApplication.style().standardIcon(ICONS[name])
        return self._icons[name]

    # --- changes --------------------------------------------------------------------------------

    def refresh(
        self, roles: Sequence[int] = (), counted: bool = False, rows: Sequence[int] = ()
    ) -> None:
        """Every row may have changed (the cross-row pass touches other rows). `roles` names what
        changed (RESULT_ROLES: only sending states and results); none means anything may have.
        `counted`: the counts are already up to date (the cross-row pass brought them).
        `rows`: only these rows changed (a run's answers), so only they need painting again."""
        if not roles and not counted:
            self._forget_counts()
        self.cross.start()
        if self.rowCount():
            top, bottom = (min(rows), max(rows)) if rows else (0, self.rowCount() - 1)
            self.dataChanged.emit(
                self.index(top, 0), self.index(bottom, self.columnCount() - 1), list(roles)
            )

    @property
    def checking(self) -> bool:
        """True while the cross-row pass is owed or running (the counts and problems will follow)."""
        return self.cross.checking

    def settle_checks(self) -> None:
        """Finish the cross-row pass now (before planning a run, which must see every clash)."""
        self.cross.settle()

    def close(self) -> None:
        """The roster is being replaced: stop its pass and undo history, and let Qt delete the
        model (its Qt side held the Python side, and with it the whole roster, for good)."""
        self.cross.close()
        self.undo_stack.clear()
        self._states.clear()
        self.deleteLater()

    def _cross_counted(self, counts: dict[str, int] | None) -> None:
        """The cross-row pass is done: its counts (None when they are to be made again) and
        every row's problems go to the view."""
        self._counts = counts
        self.refresh(counted=counts is not None)

    def set_cell(self, row: int, name: Field, text: str) -> None:
        self.document.set_value(row, name, text)
        self.refresh()

    def set_cells(self, changes: Iterable[tuple[int, Field, str]]) -> None:
        self.document.set_values(changes)
        self.refresh()

    # --- rows added and taken away (the edit commands' calls, each told to the views) ----------

    def next_row_number(self) -> int:
        return self.document.next_row_number()

    def insert_blank_row(self, position: int, number: int) -> None:
        self.beginInsertRows(QModelIndex(), position, position)
        self.document.insert_row(position, number)
        self.endInsertRows()
        self.refresh()

    def remove_blank_row(self, position: int) -> None:
        self.beginRemoveRows(QModelIndex(), position, position)
        self.document.remove_rows([position])
        self.endRemoveRows()
        self.refresh()

    def remove_rows(self, positions: list[int]) -> RemovedRows:
        self.beginResetModel()
        removed = self.document.remove_rows(positions)
        self.endResetModel()
        return removed

    def restore_rows(self, removed: RemovedRows) -> None:
        self.beginResetModel()
        self.document.restore_rows(removed)
        self.endResetModel()

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
        self._count_answers(list(outcomes), sent)
        self.refresh(RESULT_ROLES)

    def record_answers(
        self, outcomes: Iterable[RowOutcome], sent: Mapping[int, Mapping[str, str]] | None = None
    ) -> None:
        """Some of a run's rows were answered: they stop showing "Sending…" and take their colour
        while the rest of the run goes on (`sent` as for record_results)."""
        answered = list(outcomes)
        self.sending -= {o.row for o in answered}
        positions = self._count_answers(answered, sent)
        self.refresh(RESULT_ROLES, rows=positions)

    def _count_answers(
        self, answered: list[RowOutcome], sent: Mapping[int, Mapping[str, str]] | None
    ) -> list[int]:
        """Record the answers and adjust the counts by the rows they changed, not a recount;
        the positions of the rows answered."""
        self.cross.rows_changed()  # a pass under way counted the rows as they were
        counts, found = self.counts(), self._answered_rows(answered)
        for _, row in found:
            add_row(counts, row, -1)
        self.document.record_results(answered, sent)
        for _, row in found:
            add_row(counts, row, 1)
        return [position for position, _ in found]

    def set_sending(self, rows: Iterable[int]) -> None:
        self.sending = set(rows)
        self.refresh(RESULT_ROLES)
