"""The longest freeze of the window while a 50,000-row roster loads, validates and is submitted.

Run: python bench/bench_gui_responsiveness.py [ROWS]. A 5 ms heartbeat timer runs on the GUI thread;
the longest gap between beats is the longest time the window could not react. Side by side:
1. the app's way: File > Open and Submit all ready, with reading, checking and sending in workers;
2. the alternative: the same work called directly on the GUI thread.
Submission goes to the built-in sandbox on 127.0.0.1. Offscreen, so nothing needs a screen.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CALVEN_DESK_HOME"] = tempfile.mkdtemp(prefix="calven-bench-")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import make_roster_xlsx
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from calven_desk.calven.run import execute_run, plan_run
from calven_desk.calven.sandbox import Sandbox
from calven_desk.gui.main_window import MainWindow
from calven_desk.roster import load_roster
from calven_desk.roster.document import RosterDocument
from calven_desk.store.profiles import Profile, save_profile, use_for_session
from calven_desk.store.settings import Settings


class Heartbeat:
    """Records the longest gap between 5 ms timer ticks on the GUI thread."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.longest = 0
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.beat)

    def start(self) -> None:
        self.longest = 0
        self.clock.start()
        self.timer.start()

    def beat(self) -> None:
        self.longest = max(self.longest, self.clock.restart())

    def stop(self) -> int:
        self.timer.stop()
        return self.longest


def wait(signal: object) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    loop.exec()


def window_with_sandbox(sandbox: Sandbox) -> MainWindow:
    save_profile(Profile("bench", "sandbox-key", sandbox.url), None)
    use_for_session("bench", "sandbox-secret")
    window = MainWindow(Settings(last_profile="bench"))
    window.confirm = lambda title, text: True
    window.inform = lambda title, text: None
    window.ask_unsaved = lambda name: "discard"
    window.show()
    return window


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    app = QApplication.instance() or QApplication(sys.argv[:1])
    path = make_roster_xlsx(Path(os.environ["CALVEN_DESK_HOME"]) / "big.xlsx", rows)
    beat = Heartbeat()
    results = {}
    with Sandbox() as sandbox:
        window = window_with_sandbox(sandbox)
        began = time.perf_counter()
        beat.start()
        window.open_file(path)
        wait(window.model_ready)
        load_stall = beat.stop()
        beat.start()
        window.submit_all_ready()
        wait(window.run_finished)
        results["app"] = (load_stall, beat.stop(), time.perf_counter() - began)
        window.close()

        window = window_with_sandbox(sandbox)
        began = time.perf_counter()
        beat.start()
        QTimer.singleShot(0, lambda: window.show_document(RosterDocument(load_roster(path))))
        QTimer.singleShot(50, app.quit)
        app.exec()
        load_stall = beat.stop()
        beat.start()
        connection = window.connection()
        assert connection is not None and window.document is not None
        plan = plan_run(window.document.as_check())
        QTimer.singleShot(
            0,
            lambda: execute_run(
                plan,
                connection,
                settings=window.run_settings(),
                journal=None,
                source=str(path),
                sheet=None,
            ),
        )
        QTimer.singleShot(50, app.quit)
        app.exec()
        results["gui-thread"] = (load_stall, beat.stop(), time.perf_counter() - began)
        window.close()
    print(f"rows: {rows}; longest time the window could not react (heartbeat gap):")
    for name, label in (
        ("app", "Calven Desk (workers)"),
        ("gui-thread", "same work on the GUI thread"),
    ):
        load, submit, total = results[name]
        print(
            f"  {label:<30} open+check: {load:>5} ms   submit: {submit:>5} ms   (whole flow {total:.1f} s)"
        )


if __name__ == "__main__":
    main()
