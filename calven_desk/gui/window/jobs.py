"""Background work for the window: one worker thread at a time, the progress row and Cancel.

Reading, checking and sending all run here, so the window is busy while any of them is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton

from calven_desk.calven.outcomes import RowOutcome
from calven_desk.gui.workers import Worker, start


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
        self.row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setFormat("%v / %m rows")
        self.progress_label = QLabel()
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.row.addWidget(self.progress)
        self.row.addWidget(self.progress_label)
        self.row.addWidget(self.cancel_button)

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
        self.job_thread = start(worker, self)
        self.job_thread.finished.connect(self._background_finished)
        self.busy_changed.emit()

    def show_progress(self, done: int, total: int, state: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progress_label.setText(state)

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
