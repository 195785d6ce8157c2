"""Keeping Calven in step (issue 11): each row's Calven state, and the "No longer in the roster" panel.

The comparison is `calven.sync_run.compare_roster`, the same as `calven-desk diff`: worked out in a
background thread when a roster opens, after each run and shortly after edits, then shown as each
row's state (New, Changed since sent, Already in Calven; filters Alt+7..9). The panel lists what
Calven keeps that the roster no longer says: leave that left the roster, and old days of a row
whose earlier version Calven still keeps (marked as moved). Cancelling them goes through
`calven.sync_run.send_roster(..., rows=[], cancel_removed=True)`, the planning `calven-desk submit
--cancel-removed` uses, after a confirmation naming how many people and days.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMenuBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from calven_desk.calven.outcomes import Outcome
from calven_desk.calven.run import RunReport, open_journal
from calven_desk.calven.sender_claim import SenderBusy
from calven_desk.calven.sync import Comparison, compare_roster, day_count, held_for, person_of
from calven_desk.calven.sync_run import Marks, apply_marks, calven_marks, send_roster
from calven_desk.calven.urls import BaseUrlError, check_base_url
from calven_desk.gui.table.model import RESULT_ROLES, RosterTableModel
from calven_desk.gui.threads.background import start_after_paint
from calven_desk.gui.threads.workers import Worker, background_thread, post, python_lane
from calven_desk.gui.window.part import Window, WindowPart
from calven_desk.gui.window.sending import SendingPart, what_sends
from calven_desk.gui.window.text_list import Entry, TextListView
from calven_desk.roster import RosterCheck
from calven_desk.store.journal import Journal, JournalError, TeamMemoryUnavailable
from calven_desk.store.memory_address import MemoryAddress
from calven_desk.store.profiles import load_profiles, memory_of

log = logging.getLogger("calven_desk.gui")
NO_CONNECTION = "Connect to Calven (Send > Connection…) to see what it already holds from you."


class SyncPart(WindowPart):
    """Compares in the background (the window stays free); cancelling runs as a window job."""

    #: A comparison reached the rows and the panel (tests and scripts wait for it).
    compared = Signal()
    #: Cancelling removed events ended, with its RunReport.
    finished = Signal(object)

    def __init__(self, window: Window, sending: SendingPart) -> None:
        super().__init__(window)
        self.sending = sending
        self.comparison: Comparison | None = None
        self.results: list[str] = []
        self._generation = 0
        self._watched: RosterTableModel | None = None
        self._document: object = None
        dock = QDockWidget("No longer in the roster", self.qt)
        dock.setObjectName("sync")
        self.dock = dock
        body = QWidget()
        layout = QVBoxLayout(body)
        self.summary = QLabel(NO_CONNECTION)
        self.summary.setWordWrap(True)
        self.list = TextListView("Events in Calven that are no longer in the roster")
        self.cancel_button = QPushButton("Cancel &these in Calven…")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_removed)
        self.cancel_button.setAccessibleDescription(
            "Cancel in Calven the leave listed here, after a question (Ctrl+Shift+Del)"
        )
        self.summary.setAccessibleName("What Calven holds from you")
        self.act_cancel_removed = self.action(
            "Cancel &leave no longer in the roster…",
            self.cancel_removed,
            "Ctrl+Shift+Del",
            "Cancel in Calven the leave sent earlier that this roster no longer has",
        )
        for widget in (self.summary, self.list, self.cancel_button):
            layout.addWidget(widget)
        dock.setWidget(body)
        self.qt.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(400)
        self.timer.timeout.connect(self.refresh)

    def add_menu(self, bar: QMenuBar) -> None:
        """Its action goes in the Send menu, before the connection."""
        self.sending.menu.insertAction(self.sending.act_connection, self.act_cancel_removed)

    def update_actions(self, loaded: bool, idle: bool) -> None:
        removal = self.comparison.left_behind() if self.comparison is not None else []
        self.cancel_button.setEnabled(loaded and idle and bool(removal))
        self.act_cancel_removed.setEnabled(loaded and idle and bool(removal))

    # --- comparing ------------------------------------------------------------------------------

    def identity(self) -> tuple[str, str, MemoryAddress | None] | None:
        """The chosen connection's address, key id and memory; no API secret is needed to
        compare (a team memory's password is, from the keyring)."""
        name = self.window.settings.last_profile
        profile = load_profiles().get(name) if name else None
        if profile is None:
            return None
        try:
            return check_base_url(profile.base_url), profile.key_id, memory_of(profile)
        except BaseUrlError:
            return None

    def schedule(self, *_: object) -> None:
        """Compare again once the current burst of edits or runs is over."""
        self.timer.start()

    def refresh(self, *_: object) -> None:
        window = self.window
        document = window.document
        self._generation += 1
        if document is not self._document:
            self._document = document
            self.results = []  # another roster: the last cancellations' results were for the old one
        if window.model is not self._watched and window.model is not None:
            self._watched = window.model
            window.model.undo_stack.indexChanged.connect(self.schedule)
        identity = self.identity()
        if document is None or identity is None:
            self._show(None)
            return
        generation, rows = self._generation, list(document.rows)
        table, mapping, order = document.table, document.mapping, document.date_order
        base_url, key_id, memory = identity

        def job() -> None:
            # A plain daemon thread, not a QThread: closing the window while it reads must not
            # abort the process. The signal brings the answer to the GUI thread, with the rows'
            # new marks worked out here: the GUI thread only sets the few that changed.
            answer: tuple[Comparison, Marks] | str
            try:
                with background_thread(), python_lane(), Journal(memory=memory) as journal:
                    check = RosterCheck(table, mapping, order, [r.check for r in rows])
                    held = held_for(journal, base_url, key_id, check)
                    comparison = compare_roster(check, held)
                    marks = calven_marks(rows, comparison)
                    comparison.summary()  # counted here, shown on the GUI thread
                answer = (comparison, marks)
            except TeamMemoryUnavailable as exc:
                answer = f"⚠ {exc} Checking and editing the roster, and saving it, still work."
            except JournalError as exc:
                answer = f"What Calven holds could not be read: {exc}"
            except Exception:  # logged with its traceback; the panel says it in a sentence
                log.exception("Comparing with what Calven holds failed")
                answer = (
                    "What Calven holds could not be read: something went wrong; see the log file."
                )
            post(self._compared, (generation, answer))  # dropped if the window has closed

        start_after_paint(threading.Thread(target=job, name="calven-compare", daemon=True), self)

    @Slot(object)
    def _compared(self, result: tuple[int, tuple[Comparison, Marks] | str]) -> None:
        generation, found = result
        if generation != self._generation:
            return
        if isinstance(found, str):
            # No marks rather than stale ones: what Calven holds is not known now.
            self._show(None, said=found)
            if found.startswith("⚠"):  # the team memory: said where it is seen, not only here
                self.qt.statusBar().showMessage(found[2:], 60_000)
                if self.window.jobs.announcer is not None:
                    self.window.jobs.announcer.say(found[2:])
            return
        self._show(*found)

    def _show(
        self, comparison: Comparison | None, marks: Marks | None = None, said: str = ""
    ) -> None:
        self.comparison = comparison
        document, model = self.window.document, self.window.model
        if marks is None and document is not None:
            marks = calven_marks(document.rows, comparison)
        apply_marks(marks or [])
        if model is not None:
            model.refresh(RESULT_ROLES)
        lines: list[str] = []
        if comparison is None:
            self.summary.setText(said or (NO_CONNECTION if document is not None else ""))
        else:
            s = comparison.summary()
            unconfirmed = f", {s['unconfirmed']} not confirmed" if s["unconfirmed"] else ""
            moved = f" and {s['moved']} with old days still in Calven (moved)" if s["moved"] else ""
            self.summary.setText(
                f"{s['new']} new, {s['changed']} changed since sent, {s['unchanged']} already in "
                f"Calven{unconfirmed}. {s['removed']} sent earlier and no longer in this "
                f"roster{moved}:"
            )
            for left in comparison.removed:
                held = left.held
                kind = held.event.get("timeOffType") or "no leave type"
                why = f" · moved: old days of row {left.row}" if left.reason == "moved" else ""
                lines.append(
                    f"{held.person} · {held.event.get('startDate')} to {held.event.get('endDate')}"
                    f" · {kind} · sent {held.held_since.astimezone():%Y-%m-%d}{why}"
                )
        # One reset for the whole list, however long (issue 10).
        self.list.replace(Entry(line) for line in [*lines, *self.results])
        self.window.update_actions()
        self.compared.emit()

    # --- cancelling removed events --------------------------------------------------------------

    def cancel_removed(self) -> None:
        window = self.window
        document, comparison = window.document, self.comparison
        cancelling = comparison.left_behind() if comparison is not None else []
        if document is None or not cancelling or window.jobs.busy():
            return
        people, days = day_count(cancelling)
        events = len(comparison.removed) if comparison is not None else 0
        name = window.settings.last_profile or ""
        profile = load_profiles().get(name) if name else None
        if not window.confirm(
            "Cancel in Calven?",
            "Cancel in Calven the leave this roster no longer has: "
            f"{events:,} leave {'event' if events == 1 else 'events'} of {people:,} "
            f"{'person' if people == 1 else 'people'}, {days:,} {'day' if days == 1 else 'days'}"
            f"{f', through the connection “{name}”' if name else ''}? "
            "Calven will show those days as working days again.",
            f"Connection: {name or '(none)'}\nAddress: {profile.base_url if profile else '?'}",
        ):
            return
        connection = self.sending.connection()
        if connection is None:
            return
        check = document.as_check()
        settings = self.sending.run_settings()

        def job(worker: Worker) -> RunReport:
            with open_journal(connection) as journal:
                return send_roster(
                    check,
                    connection,
                    settings=settings,
                    journal=journal,
                    source=str(document.table.file.resolve()),
                    sheet=document.table.sheet,
                    what=what_sends(document),
                    rows=[],
                    cancel_removed=True,
                    progress=worker.report,
                    cancel=worker.cancel,
                )[1]

        window.jobs.show_sending(len(cancelling))
        window.jobs.run(
            Worker(job, (JournalError, SenderBusy)), self._cancelled, self._cancel_failed
        )

    def _cancelled(self, report: RunReport) -> None:
        self.results = [
            _result_line(c.event, c.outcome, c.result_code, c.message) for c in report.cancellations
        ]
        if report.fatal:
            self.window.inform("Cancelling stopped", report.fatal)
        self.refresh()
        self.finished.emit(report)

    def _cancel_failed(self, message: str) -> None:
        self.window.inform("Cancelling failed", message)


def _result_line(event: Any, outcome: Outcome, code: int | None, message: str) -> str:
    """A cancellation's result as the panel lists it: words and a mark, never colour alone."""
    what = f"{person_of(event)} · {event.get('startDate')} to {event.get('endDate')}"
    if outcome is Outcome.ACCEPTED:
        return f"✔ Cancelled in Calven: {what}"
    said = f" (code {code})" if code is not None else ""
    return f"✖ {outcome.value.replace('_', ' ').capitalize()}{said}: {what}: {message}"
