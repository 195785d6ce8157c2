"""The cross-row pass of a large roster in a worker, with the status bar's counts (issue 10).

The cross-row pass (duplicates, shared event IDs, overlapping leave) runs after every edit, paste,
deletion and undo: a quarter of a second or more on 50,000 rows. The document notes the pass as
owed (`RosterDocument.defer_cross`); `CrossPass` runs it and hands the counts back to the model. A
change while it runs starts another pass when it ends, so the last answer always describes the rows
as they are. A roster opened is counted in the worker that checked it (`prepared`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, QTimer, Slot

from calven_desk.calven.row_status import count_rows
from calven_desk.gui.threads.background import START_AFTER_MS, settle_memory
from calven_desk.gui.threads.workers import Worker, start_detached
from calven_desk.roster.check import cross_check, cross_problems
from calven_desk.roster.document import DocumentRow, RosterDocument
from calven_desk.roster.model import Problem, RowCheck


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document made in a worker, with the status bar's counts made there too."""

    document: RosterDocument
    counts: dict[str, int]


def prepared(document: RosterDocument) -> Prepared:
    """In the worker that checked the rows: count them there, not on the GUI thread."""
    return Prepared(document, count_rows(document.rows))


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
        self,
        document: RosterDocument,
        done: weakref.WeakMethod[Callable[[dict[str, int] | None], None]],
    ) -> None:
        """`done`: the model's method that takes the counts, held weakly (the model holds this)."""
        super().__init__()
        self.document = document
        self._done = done
        self.closed = False
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

    def done(self, counts: dict[str, int] | None) -> None:
        method = self._done()
        if method is not None and not self.closed:
            method(counts)

    def close(self) -> None:
        """The roster is gone: no pass starts, and an answer still on its way is dropped."""
        self.closed = True
        self.timer.stop()
        self.taken = []

    @property
    def checking(self) -> bool:
        return self.document.cross_pending or self.running is not None or self.timer.isActive()

    def rows_changed(self) -> None:
        """Something the counts depend on changed (answers): a pass under way must run again."""
        if self.running is not None:
            self.again = True

    @Slot()
    def start(self, *_: object) -> None:
        if self.closed or not self.document.cross_pending:
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
        if round_ != self.round or self.closed:
            return  # `settle` did the pass meanwhile, or the roster is gone
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
