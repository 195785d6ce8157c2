"""Sending to Calven: the connection and settings, submit selected / all ready / retry failed, and
the answers of a run shown as they arrive (the Send menu). Resuming a run is `resuming.py`'s.

What a send does is decided by `calven.sync_run.plan_sync`, the function `calven-desk submit` plans
with: Submit all ready is `submit FILE`, Submit selected is `submit FILE --rows ... --resend-all`.
This part plans once to ask (naming what will go), then sends through `send_roster`, which claims
the connection and plans again from the memory as it is then; it shows what comes back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar

from calven_desk.calven.outcomes import Outcome, RowOutcome
from calven_desk.calven.run import (
    Connection,
    ResumeRefused,
    RunPlan,
    RunReport,
    RunSettings,
    open_journal,
)
from calven_desk.calven.sender_claim import SenderBusy
from calven_desk.calven.sync import held_for
from calven_desk.calven.sync_run import ALL_IN_CALVEN, failed_rows, plan_sync, send_roster
from calven_desk.gui.dialogs.connection import ConnectionDialog
from calven_desk.gui.dialogs.settings import SettingsDialog
from calven_desk.gui.threads.background import BACKGROUND_ROWS
from calven_desk.gui.threads.workers import Worker
from calven_desk.gui.window.part import Window, WindowPart, fill
from calven_desk.roster import RosterCheck
from calven_desk.roster.document import RosterDocument
from calven_desk.store.journal import JournalError
from calven_desk.store.profiles import ProfileError, load_profiles, memory_of, resolve_connection


def what_sends(document: RosterDocument) -> str:
    """What this window's run is called in another sender's message."""
    return f"the Calven Desk window ({document.table.file.name})"


class SendingPart(WindowPart):
    """Runs go through the window's background jobs; their reports come out as `finished`.

    Another part can show a run of its own with `start_run` (resuming does).
    """

    #: A submit or resume ended, with its RunReport.
    finished = Signal(object)
    #: The person may have chosen another connection (what Calven holds differs per connection).
    connection_changed = Signal()
    #: The person changed Settings (the day/month order among them).
    settings_changed = Signal()

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self.last_report: RunReport | None = None
        # Answers arriving during a run, shown together at most four times a second so that a
        # fast run on 50,000 rows does not repaint for every batch. The counts and an active
        # filter catch up when the run ends: refiltering 50,000 rows at every tick froze the window.
        self._answers: list[RowOutcome] = []
        self._answers_shown = False
        self._shown: dict[int, RowOutcome] = {}  # the answers on screen, by id, kept alive
        # The events as the current run sent them, by row: what "changed since sent" compares.
        self._sent_events: dict[int, dict[str, str]] | None = None
        self.answers_timer = QTimer(self)
        self.answers_timer.setSingleShot(True)
        self.answers_timer.setInterval(250)
        self.answers_timer.timeout.connect(self._show_answers)
        self.act_submit_selected = self.action(
            "Submit &selected",
            self.submit_selected,
            "Ctrl+Return",
            "Send the selected rows to Calven",
        )
        self.act_submit_ready = self.action(
            "Submit all &ready",
            self.submit_all_ready,
            "Ctrl+Shift+Return",
            "Send every row that is ready",
        )
        self.act_retry = self.action(
            "Retry &failed", self.retry_failed, "Ctrl+R", "Send rejected and not-sent rows again"
        )
        self.act_cancel = self.action(
            "&Cancel sending",
            window.jobs.cancel,
            "Esc",
            "Stop after the rows already on their way to Calven",
        )
        self.act_connection = self.action(
            "Co&nnection…", self.edit_connection, "Ctrl+K", "Choose or set up the Calven connection"
        )
        self.act_settings = self.action(
            "Se&ttings…",
            self.edit_settings,
            QKeySequence.StandardKey.Preferences,
            "Date order, batch size, timeouts, certificate file, run history",
        )

    def add_menu(self, bar: QMenuBar) -> None:
        self.menu = bar.addMenu("&Send")
        fill(
            self.menu,
            [
                self.act_submit_selected,
                self.act_submit_ready,
                self.act_retry,
                self.act_cancel,
                None,
                self.act_connection,
                self.act_settings,
            ],
        )

    def update_actions(self, loaded: bool, idle: bool) -> None:
        for action in (self.act_submit_selected, self.act_submit_ready, self.act_retry):
            action.setEnabled(loaded and idle)
        self.act_cancel.setEnabled(not idle)

    def toolbar_actions(self) -> list[QAction | None]:
        return [
            self.act_submit_selected,
            self.act_submit_ready,
            self.act_retry,
            None,
            self.act_connection,
        ]

    # --- connection and settings ----------------------------------------------------------------

    def edit_connection(self) -> None:
        ConnectionDialog(self.window.settings, self.qt).exec()
        self.window.save_settings()
        self.connection_changed.emit()

    def edit_settings(self) -> None:
        if SettingsDialog(self.window.settings, self.qt).exec():
            self.window.save_settings()
            self.settings_changed.emit()

    def connection(self) -> Connection | None:
        try:
            resolved = resolve_connection(self.window.settings.last_profile)
        except ProfileError as exc:
            self.window.inform(
                "Connect to Calven first", f"{exc} Choose Send > Connection… to set one up."
            )
            return None
        profile = load_profiles().get(resolved.profile or "")
        return Connection(
            resolved.base_url,
            resolved.auth,
            resolved.key_id,
            resolved.secret.reveal(),
            resolved.profile,
            memory_of(profile) if profile is not None else None,
        )

    def run_settings(self) -> RunSettings:
        settings = self.window.settings
        return RunSettings(
            batch_size=settings.batch_size,
            parallel=settings.parallel,
            timeout_seconds=settings.timeout_seconds,
            ca_bundle=settings.ca_bundle,
            max_retries=settings.max_retries,
            sender_wait_seconds=settings.sender_wait_seconds,
        )

    # --- submitting -----------------------------------------------------------------------------

    def submit_selected(self) -> None:
        rows = self.window.selected_rows()
        if not rows:
            self.window.inform(
                "Nothing selected", "Select the rows to send first (click, Shift+click or Ctrl+A)."
            )
            return
        self.submit(rows, resend_all=True)  # selected on purpose: sent even if Calven has them

    def submit_all_ready(self) -> None:
        self.submit(None)

    def retry_failed(self) -> None:
        if self.window.document is None:
            return
        failed = failed_rows(self.window.document.rows)
        if not failed:
            self.window.inform("Nothing to retry", "No row was rejected or left unsent.")
            return
        self.submit(failed, resend_all=True)

    def submit(self, rows: list[int] | None, *, resend_all: bool = False) -> None:
        """Send these sheet rows (None: every row that is ready), as `plan_sync` decides."""
        window = self.window
        document = window.document
        if document is None or window.jobs.busy():
            return
        connection = self.connection()
        if connection is None:
            return
        if window.model is not None:
            window.model.settle_checks()  # a run must see every clash, and every edit, between rows
        check = document.as_check()

        def planned(_worker: Worker | None = None) -> RunPlan:
            with open_journal(connection) as journal:
                held = held_for(journal, connection.base_url, connection.key_id, check)
            document.by_number()  # the answers find their rows at once
            return plan_sync(check, held, rows, resend_all=resend_all)[0]

        def ask(plan: RunPlan) -> None:
            self._confirm_and_send(plan, connection, check, rows, resend_all)

        if len(check.rows) >= BACKGROUND_ROWS:
            # Planning 50,000 rows held the window for a tenth of a second and more.
            window.jobs.run(
                Worker(planned, (JournalError,)),
                ask,
                lambda message: window.inform("Sending failed", message),
            )
            return
        try:
            plan = planned()
        except JournalError as exc:
            window.inform("Sending failed", str(exc))
            return
        ask(plan)

    def _confirm_and_send(
        self,
        plan: RunPlan,
        connection: Connection,
        check: RosterCheck,
        rows: list[int] | None,
        resend_all: bool,
    ) -> None:
        window = self.window
        document = window.document
        if document is None:
            return
        if not plan.events and plan.unchanged:
            window.inform("Nothing to send", ALL_IN_CALVEN)
            return
        if not plan.events:
            window.inform(
                "Nothing to send",
                "None of these rows can be sent: fix the rows marked in red first."
                if plan.skipped or not plan.left_out
                else "None of these rows is for Calven: they wait for approval, were refused, or "
                "are shorter than half a day (the Skipped filter lists them).",
            )
            return
        skipped = (
            f"\n{len(plan.skipped)} of {'the selected' if rows is not None else 'these'} rows "
            f"{'needs' if len(plan.skipped) == 1 else 'need'} fixing and will be skipped."
            if plan.skipped
            else ""
        )
        if plan.left_out:
            skipped += (
                "\nNot sent, as they are not for Calven (waiting for approval, refused, or "
                f"shorter than half a day): {len(plan.left_out)} of the selected rows."
            )
        cancelling = len(plan.cancellations)
        freed = (
            f"\n{_rows(cancelling, 'cancellation')} first free the days changed rows no longer "
            "cover."
            if cancelling
            else ""
        )
        # The connection by its name (what the person chose), its address in the details.
        where = (
            f"through the connection “{connection.profile}”"
            if connection.profile
            else f"at {connection.base_url}"
        )
        if not window.confirm(
            "Send to Calven?",
            f"Send {_rows(len(plan.events) - cancelling)} to Calven {where}?{skipped}{freed}",
            f"Connection: {connection.profile or '(none: from the environment)'}\n"
            f"Address: {connection.base_url}\nAPI key id: {connection.key_id}",
        ):
            return
        assert window.model is not None
        window.model.set_sending(e.row for e in plan.events if e.row not in plan.cancellations)
        settings = self.run_settings()
        source, sheet = str(document.table.file.resolve()), document.table.sheet
        what = what_sends(document)

        def job(worker: Worker) -> RunReport:
            # Planned again under the connection's claim, from the memory as it is now: another
            # sender may have sent since the question was asked.
            with open_journal(connection) as journal:
                return send_roster(
                    check,
                    connection,
                    settings=settings,
                    journal=journal,
                    source=source,
                    sheet=sheet,
                    what=what,
                    rows=rows,
                    resend_all=resend_all,
                    progress=worker.report,
                    cancel=worker.cancel,
                    answered=worker.feed,
                )[1]

        sent = {e.row: dict(e.event) for e in plan.events if e.row not in plan.cancellations}
        self.start_run(job, sent, len(plan.events), self.run_ended)

    # --- a run on screen: its answers and its end -----------------------------------------------

    def start_run(
        self,
        job: Callable[[Worker], RunReport],
        sent_events: dict[int, dict[str, str]] | None,
        total: int | None,
        done: Callable[[RunReport], None],
    ) -> None:
        """Run `job` in the background with its answers shown as they arrive; `done` gets the
        report (`run_ended` for the roster on screen). `sent_events` are the events as this run
        sends them, by row, so an edit after sending shows as a change."""
        self._sent_events = sent_events
        self._answers_shown = False
        self._shown = {}
        self.window.jobs.show_sending(total)
        expected = (SenderBusy, ResumeRefused, JournalError)  # each one a sentence for the person
        self.window.jobs.run(Worker(job, expected), done, self.run_failed)

    def answers_arrived(self, outcomes: list[RowOutcome]) -> None:
        self._answers.extend(outcomes)
        if not self.answers_timer.isActive():
            self.answers_timer.start()

    def _show_answers(self, every: bool = False) -> None:
        """Show the answers waiting, ANSWERS_PER_TURN at a time (the rest on the next turn of
        the event loop: 5,000 at once held the window); `every`: all of them now."""
        cut = len(self._answers) if every else ANSWERS_PER_TURN
        answers, self._answers = self._answers[:cut], self._answers[cut:]
        if self._answers:
            # After a pause, not at once: the repaint and anything the person does come first,
            # rather than all the turns running back to back in one pass of the event loop.
            QTimer.singleShot(ANSWER_PAUSE_MS, self, self._show_answers)
        if answers and self.window.model is not None:
            self.window.model.record_answers(answers, self._sent_events)
            self._answers_shown = True
            self._shown.update((id(a), a) for a in answers)

    def _drop_pending_answers(self) -> None:
        """The run's report holds every answer; the ones still waiting for the timer are in it."""
        self.answers_timer.stop()
        self._answers = []

    def run_failed(self, message: str) -> None:
        # No report comes: the answers that did arrive are all there is to show (the journal
        # has them too, so they are not unsaved edits).
        self.answers_timer.stop()
        self._show_answers(every=True)
        self._sent_events = None
        if self.window.model is not None:
            self.window.model.set_sending([])
        self.window.inform("Sending failed", message)

    def run_ended(self, report: RunReport) -> None:
        self._drop_pending_answers()
        self.last_report = report
        if self.window.model is not None:
            # The answers already on screen are not recorded again (49,000 of them took a
            # quarter of a second on the GUI thread at the end of a run).
            # Rows the run left out (to fix first, or already in Calven) got no answer: they
            # keep saying why themselves.
            shown = self._shown
            fresh = [
                o
                for o in report.outcomes
                if shown.get(id(o)) is not o and o.outcome not in NO_ANSWER
            ]
            self.window.model.record_results(fresh, self._sent_events)
        self._sent_events = None
        self._shown = {}
        text = run_words(report)
        self.qt.statusBar().showMessage(f"Run {report.run_id}: {text}", 15000)
        if self.window.jobs.announcer is not None:
            self.window.jobs.announcer.say(f"Sending finished: {text}")
        if report.fatal:
            self.window.inform("Sending stopped", f"{report.fatal}\n\n{text}")
        self.finished.emit(report)


def run_words(report: RunReport) -> str:
    """How a run ended, in the words the window's counts use: "skipped" is what the Skipped
    filter lists (not for Calven), rows left out to be fixed "need fixing"."""
    summary = report.summary()
    fixing = summary["skipped"]
    parts = [
        f"{summary['accepted']} accepted",
        f"{summary['rejected']} rejected",
        f"{summary['not_sent']} not sent",
        *([f"{summary['unconfirmed']} sent but not confirmed"] if summary["unconfirmed"] else []),
        f"{fixing} {'needs' if fixing == 1 else 'need'} fixing",
        *(
            [f"{summary['not_for_calven']} skipped (not for Calven)"]
            if summary["not_for_calven"]
            else []
        ),
    ]
    return ", ".join(parts) + "."


#: Outcomes that are no answer from Calven: the row was not part of what went (a row not for
#: Calven, pending or refused, keeps saying why itself: an answer kept would outlive an edit
#: approving it, and Save as would write "Not for Calven" beside a row that is ready).
NO_ANSWER = (Outcome.SKIPPED, Outcome.UNCHANGED, Outcome.NOT_FOR_CALVEN)

#: Answers shown per turn of the event loop while a run goes on: a thousand at a time, with the
#: repaint that follows, held the window 150 ms at 50,000 rows (bench_gui_responsiveness); a
#: hundred take about 20 ms beside a run's busy threads.
ANSWERS_PER_TURN = 100
#: The pause between two turns of showing answers.
ANSWER_PAUSE_MS = 15


def _rows(count: int, word: str = "row") -> str:
    """ "1 row", "8 rows": a question reads as a sentence, not as "8 row(s)"."""
    return f"{count:,} {word if count == 1 else word + 's'}"
