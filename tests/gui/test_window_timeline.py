"""The Timeline tab in the real main window: switching, selection both ways, the filter, Enter."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from calven_desk.cli import main as cli_main
from calven_desk.gui.main_window import MainWindow
from tests.gui.conftest import open_and_wait
from tests.gui.test_timeline import HEADER, ROWS
from tests.roster.files import write_csv


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


def test_timeline_command_without_png_opens_the_window_on_the_timeline(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "team.csv", [HEADER, *ROWS])
    seen: list[str] = []

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.document is not None:
                tabs = widget.timeline.tabs
                seen.append(tabs.tabText(tabs.currentIndex()))
                widget.close()
                QApplication.quit()
                return
        QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)
    QTimer.singleShot(20_000, QApplication.quit)  # never hang the suite
    logger = logging.getLogger("calven_desk")
    handlers = list(logger.handlers)
    try:
        assert cli_main(["timeline", str(path)]) == 0
    finally:
        # The app sets up its log file in this test's home; later tests need their own.
        for handler in set(logger.handlers) - set(handlers):
            logger.removeHandler(handler)
            handler.close()
    assert seen == ["Timeline"]
