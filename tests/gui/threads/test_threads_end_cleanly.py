"""Background threads end and say so whatever happens, tell only windows that still exist, and
give back the process-wide settings they change (switch interval, garbage collector) at once."""

from __future__ import annotations

import gc
import logging
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.threads import workers
from calven_desk.gui.threads.workers import (
    SWITCH_SECONDS,
    Worker,
    background_thread,
    make_courier,
    post,
    quiet_collector,
    switching_often,
    thread_for,
)
from tests.gui.conftest import open_and_wait
from tests.gui.test_window_directory import connect, roster, sandbox  # noqa: F401  (fixtures)


class Stop(BaseException):
    """Neither an Exception nor anything the job expects: as KeyboardInterrupt or SystemExit."""


def run_in_thread(qtbot: QtBot, worker: Worker) -> tuple[list[object], list[str]]:
    """Run the worker in its thread until the thread has finished (heard in the thread itself:
    the thread object deletes itself right after)."""
    done: list[object] = []
    failed: list[str] = []
    finished: list[bool] = []
    worker.done.connect(done.append)
    worker.failed.connect(failed.append)
    owner = QObject()
    thread = thread_for(worker, owner)
    thread.finished.connect(lambda: finished.append(True), Qt.ConnectionType.DirectConnection)
    thread.start()
    qtbot.waitUntil(lambda: bool(finished) and bool(done or failed), timeout=10_000)
    return done, failed


@pytest.mark.parametrize("raised", [Stop, KeyboardInterrupt, SystemExit, RuntimeError])
def test_a_worker_ends_and_says_so_on_any_exception(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture, raised: type[BaseException]
) -> None:
    def job(_worker: Worker) -> None:
        raise raised("inside the job")

    with caplog.at_level(logging.ERROR, logger="calven_desk.gui"):
        done, failed = run_in_thread(qtbot, Worker(job, ()))
    assert done == []  # and the thread finished (waited for above)
    assert failed == [
        f"Something went wrong in the background ({raised.__name__}); see the log file."
    ]
    assert "inside the job" in caplog.text  # with its traceback, in the log


def test_courier_delivers_to_live_objects_only(qtbot: QtBot) -> None:
    make_courier()

    class Part(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.got: list[tuple[object, bool]] = []

        def take(self, payload: object) -> None:
            self.got.append((payload, threading.current_thread() is threading.main_thread()))

    live, gone = Part(), Part()
    kept_python_side = gone.take  # its Python object outlives the Qt one, as a thread's would

    def from_a_plain_thread() -> None:
        post(live.take, "answer")
        post(kept_python_side, "late")

    import shiboken6

    shiboken6.delete(gone)  # the window closed meanwhile
    thread = threading.Thread(target=from_a_plain_thread)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(live.got), timeout=5_000)
    assert live.got == [("answer", True)]  # on the GUI thread


def test_switch_interval_is_given_back_when_the_last_job_ends() -> None:
    before = sys.getswitchinterval()
    assert before != SWITCH_SECONDS
    entered = threading.Event()
    release = threading.Event()

    def other() -> None:
        with switching_often():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(5)
    with pytest.raises(Stop), switching_often():
        assert sys.getswitchinterval() == pytest.approx(SWITCH_SECONDS)
        raise Stop
    assert sys.getswitchinterval() == pytest.approx(SWITCH_SECONDS)  # the other job still runs
    release.set()
    thread.join()
    assert sys.getswitchinterval() == before


def test_the_collector_is_given_back_as_it_was_and_nothing_is_frozen() -> None:
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    with pytest.raises(Stop), quiet_collector():
        assert not gc.isenabled()
        raise Stop
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    with background_thread():
        assert not gc.isenabled() and sys.getswitchinterval() == pytest.approx(SWITCH_SECONDS)
    assert gc.isenabled()
    gc.disable()  # someone else turned it off: it stays off
    try:
        with quiet_collector():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert workers._quiet_jobs == 0


def test_a_failure_of_the_user_list_check_is_told_not_hidden(
    qtbot: QtBot,
    window: MainWindow,
    sandbox: object,  # noqa: F811
    roster: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A RuntimeError of the check itself used to pass for "the window closed" and vanish."""
    from calven_desk.gui.window import directory

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the check broke")

    monkeypatch.setattr(directory, "obtain_directory", broken)
    connect(window, sandbox)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="calven_desk.gui"):
        open_and_wait(qtbot, window, roster)
        qtbot.waitUntil(
            lambda: "user list failed" in window.statusBar().currentMessage(), timeout=10_000
        )
    assert "the check broke" in caplog.text
