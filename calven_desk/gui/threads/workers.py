"""Background work for the window: reading and checking a roster, and submitting, off the GUI thread.

Each worker is a QObject moved to its own QThread (as in Mu's workers); it reports only through
signals, so no widget is ever touched from another thread. Errors arrive as sentences.
"""

from __future__ import annotations

import atexit
import gc
import logging
import sys
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from calven_desk.calven.outcomes import Progress, RowOutcome
from calven_desk.roster.addresses import load_library


class Worker(QObject):
    """Runs one function in a thread; `done` carries its result, `failed` a sentence, and
    `ended` always follows one of them, whatever the job raised (its thread quits on it)."""

    done = Signal(object)
    failed = Signal(str)
    ended = Signal()
    progress = Signal(int, int, str)
    answered = Signal(object)  # a list of RowOutcome: a batch Calven has just answered

    def __init__(
        self,
        job: Callable[[Worker], Any],
        expected: tuple[type[BaseException], ...],
        quiet: bool = False,
    ) -> None:
        """`quiet`: the collector waits while the job runs (see `quiet_collector`); for short
        jobs that make many objects (reading, checking), not for a run that lasts minutes."""
        super().__init__()
        self.job = job
        self.expected = expected
        self.quiet = quiet
        self.cancel = threading.Event()

    def report(self, progress: Progress) -> None:
        self.progress.emit(progress.done, progress.total, progress.state)

    def feed(self, outcomes: Sequence[RowOutcome]) -> None:
        self.answered.emit(list(outcomes))

    @Slot()
    def run(self) -> None:
        try:
            with switching_often():
                if self.quiet:
                    with python_lane(), quiet_collector():
                        result = self.job(self)
                else:
                    result = self.job(self)
        except self.expected as exc:
            self.failed.emit(str(exc))
        except BaseException as exc:
            # Unexpected (a KeyboardInterrupt or SystemExit included): logged with its
            # traceback; the person gets a sentence and the thread still ends.
            logging.getLogger("calven_desk.gui").error(
                "Background task failed", exc_info=(type(exc), exc, exc.__traceback__)
            )
            self.failed.emit(
                f"Something went wrong in the background ({type(exc).__name__}); see the log file."
            )
        else:
            self.done.emit(result)
        finally:
            self.ended.emit()


#: How often Python hands its lock between threads while a worker runs. The window answers Qt
#: through short Python calls (one or two per painted cell), and each one waits for the worker
#: to let go of the lock: at Python's default of 5 ms, painting the table took twice as long;
#: at 0.2 ms a paint waits little longer than with no worker (the worker loses little: the lock
#: changes hands only when the window asks for it).
SWITCH_SECONDS = 0.0002
_switch_lock = threading.Lock()
_running_workers = 0


_default_switch = [sys.getswitchinterval()]


@contextmanager
def switching_often() -> Iterator[None]:
    """Python hands its lock over every SWITCH_SECONDS while the block runs (in any thread);
    when the last such block ends, the interval is what it was before the first began."""
    global _running_workers
    with _switch_lock:
        if _running_workers == 0:
            _default_switch[0] = sys.getswitchinterval()
        _running_workers += 1
        sys.setswitchinterval(SWITCH_SECONDS)
    try:
        yield
    finally:
        with _switch_lock:
            _running_workers -= 1
            if _running_workers == 0:
                sys.setswitchinterval(_default_switch[0])


#: Held by the background job that is running Python now (see `python_lane`).
_lane = threading.RLock()


@contextmanager
def python_lane() -> Iterator[None]:
    """One background job at a time runs Python-heavy work (reading, checking, the table's keys,
    the cross-row pass, autosave, the comparison with Calven, the user-list check); the others
    wait their turn.

    Every call from Qt into Python (one or two per painted cell) waits for the interpreter's lock,
    and each busy thread makes the wait longer: painting the table's visible cells at 50,000 rows
    took 11 ms with no worker, 27 ms beside one busy thread and 157 ms beside three (issue 10).
    After opening a roster, four such jobs used to start together. Waiting for network answers
    (a run, fetching the user list) happens outside the lane, so those never hold it up.
    """
    with _lane:
        yield


class _Courier(QObject):
    """Carries what a plain thread found to a window's slot on the GUI thread. It lives as long
    as the application: a plain thread emitting a window's own signal after the window closed
    raised RuntimeError, and catching that hid real failures of the work itself."""

    carried = Signal(object)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.carried.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _deliver(self, parcel: tuple[weakref.WeakMethod[Callable[[Any], None]], Any]) -> None:
        method, payload = parcel[0](), parcel[1]
        if method is None or not shiboken6.isValid(getattr(method, "__self__", None)):
            return  # its window has closed: no one to tell
        method(payload)


_couriers: list[_Courier] = []


def make_courier() -> None:
    """Called on the GUI thread once the application exists (the window does it)."""
    application = QCoreApplication.instance()
    if not _couriers and application is not None:
        _couriers.append(_Courier(application))


def post(slot: Callable[[Any], None], payload: object) -> None:
    """From a plain thread: call `slot(payload)` (a window part's bound method) on the GUI
    thread, unless its object is gone by then. Only a weak reference to it is kept."""
    if _couriers:
        _couriers[0].carried.emit((weakref.WeakMethod(slot), payload))


def preload_background_modules() -> None:
    """Import now, on the GUI thread, what background jobs would otherwise import just as a
    roster opens: httpcore (httpx imports it at the first connection: the user-list check) and
    email-validator (the first row check). An import runs Python for tens of milliseconds, and
    PySide reads each new module's source besides; on a worker thread that contended with the
    window's painting of the new table (issue 10). About 50 ms of start-up instead."""
    import_module("httpcore")
    load_library()
    make_courier()


@contextmanager
def background_thread() -> Iterator[None]:
    """For a plain thread's work (not a Worker): the window gets its turns often, as with a
    worker (SWITCH_SECONDS), and the collector waits (`quiet_collector`)."""
    with switching_often(), quiet_collector():
        yield


def _quit_when_done(worker: Worker, thread: QThread) -> None:
    """End a worker thread's event loop from its own thread as the job ends. Queued to the
    GUI thread (Qt's default, as the QThread object lives there), the quit never came while the
    GUI thread was waiting for that very thread (closing the window during a run waited its
    full 30 s; at quitting, at exit, `CrossPass.settle`)."""
    worker.ended.connect(thread.quit, Qt.ConnectionType.DirectConnection)


def thread_for(worker: Worker, owner: QObject) -> QThread:
    """A thread for the worker that ends (and cleans up) when the worker does, not started yet.

    Connect to its `finished` before calling its `start`: the thread ends by itself, so a
    short job may be over before `start` returns, and a connection made after would never fire.
    """
    thread = QThread(owner)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    _quit_when_done(worker, thread)
    thread.finished.connect(thread.deleteLater)
    return thread


_quiet_lock = threading.Lock()
_quiet_jobs = 0
_collector_was_on = [True]


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Python's garbage collector waits while the block runs (it is one for the whole process).

    A full collection over a 50,000-row roster's objects holds every thread, the window's
    included, for 100 ms and more, and a worker's allocations set collections off. When the
    last such block ends, the collector is as it was before the first began. What the roster
    keeps is handed to the collector's permanent generation by `settle_memory`, and given back
    when the roster closes (`release_memory`): freezing here froze whatever was alive, the
    previous roster's leftovers too, for good.
    """
    global _quiet_jobs
    with _quiet_lock:
        if _quiet_jobs == 0:
            _collector_was_on[0] = gc.isenabled()
        _quiet_jobs += 1
        gc.disable()
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_jobs -= 1
            if _quiet_jobs == 0 and _collector_was_on[0]:
                gc.enable()


#: Detached threads with their workers, kept until they have finished so that none is destroyed
#: while it runs (the object that started it may go first, as a closed window's model does).
_DETACHED: set[tuple[QThread, Worker]] = set()
_waits_at_quit: list[bool] = []


def start_detached(worker: Worker) -> QThread:
    """Run a short worker (preparing keys, the cross-row pass) in a thread owned by no window;
    the garbage collector waits while it runs (`quiet_collector`)."""
    worker.quiet = True
    application = QCoreApplication.instance()
    if not _waits_at_quit and application is not None:
        application.aboutToQuit.connect(wait_for_detached)
        _waits_at_quit.append(True)
    for finished in [job for job in _DETACHED if job[0].isFinished()]:
        _DETACHED.discard(finished)
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    _quit_when_done(worker, thread)
    _DETACHED.add((thread, worker))
    thread.start()
    return thread


@atexit.register
def wait_for_detached() -> None:
    """When the app quits: let running workers end (a thread destroyed while it runs aborts).

    Also at the interpreter's exit: a script that never quits the event loop (the self-test)
    gets no aboutToQuit, and an autosave still writing at its end aborted the process."""
    for thread, _worker in list(_DETACHED):
        thread.wait()
    _DETACHED.clear()
