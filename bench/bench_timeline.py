"""The Timeline at 5,000 and 50,000 rows: the CLI's PNG, and how long the window stalls.

Run: python bench/bench_timeline.py [ROWS ...] (matplotlib and pandas come with
`pip install -e ".[bench]"`). Two parts, each with its alternative in the same run:

1. `calven-desk timeline FILE --png OUT.png`, whole process (start-up, read, check, lay out,
   draw, encode), median of three, against what a person might script instead: pandas reads the
   same xlsx (with calamine, the reader we use too) and matplotlib draws a broken_barh Gantt of it,
   one lane per person, to a PNG of about the same size.
2. The window's Timeline tab on the largest roster: the longest gap of a 5 ms heartbeat on the GUI
   thread while it is opened (laid out in a worker), scrolled a screen at a time, zoomed through
   every step and made to follow a filter, three rounds (median and worst); against laying out
   the same rows on the GUI thread.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, make_roster_xlsx, time_process

GANTT = """
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
frame = pd.read_excel(sys.argv[1], engine="calamine", header=2)
start = pd.to_datetime(frame["First Day"], dayfirst=True, errors="coerce")
end = pd.to_datetime(frame["Last Day"], dayfirst=True, errors="coerce")
frame = frame.assign(start=start, days=(end - start).dt.days + 1).dropna(subset=["start", "days"])
people = sorted(frame["Work Email"].astype(str).unique())
figure, axes = plt.subplots(figsize=(19, 80), dpi=100)
for lane, (who, group) in enumerate(frame.groupby(frame["Work Email"].astype(str))):
    spans = list(zip(matplotlib.dates.date2num(group["start"]), group["days"]))
    axes.broken_barh(spans, (people.index(who) - 0.4, 0.8))
axes.xaxis_date()
figure.savefig(sys.argv[2])
"""


def cli_part(folder: Path, sizes: list[int]) -> None:
    print("1. The picture, whole process, median of 3 (seconds)")
    print(f"{'rows':>8}  {'calven-desk timeline --png':>28}  {'pandas + matplotlib Gantt':>26}")
    for rows in sizes:
        roster = make_roster_xlsx(folder / f"roster-{rows}.xlsx", rows)
        ours = time_process(
            [PYTHON, "-m", "calven_desk", "timeline", str(roster), "--png", str(folder / "a.png")]
        )
        try:
            import matplotlib  # noqa: F401
            import pandas  # noqa: F401
        except ImportError:
            other = "(pip install -e '.[bench]')"
        else:
            script = folder / "gantt.py"
            script.write_text(GANTT)
            other = f"{time_process([PYTHON, str(script), str(roster), str(folder / 'b.png')]):.2f}"
        print(f"{rows:>8}  {ours:>28.2f}  {other:>26}")


def wait(signal: Any) -> None:
    """Run the event loop until `signal` is emitted (the window answers meanwhile)."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    signal.connect(loop.quit)
    loop.exec()


def gui_part(roster: Path) -> None:
    from bench_gui_responsiveness import Heartbeat
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from calven_desk.gui.main_window import MainWindow
    from calven_desk.gui.timeline.rows import document_name_column, timeline_rows
    from calven_desk.roster.timeline import lay_out
    from calven_desk.store.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(Settings())
    window.inform = lambda title, text: None
    window.resize(1200, 720)
    window.show()
    window.open_file(roster)
    wait(window.model_ready)
    page, view = window.timeline.page, window.timeline.page.view
    beat = Heartbeat()
    stalls: dict[str, list[int]] = {}

    def measure(what: str, action: Callable[[], None]) -> None:
        beat.start()
        action()
        stalls.setdefault(what, []).append(beat.stop())

    def open_tab() -> None:
        window.timeline.show_timeline()
        wait(page.laid_out)

    def scroll() -> None:
        for step in range(20):
            view.verticalScrollBar().setValue(step * view.verticalScrollBar().pageStep())
            view.horizontalScrollBar().setValue(step * view.horizontalScrollBar().pageStep() // 3)
            view.viewport().repaint()
            app.processEvents()

    def zoom() -> None:
        for step in (0, 1, 2, 3, 2, 1):
            page.zoom.setCurrentIndex(step)
            view.viewport().repaint()
            app.processEvents()

    def follow_filter() -> None:
        window.timeline.linked._filter_changed()
        wait(page.laid_out)

    # Three rounds, as a shared machine's scheduler adds pauses of its own; each round lays out
    # afresh (the rows marked changed, as after an edit).
    for _ in range(3):
        window.timeline.show_table()
        window.set_filter("All")
        assert window.model is not None
        window.model.refresh()
        app.processEvents()
        measure("open the Timeline tab (laid out in a worker)", open_tab)
        measure("scroll 20 screens, each painted", scroll)
        measure("zoom through every step, each painted", zoom)
        # The table's own refiltering is the filter's cost, not the Timeline's: done first.
        window.set_filter("Problems")
        app.processEvents()
        measure("follow the Problems filter", follow_filter)
    document = window.document
    assert document is not None
    names = document_name_column(document)
    began = time.perf_counter()

    def on_the_gui_thread() -> None:
        view.set_layout(lay_out(timeline_rows(document.rows, names)[0]))
        view.viewport().repaint()

    beat.start()
    QTimer.singleShot(0, on_the_gui_thread)
    QTimer.singleShot(50, app.quit)
    app.exec()
    stalls["alternative: lay out on the GUI thread"] = [beat.stop()]
    print(f"\n2. The window, {len(document.rows):,} rows: longest freeze (heartbeat gap, ms)")
    print(f"   {'':<46} {'median':>6} {'worst':>6}")
    for what, gaps in stalls.items():
        print(f"   {what:<46} {statistics.median(gaps):>6.0f} {max(gaps):>6}")
    print(f"   (the alternative took {time.perf_counter() - began:.2f} s in all)")
    window.dirty = False
    window.close()


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [5_000, 50_000]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        os.environ["CALVEN_DESK_HOME"] = str(folder / "home")
        cli_part(folder, sizes)
        gui_part(folder / f"roster-{max(sizes)}.xlsx")


if __name__ == "__main__":
    main()
