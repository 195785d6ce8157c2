"""Work the window hands to worker threads on a large roster, so it never freezes (issue 10).

- The cross-row pass (duplicates, shared event IDs, overlapping leave) with the status bar's
  counts, after every edit, paste, deletion and undo: a quarter of a second or more on 50,000
  rows. The document notes the pass as owed (`RosterDocument.defer_cross`); `CrossPass` runs it
  and hands the counts back to the model. A change while it runs starts another pass when it
  ends, so the last answer always describes the rows as they are.
- The document and its counts when a roster is opened (`prepared`, in the check worker).
- The autosave of unsaved edits (`autosave_in_background`).
- When plain threads (the comparison with Calven, the user-list check) start (`start_after_paint`).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, QTimer, Slot

from calven_desk.gui.rowstate import count_rows
from calven_desk.gui.workers import Worker, start_detached
from calven_desk.roster.check import cross_check, cross_problems
from calven_desk.roster.document import DocumentRow, RosterDocument, snapshot
from calven_desk.roster.model import Problem, RowCheck
from calven_desk.store.recovery import save_recovery

log = logging.getLogger("calven_desk.gui")

#: Rosters with at least this many rows have their cross-row pass and their view order worked
#: out in worker threads; smaller ones at once (a pass over 2,000 rows takes about 10 ms).
BACKGROUND_ROWS = 2000
START_AFTER_MS = 40


def start_after_paint(thread: threading.Thread, owner: QObject) -> None:
    """Start a plain thread once the window has painted what it has (START_AFTER_MS): a thread
    starting with a new table held up its first paint (issue 10). Not started if `owner` is
    gone by then."""
    # A lambda, not thread.start: PySide keeps only a weak reference to a bound method's
    # object, and the thread would be gone by then (a crash).
    QTimer.singleShot(START_AFTER_MS, owner, lambda: thread.start())


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document made in a worker, with the status bar's counts made there too."""

    document: RosterDocument
    counts: dict[str, int]


def prepared(document: RosterDocument) -> Prepared:
    """In the worker that checked the rows: count them there, not on the GUI thread."""
    return Prepared(document, count_rows(document.rows))


_saving: list[QThread] = []


def autosave_in_background(document: RosterDocument, written: Callable[[], None]) -> None:
    """Write the recovery file from a copy of the row list, in a worker, and call `written` (in
    that worker) once it is; skipped while the last one is still writing (the next autosave
    catches up)."""
    if _saving and not _saving[0].isFinished():
        return
    rows = list(document.rows)

    def job(_worker: Worker) -> None:
        try:
            save_recovery(snapshot(document, rows))
        except OSError as exc:
            log.warning("Autosave failed: %s", exc)
            return
        written()

    _saving[:] = [start_detached(Worker(job, ()))]


def settle_memory() -> None:
    """Let Python's garbage collector pass over the roster's objects from now on.

    A 50,000-row roster is millions of objects; each full collection walked them all, holding
    every thread for a quarter of a second, and the allocations of a worker's pass set one off
    every few hundred milliseconds. The rows live as long as the roster is open and are freed by
    reference counting when it closes, so the collector need not look at them (gc.freeze is O(1)).
    """
    gc.freeze()


#: A pass's answer: its round, the counts, the rows it checked (row, check it had, new check),
#: and the checks whose cross-row problems changed, with their new ones (found in the worker:
#: going over 50,000 checks on the GUI thread held the window).
Answer = tuple[
    int,
    dict[str, int],
    list[tuple[DocumentRow, RowCheck, RowCheck]],
    list[tuple[RowCheck, list[Problem]]],
]


class CrossPass(QObject):
    """Runs the owed pass; `done(counts)` on the GUI thread (counts None: to be made afresh)."""

    def __init__(
        self, document: RosterDocument, done: Callable[[dict[str, int] | None], None]
    ) -> None:
        super().__init__()
        self.document = document
        self.done = done
        self.running: QThread | None = None
        self.round = 0  # the pass whose answer is awaited; older answers are dropped
        self.again = False
        self.taken: list[tuple[DocumentRow, RowCheck]] = []  # rows the running pass checks
        # The pass starts a moment after the change, once the window has repainted: painting
        # while a worker runs Python waits for the interpreter at every cell. The moment also
        # gathers quick successive changes into one pass.
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(START_AFTER_MS)
        self.timer.timeout.connect(self._begin)

    @property
    def checking(self) -> bool:
        return self.document.cross_pending or self.running is not None or self.timer.isActive()

    def rows_changed(self) -> None:
        """Something the counts depend on changed (answers): a pass under way must run again."""
        if self.running is not None:
            self.again = True

    @Slot()
    def start(self, *_: object) -> None:
        if not self.document.cross_pending:
            return
        if self.running is not None:
            self.again = True
            return
        self.timer.start()

    @Slot()
    def _begin(self) -> None:
        if not self.document.cross_pending or self.running is not None:
            return
        self.document.cross_pending = False
        self.again = False
        self.round += 1
        rows, round_, document = list(self.document.rows), self.round, self.document
        # Rows changed in bulk (a paste) wait for their own check too: it is made here.
        self.taken = waiting = document.take_unchecked()

        def job(_worker: Worker) -> Answer:
            done = [(row, old, document.checked(old.row, old.values)) for row, old in waiting]
            fresh = {id(old): new for _, old, new in done}
            checks = [fresh.get(id(r.check), r.check) for r in rows]
            crosses = cross_problems(checks)  # the rows stay as they are for other readers
            changed = [(c, p) for c, p in zip(checks, crosses, strict=True) if c.cross != p]
            return round_, count_rows(rows, checks, crosses), done, changed

        worker = Worker(job, ())
        worker.done.connect(self._finished)
        worker.failed.connect(self._failed)
        self.running = start_detached(worker)

    @Slot(object)
    def _finished(self, answer: Answer) -> None:
        round_, counts, done, changed = answer
        if round_ != self.round:
            return  # `settle` did the pass meanwhile
        self.running = None
        self.document.put_checked(done)
        self.taken = []
        for check, problems in changed:
            check.cross = problems
        if self.again:
            self.document.cross_pending = True
            self.start()
            return
        settle_memory()  # the rows' new problems
        self.done(counts)

    @Slot(str)
    def _failed(self, _message: str) -> None:
        self.running = None
        self.document.cross_pending = True
        self.settle()

    def settle(self) -> None:
        """Finish the pass now, on this thread (before a run is planned: it must see every clash)."""
        self.timer.stop()
        if self.running is not None:
            self.running.wait()
            self.running = None
            self.document.cross_pending = True
        waiting = self.taken + self.document.take_unchecked()
        self.taken = []
        if self.document.cross_pending or self.again or waiting:
            self.round += 1
            self.document.cross_pending = self.again = False
            document = self.document
            document.put_checked(
                [(row, old, document.checked(old.row, old.values)) for row, old in waiting]
            )
            cross_check([r.check for r in document.rows])
            self.done(None)
