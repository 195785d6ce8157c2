"""How long the window freezes, and how long a person waits, for each thing they do on a big roster.

Run: python bench/bench_gui_responsiveness.py [ROWS ...] [--ours-only] (default: 5000 50000). A 5 ms heartbeat
timer runs on the GUI thread; the longest gap between its beats while an action is handled is the
longest time the window could not react (the "stall"). "Answered" is the time from the person's
act until the window shows the outcome: for opening, until the table is shown, sized and sorted
(reading and checking in the background included); for a sort or a search, until the new order is
in the table; for an edit, until its re-check and the cross-row pass are shown.

Side by side in one run, on the same roster and the same steps:
1. the app's way: the view order worked out ahead from prepared keys (gui/table/order.py), columns
   sized from a sample of rows;
2. the naive way it replaced (kept below): a QSortFilterProxyModel answering `lessThan` and
   `filterAcceptsRow` in Python per row, and `resizeColumnsToContents`.
Everything else (the model, the checks, the sending) is the same code. Calven is the built-in
sandbox on 127.0.0.1, run as a process of its own (`calven-desk sandbox`), as Calven is a server
elsewhere: inside the benchmark's process its Python would compete with the window's for Python's
lock and slow the window in a way no real user sees. Offscreen, so nothing needs a screen.
"""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CALVEN_DESK_HOME"] = tempfile.mkdtemp(prefix="calven-bench-")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import make_roster_xlsx
from naive_proxy import naive_window_parts
from PySide6.QtCore import (
    QElapsedTimer,
    QEventLoop,
    QItemSelection,
    QItemSelectionModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.start.allocator import limit_allocator_pools
from calven_desk.store.profiles import Profile, save_profile, use_for_session
from calven_desk.store.settings import Settings

#: After the outcome is in, the heartbeat keeps listening this long, so the repaint that shows
#: it (and any work queued behind it) counts in the stall too.
TAIL_MS = 60
#: No action takes this long; past it the benchmark prints where every thread is and stops.
WATCHDOG_SECONDS = 180


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
        self.longest = max(self.longest, self.clock.elapsed())
        self.timer.stop()
        return self.longest


def settle(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def measure(
    beat: Heartbeat, act: Callable[[], Any], answered: Callable[[], bool]
) -> tuple[int, float]:
    """(longest stall in ms, seconds until answered) for one act, started from the event loop as a
    click or a key press would be."""
    settle(30)
    # An action that never answers ends the run with every thread's stack, rather than hang.
    faulthandler.dump_traceback_later(WATCHDOG_SECONDS, exit=True)
    loop = QEventLoop()
    acted: list[float] = []
    finished: list[float] = []

    def do() -> None:
        acted.append(time.perf_counter())
        act()

    def poll() -> None:
        if acted and not finished and answered():
            finished.append(time.perf_counter())
            QTimer.singleShot(TAIL_MS, loop.quit)

    poller = QTimer()
    poller.setInterval(1)
    poller.timeout.connect(poll)
    beat.start()
    began = time.perf_counter()
    poller.start()
    QTimer.singleShot(0, do)
    loop.exec()
    poller.stop()
    faulthandler.cancel_dump_traceback_later()
    return beat.stop(), finished[0] - began


@contextmanager
def sandbox_process() -> Iterator[str]:
    """The sandbox in a process of its own, on a free port; yields its address."""
    server = subprocess.Popen(
        [sys.executable, "-m", "calven_desk", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        if "running at" not in first:
            raise SystemExit(f"The sandbox did not start: {first.strip() or 'no output'}")
        # Whatever it prints later is read and dropped: a full pipe would stop the server.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        yield first.rsplit(" ", 1)[-1].strip()
    finally:
        server.terminate()
        server.wait()


def window_with_sandbox(url: str, told: list[str]) -> MainWindow:
    """A window sending to the sandbox; what it would tell the person in a box goes in `told`."""
    save_profile(Profile("bench", DEMO_KEY_ID, url), None)
    use_for_session("bench", DEMO_SECRET)
    window = MainWindow(Settings(last_profile="bench"))
    window.confirm = lambda title, text, details="": True
    window.inform = lambda title, text: told.append(f"{title}: {text}")
    window.ask_unsaved = lambda name: "discard"
    window.resize(1200, 720)
    window.show()
    return window


def steps(
    window: MainWindow, path: Path
) -> list[tuple[str, Callable[[], Any], Callable[[], bool]]]:
    """Each thing a person does, in order, with the test that the window has answered it."""
    ready: list[bool] = []
    window.model_ready.connect(lambda: ready.append(True))
    finished: list[object] = []
    window.run_finished.connect(finished.append)
    proxy = window.proxy

    def idle() -> bool:
        busy = getattr(proxy, "busy", lambda: False)() or getattr(window.model, "checking", False)
        panel = window.problems_panel
        return not busy and not panel.timer.isActive()

    def column(name: str) -> int:
        assert window.model is not None
        return window.model.field_column(name)  # type: ignore[arg-type]

    def email_cell(proxy_row: int) -> Any:
        return proxy.index(proxy_row, column("email"))

    def edit() -> None:
        assert window.model is not None
        source = proxy.mapToSource(email_cell(3))
        window.model.setData(source, "edited.person@example.com")

    def paste() -> None:
        window.table.setCurrentIndex(email_cell(10))
        lines = [f"pasted{i}@example.com" for i in range(1000)]
        QGuiApplication.clipboard().setText("\n".join(lines))
        window.paste()

    def delete() -> None:
        first = max(0, min(2000, proxy.rowCount() - 1000))
        selection = QItemSelection(
            proxy.index(first, 0), proxy.index(first + 999, proxy.columnCount() - 1)
        )
        window.table.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        window.delete_rows()

    def typing(text: str) -> Callable[[], None]:
        return lambda: window.search.insert(text)

    def click_filter(name: str) -> Callable[[], None]:
        button = next(b for b in window.filters.buttons.buttons() if b.text() == name)
        return button.click

    def sort(name: str, descending: bool) -> Callable[[], None]:
        """As a click on the column's title: the header's indicator changes and the view sorts."""
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header = window.table.horizontalHeader()
        return lambda: header.setSortIndicator(SECTIONS[name](), order)

    SECTIONS: dict[str, Callable[[], int]] = {
        "row": lambda: 0,
        "status": lambda: 1,
        "email": lambda: column("email"),
    }
    plan: list[tuple[str, Callable[[], Any], Callable[[], bool]]] = [
        (
            "open, until shown, sized and sorted",
            lambda: window.open_file(path),
            lambda: bool(ready) and idle(),
        ),
        ("sort by Email", sort("email", False), idle),
        ("sort by Email again (descending)", sort("email", True), idle),
        ("sort by Status", sort("status", False), idle),
        ("sort by Status again (descending)", sort("status", True), idle),
        ("sort by Row", sort("row", False), idle),
    ]
    for number, letter in enumerate("on 12", start=1):
        plan.append((f"Search, letter {number} of 5", typing(letter), idle))
    plan.append(("clear Search", window.search.clear, idle))
    for name in ("Problems", "Ready", "Not sent", "Accepted", "Rejected", "All"):
        plan.append((f"filter {name}", click_filter(name), idle))
    plan += [
        ("edit a cell (re-check, cross-row pass)", edit, idle),
        ("undo", window.act_undo.trigger, idle),
        ("redo", window.act_redo.trigger, idle),
        ("paste 1,000 cells", paste, idle),
        ("delete 1,000 rows", delete, idle),
        ("problems panel rebuilt", window.problems_panel.rebuild, idle),
        (
            "Submit all ready, answers arriving",
            window.submit_all_ready,
            lambda: bool(finished) and idle(),
        ),
    ]
    return plan


def run(path: Path, sandbox: str, naive: bool) -> list[tuple[str, int, float]]:
    out = []
    told: list[str] = []
    # Each window starts with a journal of its own. Sharing one, the second window of a size
    # found Calven holding every row the first had sent: "Submit all ready" then sent only the
    # rows whose In Calven mark was not yet updated after the edits (so not the same rows as
    # the first window), or, when the comparison with Calven happened to land before the
    # click, nothing at all ("Nothing to send"), and the step waited for ever for a run.
    os.environ["CALVEN_DESK_HOME"] = tempfile.mkdtemp(prefix="calven-bench-")
    with naive_window_parts(naive):
        window = window_with_sandbox(sandbox, told)
        beat = Heartbeat()
        way = "naive" if naive else "ours "
        for label, act, answered in steps(window, path):
            # The window tells the person only when something failed (a run, a file, nothing
            # to send): the step would then never answer as awaited, and the benchmark would
            # wait for ever. It stops and says what the window said.
            stall, seconds = measure(beat, act, lambda done=answered: bool(told) or done())
            if told:
                raise SystemExit(f"{way.strip()}, {label}: the window said {told[0]!r}")
            out.append((label, stall, seconds))
            print(f"  {way} {label:<40} stall {stall:>6} ms  answered {seconds:6.2f} s", flush=True)
        window.dirty = False
        window.close()
    return out


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [5_000, 50_000]
    ways = [False] if "--ours-only" in sys.argv else [False, True]
    limit_allocator_pools()  # as the app starts (gui/app.py), before any thread
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tables = {}
    with sandbox_process() as sandbox:
        for rows in sizes:
            path = make_roster_xlsx(
                Path(os.environ["CALVEN_DESK_HOME"]) / f"roster-{rows}.xlsx", rows
            )
            print(f"{rows:,} rows:", flush=True)
            results = [run(path, sandbox, naive=way) for way in ways]
            tables[rows] = results
    print()
    print("Longest stall of the window (ms) / time until the window shows the outcome (s)")
    names = ["ours", "naive"][: len(ways)]
    header = " | ".join(f"{rows:,} rows: {name}" for rows in sizes for name in names)
    print(f"| action | {header} |")
    print("| --- |" + " --- |" * (len(sizes) * len(names)))
    labels = [label for label, _, _ in tables[sizes[0]][0]]
    for i, label in enumerate(labels):
        cells = [f"{way[i][1]} ms / {way[i][2]:.2f} s" for rows in sizes for way in tables[rows]]
        print(f"| {label} | " + " | ".join(cells) + " |")
    del app


if __name__ == "__main__":
    main()
