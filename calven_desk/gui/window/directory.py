"""Calven's user list in the window: the "In Calven" column, the Not in Calven filter, suggestions.

After a roster opens, the list is fetched (or the kept copy read) and every row checked on a
background thread; the column, the rows' problems and the filter fill in when it is done. Edits
are re-checked against the same list at once. A row's suggestion (Calven's spelling, or the one
person who fits) is applied with one click, for that cell or for every row with the same kind of
suggestion, as one undoable edit. No list (no connection, a key without the Data Warehouse role,
Calven unreachable) leaves the window as it was, with one sentence in the status bar.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from operator import attrgetter

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenuBar, QToolButton

from calven_desk.calven.directory import DirectoryAccess, DirectoryState, obtain_directory
from calven_desk.calven.directory_rows import Checked, finding, record
from calven_desk.calven.row_status import NOT_IN_CALVEN, count_rows
from calven_desk.gui.threads.background import start_after_paint
from calven_desk.gui.threads.workers import background_thread, post, python_lane
from calven_desk.gui.window.filters import FilterBar
from calven_desk.gui.window.part import Window, WindowPart, fill
from calven_desk.roster.directory_check import (
    DirectoryIndex,
    name_columns,
)
from calven_desk.roster.directory_check import Finding as Found
from calven_desk.roster.document import DocumentRow
from calven_desk.roster.model import DirectoryProblem, RowCheck
from calven_desk.store.profiles import ProfileError, resolve_connection, resolve_directory_key

log = logging.getLogger("calven_desk.gui")

#: Up to this many changed rows are checked against the list at once on the window's thread;
#: more (a paste) in a thread: a thousand took about 60 ms there.
CHECK_AT_ONCE = 200


class DirectoryPart(WindowPart):
    """Owns the user list of the open roster's connection and everything the window shows of it."""

    #: The column, problems and filter are filled in (tests and scripts wait for it).
    checked = Signal()
    #: Rows changed in bulk (a paste) were checked in a thread and are shown.
    caught_up = Signal()

    def __init__(self, window: Window, filters: FilterBar) -> None:
        super().__init__(window)
        self.filters = filters
        self.state: DirectoryState | None = None
        self.index: DirectoryIndex | None = None
        self.checked_rows = Checked({}, {}, {})
        self._counted_with: tuple[int, int] | None = None  # cross-row round, document changes
        self._generation = 0

        #: The Not in Calven filter (an entry of the filter bar's "More"), offered once the
        #: list is read.
        self.filter_button = filters.actions[NOT_IN_CALVEN]

        self.act_apply = self.action(
            "&Use the suggestion", self.apply, "Ctrl+Alt+U", "Put Calven's suggestion in this cell"
        )
        self.act_apply_all = self.action(
            "Use &Calven's suggestion in all rows like this",
            self.apply_all,
            "Ctrl+Alt+Shift+U",
            "Put Calven's suggestion in every row with the same kind of problem",
        )
        self.act_refresh = self.action(
            "&Refresh Calven's user list",
            lambda: self.start(refresh=True),
            "F5",
            "Fetch Calven's user list again and check every row against it",
        )
        # A line under the table (not a toolbar: it comes and goes with the current row), its
        # message wrapped, so a long one never widens the window.
        self.suggestion_bar = QFrame()
        self.suggestion_bar.setAccessibleName("Calven's suggestion for this row")
        row = QHBoxLayout(self.suggestion_bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.suggestion_label = QLabel()
        self.suggestion_label.setWordWrap(True)
        row.addWidget(self.suggestion_label, 1)
        for action in (self.act_apply, self.act_apply_all):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            row.addWidget(button)
        self.suggestion_bar.setVisible(False)
        window.table.selectionModel().currentChanged.connect(self._current_changed)

    def add_menu(self, bar: QMenuBar) -> None:
        menu = bar.addMenu("&People")
        fill(menu, [self.act_apply, self.act_apply_all, None, self.act_refresh])

    def update_actions(self, loaded: bool, idle: bool) -> None:
        self.act_refresh.setEnabled(loaded and idle)
        self._show_suggestion()

    # --- fetching and checking ------------------------------------------------------------------

    def access(self) -> DirectoryAccess | None:
        """The saved connection's key for the list, quietly: no connection means no check."""
        profile = self.window.settings.last_profile
        if not profile:
            return None
        try:
            resolved = resolve_connection(profile)
            second = resolve_directory_key(profile)
        except ProfileError as exc:
            log.info("No user list for the window: %s", exc)
            return None
        if second is not None:
            return DirectoryAccess(resolved.base_url, resolved.auth, second[0], second[1].reveal())
        return DirectoryAccess(
            resolved.base_url, resolved.auth, resolved.key_id, resolved.secret.reveal()
        )

    def start(self, refresh: bool = False) -> None:
        """Fetch or read the list and check every row, on a thread of its own."""
        document = self.window.document
        access = self.access()
        if document is None or access is None:
            return
        self._generation += 1
        generation = self._generation
        settings = self.window.settings
        rows = list(document.rows)  # read in the thread: a pass here held the window (issue 10)
        mark = document.changes  # the rows changed after this are looked at again on arrival
        columns = name_columns(document.table.headers)
        model = self.window.model
        self._counted_with = (model.cross.round, mark) if model is not None else None

        def work() -> None:
            state = obtain_directory(
                access,
                refresh=refresh,
                max_age=timedelta(hours=settings.directory_max_age_hours),
                timeout=settings.timeout_seconds,
                ca_bundle=settings.ca_bundle,
            )
            if state.users is None:
                post(self._on_loaded, (generation, state, None, None))
                return
            with python_lane():  # the list is here: checking the rows is Python work
                index = DirectoryIndex(state.users, state.as_of())
                checked = Checked({}, {}, {}, looked_at=mark)
                for check, cells in map(attrgetter("check", "cells"), rows):
                    # Set here, not on the GUI thread (50,000 rows held the window a second):
                    # a check replaced meanwhile by an edit is not in `seen`, and is done again.
                    record(checked, check, finding(index, check, cells, columns))
                checked.counts = count_rows(rows)  # with the user-list problems, in this thread
            post(self._on_loaded, (generation, state, index, checked))

        def guarded() -> None:
            try:
                with background_thread():
                    work()
            except Exception:  # logged with its traceback; the status bar says it in a sentence
                log.exception("The user-list check failed")
                failed = DirectoryState(
                    None, reason="The check against Calven's user list failed; see the log file."
                )
                post(self._on_loaded, (generation, failed, None, None))

        start_after_paint(
            threading.Thread(target=guarded, name="calven-directory", daemon=True), self
        )

    @Slot(object)
    def _on_loaded(
        self, payload: tuple[int, DirectoryState, DirectoryIndex | None, Checked | None]
    ) -> None:
        generation, state, index, checked = payload
        if generation != self._generation or self.window.document is None:
            return  # another roster opened meanwhile
        self.state, self.index = state, index
        if index is None or checked is None:
            self.qt.statusBar().showMessage(state.reason or "", 15_000)
            return
        if state.note:
            self.qt.statusBar().showMessage(state.note, 15_000)
        self.checked_rows = checked
        model, document = self.window.model, self.window.document
        if (
            self._catch_up()  # rows edited while the list was on its way
            or model is None
            or model.checking
            or self._counted_with != (model.cross.round, document.changes)
        ):
            checked.counts = None  # the rows changed since they were counted
        self.filters.show_filter(NOT_IN_CALVEN, True)
        self._publish()
        self.checked.emit()

    def _catch_up(self) -> bool:
        """Check rows whose check changed since last seen (an edit, undo, a new row). Rows that
        only moved (a deletion above them) keep their check, and are not checked again."""
        document, index, checked = self.window.document, self.index, self.checked_rows
        if document is None or index is None or checked.looked_at == document.changes:
            return False
        seen = checked.seen
        # Only the rows changed since the last look (a Python pass over 50,000 rows at every
        # change held the window while workers ran); every row when that cannot be told.
        since = document.changed_since(checked.looked_at) if checked.looked_at >= 0 else None
        checked.looked_at = document.changes
        visit = document.rows if since is None else {id(row): row for row in since}.values()
        # Rows changed in bulk wait for their own check (a paste: RosterDocument.unchecked);
        # they are looked at when it comes, not twice.
        waiting = document.unchecked
        stale = [
            row
            for row in visit
            if seen.get(id(row.check)) is not row.check and id(row) not in waiting
        ]
        columns = name_columns(document.table.headers)
        if len(stale) > CHECK_AT_ONCE:
            self._check_in_thread(stale, columns)
            stale = []
        if stale:
            # The status bar's counts follow row by row (counting all 50,000 rows again on the
            # window's thread took 0.3 s after a paste).
            model = self.window.model
            counts = model.known_counts() if model is not None else None
            for row in stale:
                record(
                    checked, row.check, finding(index, row.check, row.cells, columns), row, counts
                )
            checked.counts = counts
        if len(seen) > 2 * len(document.rows) + 1_000:  # edited many times: forget old checks
            checked.seen = {id(r.check): r.check for r in document.rows}
        return bool(stale)

    def _check_in_thread(self, stale: list[DocumentRow], columns: tuple[int, ...]) -> None:
        """Many changed rows (a paste of a thousand): checked in a thread, put in place after."""
        generation, index = self._generation, self.index
        assert index is not None
        taken = [(row, row.check) for row in stale]

        def work() -> None:
            try:
                with background_thread(), python_lane():
                    found = [
                        (row, check, finding(index, check, row.cells, columns))
                        for row, check in taken
                    ]
            except Exception:  # logged; these rows are looked at again at the next change
                log.exception("Checking changed rows against the user list failed")
                return
            post(self._on_caught, (generation, found))

        threading.Thread(target=work, name="calven-directory-rows", daemon=True).start()

    @Slot(object)
    def _on_caught(self, payload: tuple[int, list[tuple[DocumentRow, RowCheck, Found]]]) -> None:
        generation, found = payload
        model = self.window.model
        if generation != self._generation or self.index is None or model is None:
            return  # another list or roster since: its own check covers these rows
        counts, checked, changed = model.known_counts(), self.checked_rows, False
        for row, check, result in found:
            if row.check is not check:
                continue  # changed again since: the catch-up after that change takes it
            record(checked, check, result, row, counts)
            changed = True
        if changed:
            checked.counts = counts
            self._publish()
        self.caught_up.emit()

    def _publish(self) -> None:
        model = self.window.model
        if model is not None:
            checked = self.checked_rows
            model.show_people(checked.people, checked.tips, checked.counts)
            checked.counts = None  # from now on the model keeps them
        self._show_suggestion()

    def model_changed(self) -> None:
        """Connected to the model's changes: re-check what an edit changed (cheap when nothing did)."""
        if self.index is not None and self._catch_up():
            self._publish()

    def connection_changed(self) -> None:
        """Another profile, or new keys: the list may be another organisation's, or now readable."""
        self.start()

    def _data_changed(self, _top: QModelIndex, _bottom: QModelIndex, roles: list[int]) -> None:
        if not roles:
            self.model_changed()

    def roster_opened(self) -> None:
        self.state, self.index = None, None
        self.checked_rows = Checked({}, {}, {})
        self.filters.show_filter(NOT_IN_CALVEN, False)
        self.suggestion_bar.setVisible(False)
        model = self.window.model
        if model is not None:
            # Answers during a run name their roles and change no problem: those are let by.
            model.dataChanged.connect(self._data_changed)
            model.rowsInserted.connect(lambda *_: self.model_changed())
            model.rowsRemoved.connect(lambda *_: self.model_changed())
        self.start()

    # --- suggestions ----------------------------------------------------------------------------

    def _current_position(self) -> int | None:
        current = self.window.table.currentIndex()
        if not current.isValid() or self.window.document is None:
            return None
        return self.window.proxy.mapToSource(current).row()

    def suggestion_at(self, position: int | None) -> DirectoryProblem | None:
        document = self.window.document
        if position is None or document is None or not 0 <= position < len(document.rows):
            return None
        return next((p for p in document.rows[position].check.directory if p.suggestion), None)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._show_suggestion()

    def _show_suggestion(self) -> None:
        problem = self.suggestion_at(self._current_position())
        self.act_apply.setEnabled(problem is not None and not self.window.jobs.busy())
        self.act_apply_all.setEnabled(problem is not None and not self.window.jobs.busy())
        self.suggestion_bar.setVisible(problem is not None)
        if problem is not None:
            others = len(self._like(problem))
            self.suggestion_label.setText(problem.message)
            suggestion = (problem.suggestion or "").replace("&", "&&")
            self.act_apply.setText(f"&Use {suggestion}")
            self.act_apply_all.setText(f"Use &Calven's suggestion in all {others} rows like this")

    def _like(self, problem: DirectoryProblem) -> list[tuple[int, DirectoryProblem]]:
        document = self.window.document
        if document is None:
            return []
        found = []
        for position, row in enumerate(document.rows):
            for other in row.check.directory:
                if other.kind == problem.kind and other.suggestion:
                    found.append((position, other))
                    break
        return found

    def apply(self) -> None:
        """Put the current row's suggestion in its cell: one undoable edit."""
        position = self._current_position()
        problem = self.suggestion_at(position)
        model = self.window.model
        if problem is None or position is None or model is None or problem.field is None:
            return
        model.edit_cells(
            [(position, problem.field, problem.suggestion or "")], "Use Calven's suggestion"
        )

    def apply_all(self) -> None:
        """The same for every row with this kind of suggestion, as one undoable edit."""
        problem = self.suggestion_at(self._current_position())
        model = self.window.model
        if problem is None or model is None:
            return
        changes = [
            (position, other.field, other.suggestion or "")
            for position, other in self._like(problem)
            if other.field is not None
        ]
        model.edit_cells(changes, f"Use Calven's suggestions ({len(changes)} rows)")
