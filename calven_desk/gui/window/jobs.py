"""Background work for the window: one worker thread at a time, the progress row and Cancel.

Reading, checking and sending all run here, so the window is busy while any of them is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton

from calven_desk.calven.outcomes import RowOutcome
from calven_desk.gui.threads.workers import Worker, thread_for
from calven_desk.gui.window.announce import Announcer
from calven_desk.gui.window.elided import ElidedLabel

#: The progress row is redrawn at most this often while a job reports.
PROGRESS_EVERY_MS = 100


class BackgroundJobs(QObject):
    """Runs one worker at a time and shows its progress below the table."""

    #: A job started or ended: actions that need an idle window follow it.
    busy_changed = Signal()
    #: A list of RowOutcome Calven has just answered, on the GUI thread.
    answered = Signal(object)

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self.worker: Worker | None = None
        self.job_thread: QThread | None = None
        self._outcome: tuple[Callable[[Any], None], Any] | None = None
        self._handlers: tuple[Callable[[Any], None], Callable[[str], None]] = (print, print)
        #: Says a run's start, progress and end to screen readers; the window sets it.
        self.announcer: Announcer | None = None
        self.row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setFormat("%v / %m rows")
        self.progress.setAccessibleName("Progress")
        self.progress_label = ElidedLabel()
        self.progress_label.setAccessibleName("What is happening")
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setAccessibleDescription(
            "Stop after the rows already on their way to Calven (Esc)"
        )
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.row.addWidget(self.progress)
        self.row.addWidget(self.progress_label, 1)
        self.row.addWidget(self.cancel_button)
        # The row keeps its height when the bar and Cancel hide: otherwise the table grew and
        # shrank at every job, and each time Qt asked Python about every column title again
        # (63 calls, each waiting its turn while a worker runs Python).
        for widget in (self.progress, self.cancel_button):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
        # A run reports after every batch; dozens of reports could wait in the queue behind a busy
        # moment and were then drawn one after another (0.4 s at 50,000 rows). The bar shows the
        # latest report, at most every PROGRESS_EVERY_MS.
        self._latest: tuple[int, int, str] | None = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_EVERY_MS)
        self._progress_timer.timeout.connect(self._draw_progress)

    def busy(self) -> bool:
        return self.job_thread is not None

    def show_reading(self, text: str) -> None:
        """A bar that moves without a count, for reading a file."""
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.progress_label.setText(text)

    def show_sending(self, total: int | None) -> None:
        """The bar counts rows (when the total is known) and Cancel shows."""
        if total is not None:
            self.progress.setRange(0, total)
            self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        if self.announcer is not None:
            rows = f"{total:,} {'row' if total == 1 else 'rows'}" if total is not None else "rows"
            self.announcer.started(f"Sending {rows} to Calven.")

    def run(
        self, worker: Worker, done: Callable[[Any], None], failed: Callable[[str], None]
    ) -> None:
        """Run a worker; its outcome is handled on the GUI thread once its thread has finished.

        Signals go to bound slots of this object (queued across threads), never to lambdas, which
        PySide would call in the worker's thread. Handling the outcome only after the thread ends
        lets a handler start the next job (read, then check) without two jobs overlapping.
        """
        self.worker = worker
        self._outcome = None
        self._handlers = (done, failed)
        worker.done.connect(self._worker_done)
        worker.failed.connect(self._worker_failed)
        worker.progress.connect(self.show_progress)
        worker.answered.connect(self._answers_arrived)
        self.job_thread = thread_for(worker, self)
        self.job_thread.finished.connect(self._background_finished)  # before it can end
        self.job_thread.start()
        self.busy_changed.emit()

    def show_progress(self, done: int, total: int, state: str) -> None:
        """Keep the report; the bar is drawn from the latest one shortly (`PROGRESS_EVERY_MS`)."""
        first = self._latest is None and not self._progress_timer.isActive()
        self._latest = (done, total, state)
        if first:
            self._draw_progress()  # the first report at once, then at most every interval
        elif not self._progress_timer.isActive():
            self._progress_timer.start()

    def _draw_progress(self) -> None:
        if self._latest is None or self.job_thread is None:
            return
        done, total, state = self._latest
        self._latest = None
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            if self.announcer is not None:
                self.announcer.progress(f"{done:,} of {total:,} rows answered.")
        self.progress_label.setText(state)
        self._progress_timer.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel.set()
            self.progress_label.setText("Stopping: waiting for the answers already on their way…")

    @Slot(object)
    def _answers_arrived(self, outcomes: list[RowOutcome]) -> None:
        self.answered.emit(outcomes)

    @Slot(object)
    def _worker_done(self, result: object) -> None:
        self._outcome = (self._handlers[0], result)

    @Slot(str)
    def _worker_failed(self, message: str) -> None:
        self._outcome = (self._handlers[1], message)

    @Slot()
    def _background_finished(self) -> None:
        self._progress_timer.stop()
        self._latest = None
        self.job_thread = None
        self.worker = None
        self.progress.setVisible(False)
        self.progress_label.clear()
        self.cancel_button.setVisible(False)
        self.busy_changed.emit()
        outcome, self._outcome = self._outcome, None
        if outcome is not None:
            handler, value = outcome
            handler(value)
