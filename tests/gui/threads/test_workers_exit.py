"""A script that ends while a background worker still runs (the self-test does) exits cleanly.

Qt aborts the process when a QThread is destroyed while it runs. The window waits for its
workers when the event loop quits, but a script that never runs the loop (`--self-test`) ends
without that signal; the self-test then failed now and then, with "QThread: Destroyed while
thread is still running", when an autosave was still writing at its end. Here a real process
starts a worker that takes half a second and ends at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import time
from PySide6.QtWidgets import QApplication
from calven_desk.gui.threads.workers import Worker, start_detached

app = QApplication([])
start_detached(Worker(lambda _w: time.sleep(0.5), ()))
print("ended without quitting the event loop", flush=True)
"""


def test_a_script_ending_while_a_worker_runs_exits_cleanly() -> None:
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ended without quitting" in result.stdout
