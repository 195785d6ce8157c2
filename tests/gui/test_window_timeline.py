"""The Timeline tab in the real main window: switching, selection both ways, the filter, Enter,
results of a run, and ghosts of leave no longer in the roster."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calven_desk.calven.sandbox import Sandbox
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.timeline.view import describe
from calven_desk.roster.timeline import Bar
from tests.gui.conftest import open_and_wait
from tests.gui.test_timeline import HEADER, ROWS
from tests.gui.test_window_sync import connect, open_compared, send_all_ready
from tests.roster.files import write_csv
from tests.sync.calendar import write_roster
from tests.sync.test_sync_cli import ANA, MONTH_1, MONTH_2


def current_row(window: MainWindow) -> int:
    assert window.model is not None
    source = window.proxy.mapToSource(window.table.currentIndex())
    return window.model.document.rows[source.row()].check.row


def open_on_timeline(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, write_csv(tmp_path / "team.csv", [HEADER, *ROWS]))
    page = window.timeline.page
    with qtbot.waitSignal(page.laid_out, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.timeline.tabs.currentWidget() is page
    page.view.today = None


def test_the_timeline_tab_follows_the_table_both_ways(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_on_timeline(qtbot, window, tmp_path)
    view = window.timeline.page.view
    assert [lane.name for lane in view.layout_.lanes] == ["Ana Lima", "Ben Okafor", "Cy Diaz"]
    rect = view.bar_rect(3)
    assert rect is not None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert current_row(window) == 3
    assert window.timeline.tabs.currentWidget() is window.timeline.page  # stays on the Timeline
    window.select_cell(6, "email")
    assert view.selected == 6


def test_filter_buttons_and_search_apply_to_the_timeline(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_on_timeline(qtbot, window, tmp_path)
    layout = lambda: sorted(window.timeline.page.view.layout_.by_row)  # noqa: E731
    window.search.setText("okafor")
    qtbot.waitUntil(lambda: layout() == [3, 6], timeout=10_000)
    window.search.clear()
    window.set_filter("Problems")  # only row 7, which has no readable date: no bar at all
    qtbot.waitUntil(lambda: layout() == [], timeout=10_000)
    assert "0 people" in window.timeline.page.status.text()
    window.set_filter("All")
    qtbot.waitUntil(lambda: layout() == [2, 3, 4, 5, 6], timeout=10_000)


def test_enter_on_a_bar_goes_to_its_row_in_the_table(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_on_timeline(qtbot, window, tmp_path)
    view = window.timeline.page.view
    view.select_row(4)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.timeline.tabs.currentWidget() is window.table
    assert current_row(window) == 4
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.timeline.tabs.currentWidget() is window.table


#: Runs `calven-desk timeline FILE` in a process of its own, and prints the tab the window shows
#: once the roster is open (the app's event loop, once quit, cannot serve later tests).
OPEN_AND_LOOK = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from calven_desk.cli import main
from calven_desk.gui.main_window import MainWindow

app = QApplication(sys.argv[:1])

def look():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.document is not None:
            tabs = widget.timeline.tabs
            print("tab:", tabs.tabText(tabs.currentIndex()), flush=True)
            widget.close()
            return
    QTimer.singleShot(50, look)

QTimer.singleShot(50, look)
QTimer.singleShot(30_000, app.quit)
sys.exit(main(["timeline", sys.argv[1]]))
"""


def test_timeline_command_without_png_opens_the_window_on_the_timeline(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "team.csv", [HEADER, *ROWS])
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_LOOK, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "tab: Timeline" in result.stdout


def test_the_next_roster_opened_replaces_the_timeline(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, rosters: Path
) -> None:
    open_on_timeline(qtbot, window, tmp_path)
    with qtbot.waitSignal(window.timeline.page.laid_out, timeout=10_000):
        open_and_wait(qtbot, window, rosters / "uk-semicolon.csv")
    names = [lane.name for lane in window.timeline.page.view.layout_.lanes]
    assert names == ["Ingrid Sørensen", "José Núñez", "Zoë Brontë"]
    window.search.setText("zoe")
    qtbot.waitUntil(lambda: len(window.timeline.page.view.layout_.by_row) == 1, timeout=10_000)


def test_bars_take_the_results_of_a_run(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.model_ready, timeout=20_000):
        window.try_sandbox()
    page = window.timeline.page
    with qtbot.waitSignal(page.laid_out, timeout=10_000):
        window.timeline.show_timeline()

    def words() -> dict[int, str]:
        return {row: page.view.layout_.by_row[row].source.word for row in (4, 10)}

    def table_words() -> dict[int, str]:
        assert window.model is not None and window.document is not None
        found = {row: window.document.index_of(row) for row in (4, 10)}
        return {row: str(window.model.index(i or 0, 1).data()) for row, i in found.items()}

    # Before the run the bars say what the table says ("Ready", or "Ready (new)" once the
    # comparison with what Calven holds has come back).
    qtbot.waitUntil(lambda: words() == table_words(), timeout=10_000)
    assert words()[4].startswith("Ready")
    with qtbot.waitSignal(window.run_finished, timeout=60_000):
        window.submit_all_ready()
    qtbot.waitUntil(lambda: words() == {4: "Accepted", 10: "Rejected (code 2)"}, timeout=10_000)
    assert words() == table_words()
    assert page.view.layout_.by_row[10].source.colour == "code2"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def test_leave_no_longer_in_the_roster_is_a_ghost_that_counts_nowhere(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path
) -> None:
    connect(window, sandbox)
    open_compared(qtbot, window, write_roster(tmp_path / "month-1.csv", MONTH_1, True))
    send_all_ready(qtbot, window)
    open_compared(qtbot, window, write_roster(tmp_path / "month-2.csv", MONTH_2, True))
    page = window.timeline.page
    window.timeline.show_timeline()

    def ghosts() -> list[Bar]:
        return [b for b in page.view.layout_.by_row.values() if b.source.ghost]

    qtbot.waitUntil(lambda: len(ghosts()) == 1, timeout=10_000)
    ghost = ghosts()[0]
    assert (ghost.source.person, ghost.source.start, ghost.source.end) == (
        ANA,
        date(2031, 4, 1),
        date(2031, 4, 3),
    )
    layout = page.view.layout_
    days = range(ghost.first, ghost.last + 1)
    others = [
        b
        for b in layout.by_row.values()
        if not b.source.ghost
        and not b.source.cancelled
        and b.first <= ghost.last
        and b.last >= ghost.first
    ]
    assert not others and all(layout.away[d] == 0 for d in days)
    assert "no longer in this roster" in describe(ghost, layout)
    window.search.setText(ANA)  # a search shows rows only: the ghost goes
    qtbot.waitUntil(lambda: not ghosts(), timeout=10_000)
