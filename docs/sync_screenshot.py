"""Renders the window keeping Calven in step, to docs/sync.png for the README's sync section.

Run: QT_QPA_PLATFORM=offscreen python docs/sync_screenshot.py. It starts the built-in sandbox,
sends a first month's roster, then opens the next month's export: rows show New, Changed since
sent or Already in Calven, and the "No longer in the roster" panel lists the leave that was deleted.
The window is a laptop's 1,366 x 768, in the Light theme.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CALVEN_DESK_HOME", tempfile.mkdtemp(prefix="calven-shots-"))

from PySide6.QtWidgets import QApplication

from calven_desk.calven.sandbox import SUBMITTING, Sandbox
from calven_desk.gui.main_window import MainWindow
from calven_desk.store.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import LAPTOP, settle, wait_for

HERE = Path(__file__).resolve().parent
HEADER = ["Employee", "Work Email", "Leave Type", "Status", "First Day", "Last Day", "Request ID"]
MARCH = [
    [
        "Ana Lima",
        "ana.lima@example.com",
        "Annual",
        "Approved",
        "2031-03-10",
        "2031-03-14",
        "HR-101",
    ],
    [
        "Ana Lima",
        "ana.lima@example.com",
        "Annual",
        "Approved",
        "2031-04-01",
        "2031-04-03",
        "HR-102",
    ],
    [
        "Ben Okafor",
        "ben.okafor@example.com",
        "Annual",
        "Approved",
        "2031-03-20",
        "2031-03-21",
        "HR-103",
    ],
    [
        "Chen Wei",
        "chen.wei@example.com",
        "Annual",
        "Approved",
        "2031-03-05",
        "2031-03-07",
        "HR-104",
    ],
    [
        "Chen Wei",
        "chen.wei@example.com",
        "Annual",
        "Approved",
        "2031-04-10",
        "2031-04-11",
        "HR-105",
    ],
]
APRIL = [
    [
        "Ana Lima",
        "ana.lima@example.com",
        "Annual",
        "Approved",
        "2031-03-12",
        "2031-03-18",
        "HR-101",
    ],
    [
        "Ben Okafor",
        "ben.okafor@example.com",
        "Sick",
        "Approved",
        "2031-03-20",
        "2031-03-21",
        "HR-103",
    ],
    [
        "Ben Okafor",
        "ben.okafor@example.com",
        "Annual",
        "Approved",
        "2031-04-15",
        "2031-04-17",
        "HR-107",
    ],
    [
        "Chen Wei",
        "chen.wei@example.com",
        "Annual",
        "Withdrawn",
        "2031-03-05",
        "2031-03-07",
        "HR-104",
    ],
    [
        "Chen Wei",
        "chen.wei@example.com",
        "Annual",
        "Approved",
        "2031-04-10",
        "2031-04-11",
        "HR-105",
    ],
    ["Dan Roe", "dan.roe@example.com", "Annual", "Approved", "2031-03-25", "2031-03-26", "HR-108"],
]


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    folder = Path(tempfile.mkdtemp(prefix="calven-rosters-"))
    window = MainWindow(Settings(theme="light"))
    window.confirm = lambda title, text, details="": True
    window.inform = lambda title, text: None
    window.resize(*LAPTOP)
    window.show()
    # A pretend Calven that knows everyone, with a key that may not read its user list (the
    # picture is about what changed), started before Help > Try it with the sandbox, which then
    # connects to it.
    window.sandbox = Sandbox(users=None, role=SUBMITTING).start()
    window.try_sandbox()
    wait_for(window.model_ready)
    wait_for(window.sync.compared)
    window.open_file(write(folder / "leave-march.csv", MARCH))
    wait_for(window.model_ready)
    wait_for(window.sync.compared)
    window.submit_all_ready()
    wait_for(window.run_finished)
    wait_for(window.sync.compared)
    window.open_file(write(folder / "leave-april.csv", APRIL))
    wait_for(window.model_ready)
    wait_for(window.sync.compared)
    window.sync.dock.raise_()  # the panel that shares the dock with Problems, to the front
    window.select_cell(3, "startDate")  # Ana's moved leave: "Ready (changed since sent)"
    settle(app)
    window.grab().save(str(HERE / "sync.png"))
    if isinstance(window.sandbox, Sandbox):
        window.sandbox.stop()
    window.dirty = False
    print(f"Wrote {HERE / 'sync.png'}")


if __name__ == "__main__":
    main()
