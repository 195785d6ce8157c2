"""A long day in one window: does memory come back when a roster is replaced by the next?

Run: python bench/bench_long_session.py [ROSTERS] [ROWS] [--distinct] (default: 20 rosters of
5,000 rows). One window does, for each roster in turn, what an HR person does: open it, edit a
cell, select every row and send it to Calven (the built-in sandbox, in a process of its own, as
in bench_gui_responsiveness.py), then leave it for the next one (its edit discarded). After
each roster, once the window is idle, the process's resident memory is read. Before issue 20
each 50,000-row roster opened kept about 80 MB for good; the target is the memory after the
last roster within 60 MB of the memory after the first. Linux (reads /proc/self/statm).

The rosters are one organisation's: the same 5,000 people and leave, each file its own copy
(a corrected export sent again). `--distinct` gives every roster people and leave of its own
instead: what Calven holds from this computer then grows by 5,000 events per roster, and the
comparison with Calven (which reads all of them) grows with it, which is data, not a leak.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gui_responsiveness import sandbox_process, window_with_sandbox
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.start.allocator import limit_allocator_pools

TARGET_MB = 60
#: No step takes this long; past it the script stops and says which.
STEP_LIMIT_S = 120


def resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def make_roster(path: Path, number: int, rows: int) -> Path:
    """Roster `number` of the day (its people and leave its own unless `number` is 0 for all)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leave")
    sheet.append(["Employee Name", "Work Email", "Leave Type", "Status", "First Day", "Last Day"])
    for i in range(rows):
        day = 1 + i % 27
        sheet.append(
            [
                f"Person {number}-{i}",
                f"person{number}x{i}@example.com",
                "Annual Leave",
                "Approved",
                f"2031-{1 + i % 12:02d}-{day:02d}",
                f"2031-{1 + i % 12:02d}-{day + 1:02d}",
            ]
        )
    workbook.save(path)
    return path


def wait_until(test: object, what: str) -> None:
    loop = QEventLoop()
    began = time.monotonic()
    while not test():  # type: ignore[operator]
        if time.monotonic() - began > STEP_LIMIT_S:
            raise SystemExit(f"Still waiting after {STEP_LIMIT_S} s: {what}")
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def idle(window: MainWindow) -> bool:
    model = window.model
    return (
        model is not None
        and not model.checking
        and not window.busy()
        and not getattr(window.proxy, "busy", lambda: False)()
        and not window.problems_panel.timer.isActive()
    )


def main() -> None:
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    rosters = numbers[0] if numbers else 20
    rows = numbers[1] if len(numbers) > 1 else 5_000
    distinct = "--distinct" in sys.argv
    limit_allocator_pools()  # as the app starts (gui/app.py), before any thread
    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = Path(os.environ["CALVEN_DESK_HOME"])
    paths = [
        make_roster(folder / f"roster-{n:02d}.xlsx", n if distinct else 0, rows)
        for n in range(rosters)
    ]
    told: list[str] = []
    figures: list[float] = []
    with sandbox_process() as sandbox:
        window = window_with_sandbox(sandbox, told)
        opened: list[bool] = []
        finished: list[object] = []
        window.model_ready.connect(lambda: opened.append(True))
        window.run_finished.connect(finished.append)
        began = time.monotonic()
        for number, path in enumerate(paths, start=1):
            opened.clear()
            finished.clear()
            window.open_file(path)
            wait_until(lambda: bool(opened) and idle(window), f"roster {number} to open")
            model = window.model
            assert model is not None
            model.setData(
                model.index(0, model.field_column("email")), f"edited{number}@example.com"
            )
            wait_until(lambda: idle(window), f"roster {number}'s edit to be checked")
            window.table.selectAll()
            window.submit_selected()
            wait_until(lambda: bool(finished) and idle(window), f"roster {number} to be sent")
            if told:
                raise SystemExit(f"Roster {number}: the window said {told[0]!r}")
            window.dirty = False  # the person discards the edit and goes on to the next roster
            settled = time.monotonic() + 1.0
            wait_until(lambda at=settled: time.monotonic() > at, "the window to settle")
            figures.append(resident_mb())
            print(f"roster {number:>2}: {figures[-1]:7.1f} MB resident", flush=True)
        seconds = time.monotonic() - began
        window.dirty = False
        window.close()
    growth = figures[-1] - figures[0]
    verdict = "met" if growth <= TARGET_MB else "NOT met"
    print()
    print(
        f"{rosters} {'distinct ' if distinct else ''}rosters of {rows:,} rows in {seconds:.0f} s: "
        f"{figures[0]:.1f} MB after the "
        f"first, {figures[-1]:.1f} MB after the last, {growth:+.1f} MB "
        f"(largest {max(figures):.1f} MB); target within {TARGET_MB} MB: {verdict}"
    )
    del app


if __name__ == "__main__":
    main()
