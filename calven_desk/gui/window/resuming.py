"""Finishing a run that was interrupted (the app closed or crashed while sending): offered at
start-up, sent again from the journal by `calven.run.resume_run`, shown through the sending part."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Signal

from calven_desk.calven.run import RunReport, journal_sent_events, open_journal, resume_run
from calven_desk.gui.threads.workers import Worker
from calven_desk.gui.window.part import Window, WindowPart
from calven_desk.gui.window.sending import SendingPart, run_words
from calven_desk.store.journal import Journal, JournalError, RunInfo

log = logging.getLogger("calven_desk.gui")


class ResumingPart(WindowPart):
    """Rows Calven never answered are sent once more; rows it answered are never sent again."""

    #: A resumed run of a roster not on screen ended, with its RunReport.
    finished = Signal(object)

    def __init__(self, window: Window, sending: SendingPart) -> None:
        super().__init__(window)
        self.sending = sending

    def offer_resume(self) -> None:
        try:
            with Journal() as journal:
                # Journal retention (Settings): old runs go at start-up, before anything is offered.
                retention = timedelta(days=self.window.settings.journal_retention_days)
                journal.purge_older_than(retention)
                runs = journal.interrupted_runs()
        except Exception:  # a damaged journal must not keep the app from starting
            log.exception("Journal could not be read")
            return
        if not runs:
            return
        run = runs[0]
        name = Path(run.source).name
        where = f"through the connection “{run.profile}”" if run.profile else "to Calven"
        rows = f"{run.unanswered:,} {'row' if run.unanswered == 1 else 'rows'}"
        if not self.window.confirm(
            "Finish an interrupted run?",
            f"Sending {name} {where} stopped before Calven answered {rows}. "
            "Send those rows now? (Rows Calven already answered are not sent again.)",
            f"Connection: {run.profile or '(none)'}\nAddress: {run.host}\nFile: {run.source}",
        ):
            with Journal() as journal:
                journal.dismiss(run.id)
            return
        self.resume(run)

    def resume(self, run: RunInfo) -> None:
        if run.profile:
            self.window.settings.last_profile = run.profile
        connection = self.sending.connection()
        if connection is None:
            return
        settings = self.sending.run_settings()
        live = self._on_screen(run)  # answers colour rows only of the run's own roster
        sent_events: dict[int, dict[str, str]] | None
        try:
            with Journal() as journal:
                sent_events = journal_sent_events(journal, run.id)
        except JournalError:
            sent_events = None  # resume_run meets the same journal and says what is wrong

        def job(worker: Worker) -> RunReport:
            with open_journal(connection) as journal:
                return resume_run(
                    run.id,
                    connection,
                    settings=settings,
                    journal=journal,
                    progress=worker.report,
                    cancel=worker.cancel,
                    answered=worker.feed if live else None,
                    what=f"the Calven Desk window (finishing {Path(run.source).name})",
                )

        self.sending.start_run(job, sent_events, None, lambda report: self._resumed(run, report))

    def _on_screen(self, run: RunInfo) -> bool:
        """Whether the roster open in the window is the one the run was sent from."""
        document = self.window.document
        return document is not None and str(document.table.file.resolve()) == run.source

    def _resumed(self, run: RunInfo, report: RunReport) -> None:
        if self._on_screen(run):
            self.sending.run_ended(report)
            return
        self.window.inform("Run finished", f"{Path(run.source).name}: {run_words(report)}")
        self.finished.emit(report)
