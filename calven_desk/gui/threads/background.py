"""Work the window hands to worker threads on a large roster, so it never freezes (issue 10).

- How large a roster must be for its work to go to workers (`BACKGROUND_ROWS`).
- The autosave of unsaved edits (`autosave_in_background`).
- When plain threads (the comparison with Calven, the user-list check) start (`start_after_paint`).
- Python's garbage collector and the open roster's objects (`settle_memory`).

The table's own background pass (duplicates, overlaps, counts) is `gui/table/cross_pass.py`.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, QTimer

from calven_desk.gui.threads.workers import Worker, start_detached
from calven_desk.roster.document import RosterDocument, snapshot
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
    `release_memory` gives them back when the roster is replaced.
    """
    gc.freeze()


def release_memory() -> None:
    """A roster was replaced: what was frozen goes back to the collector (gc.unfreeze is O(1)),
    so anything of the old roster that reference counting cannot free (a cycle) is collected
    at the next full collection instead of being kept for good; the next `settle_memory`
    freezes what is alive then."""
    gc.unfreeze()
