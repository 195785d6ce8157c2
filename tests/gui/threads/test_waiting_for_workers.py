"""The window's thread can wait for a worker's thread: the worker's thread ends by itself.

A worker's thread used to be told to end through the window's thread (a queued `quit`), so a
wait on the window's thread could never see it end: closing the window during a run froze it
for the full 30 seconds (and then let it go with the run's thread still going); quitting while
the Timeline was laid out, 10 seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from calven_desk.calven.sandbox import Sandbox
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.threads.workers import Worker, thread_for
from tests.gui.test_window import open_for_a_slow_run


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def test_a_worker_thread_ends_while_the_window_thread_waits_for_it(qtbot: QtBot) -> None:
    owner = QObject()
    release = threading.Event()
    worker = Worker(lambda _w: release.wait(20), ())  # kept: PySide would free it
    thread = thread_for(worker, owner)
    thread.start()
    release.set()
    # No event loop turns during the wait: the thread must end without the window's thread.
    assert thread.wait(20_000)


def test_closing_the_window_during_a_run_waits_for_the_run_to_stop(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path
) -> None:
    release = open_for_a_slow_run(qtbot, window, sandbox, tmp_path, 300)
    window.submit_all_ready()
    qtbot.waitUntil(lambda: window.progress.value() >= 50, timeout=20_000)
    thread = window.job_thread
    assert thread is not None
    asked: list[str] = []
    window.ask_unsaved = lambda name: asked.append(name) or "discard"  # type: ignore[func-returns-value]
    release.set()  # the batch on its way is answered; Cancel (at closing) stops the rest
    window.close()  # asks "Stop after the rows in flight and quit?": yes
    assert thread.isFinished()
    # The run's end was taken in before closing. Its results are no unsaved edits (the journal
    # keeps them), so with no cell edited nobody is asked about saving.
    assert not asked and window.sending.last_report is not None
