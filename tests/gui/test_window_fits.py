"""The window on a laptop (issue 21): it fits 1,024 px with both panels open, never resizes itself,
lists every panel and toolbar in View, starts its columns with who and when, shows cut text in full,
and speaks plainly (counts that add up, no jargon, no stray "&")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDockWidget,
    QLabel,
    QStyleOptionViewItem,
    QToolBar,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from calven_desk.calven.sandbox import ALL_PERMISSIONS, Sandbox
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.table.column_order import first_order
from calven_desk.gui.window.filters import BUTTONS, SEARCH_WIDTH
from tests.gui.conftest import open_and_wait
from tests.gui.test_window_directory import USERS, connect, open_checked
from tests.roster.files import write_csv

#: A laptop of 1,366 px at 125 % has 1,093 px; the issue asks for 1,000 at most.
WIDEST_MINIMUM = 1000


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    """Row 4's address has a typo Calven's user list suggests a fix for."""
    return write_csv(
        tmp_path / "leave.csv",
        [
            ["Employee Name", "Email", "Start", "End"],
            ["Ben Okafor", "ben.okafor@example.com", "2030-02-01", "2030-02-02"],
            ["Chen Wei", "chen.wei@example.com", "2030-02-01", "2030-02-02"],
            ["Ana Lima", "ana.lima@exampel.com", "2030-02-01", "2030-02-02"],
        ],
    )


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(users=USERS, role=ALL_PERMISSIONS) as running:
        yield running


def sandbox_run(qtbot: QtBot, window: MainWindow, sandbox: Sandbox, roster: Path) -> None:
    """A roster sent to the sandbox, Calven's user list read, and the current row one with
    Calven's suggestion: every panel, column and line the window can show has something in it."""
    connect(window, sandbox)
    open_checked(qtbot, window, roster)
    with qtbot.waitSignal(window.run_finished, timeout=60_000):
        window.submit_all_ready()
    window.select_cell(4, "email")  # ana.lima@exampel.com: Calven suggests ana.lima@example.com
    qtbot.waitUntil(lambda: window.people.suggestion_bar.isVisibleTo(window))


def test_both_panels_open_the_window_fits_1000_px_and_search_keeps_160(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, roster: Path
) -> None:
    window.resize(1366, 740)
    sandbox_run(qtbot, window, sandbox, roster)
    docks = window.findChildren(QDockWidget)
    assert len(docks) == 2 and all(not d.isHidden() for d in docks)  # both panels open
    window.statusBar().showMessage("A long message " * 20)
    window.jobs.progress_label.setText("Sending batch after batch of rows " * 10)
    QApplication.processEvents()
    assert window.minimumSizeHint().width() <= WIDEST_MINIMUM
    window.resize(window.minimumSizeHint().width(), 740)
    qtbot.waitUntil(lambda: window.width() <= WIDEST_MINIMUM)
    QApplication.processEvents()
    assert window.search.width() >= SEARCH_WIDTH
    assert window.people.suggestion_bar.isVisible() and window.detail.label.isVisible()


def test_the_window_never_resizes_itself(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, roster: Path
) -> None:
    """It widened by itself as the status bar's words grew (1,200 -> 1,246 -> 1,272 px)."""
    window.resize(1100, 700)
    QApplication.processEvents()
    before = window.size()
    sandbox_run(qtbot, window, sandbox, roster)
    window.statusBar().showMessage("x" * 400)
    window.counts.setText("1,234,567 rows: " + "counted " * 60)
    window.show_banner("A banner " * 80)
    window.timeline.show_timeline()
    qtbot.waitUntil(lambda: not window.timeline.page.busy())
    window.timeline.page.view.today = None
    window.timeline.page.go_to_today()
    window.timeline.show_table()
    QApplication.processEvents()
    assert window.size() == before


def test_the_view_menu_lists_every_panel_and_toolbar(window: MainWindow) -> None:
    listed = set(window.view_menu.menu.actions())
    for dock in window.findChildren(QDockWidget):
        assert dock.toggleViewAction() in listed, dock.windowTitle()
    for bar in window.findChildren(QToolBar):
        assert bar.toggleViewAction() in listed, bar.windowTitle()
    problems = window.problems_panel.dock
    problems.toggleViewAction().trigger()
    assert problems.isHidden()
    problems.toggleViewAction().trigger()
    assert not problems.isHidden()


def test_columns_start_with_who_and_when(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    header = ["Reference", "Leave Type", "Status", "Work Email", "First Day", "Last Day", "Note",
              "Employee Name"]  # fmt: skip
    body = ["R1", "Annual", "Approved", "ana@example.com", "2030-03-02", "2030-03-03", "x", "Ana"]
    open_and_wait(qtbot, window, write_csv(tmp_path / "odd.csv", [header, body]))
    model, view = window.model, window.table.horizontalHeader()
    assert model is not None
    shown = [
        model.headerData(view.logicalIndex(v), Qt.Orientation.Horizontal)
        for v in range(view.count())
    ]
    assert shown[:11] == [
        "Row",
        "Status",
        "Employee Name (not sent)",
        "Email",
        "Start date",
        "End date",
        "Time-off type",
        "Event type",
        "Result",
        "Message",
        "Event ID",
    ]
    assert shown[11:] == ["Note (not sent)", "Result code", "Sent at"]
    assert window.columns.visual_order() == first_order(model)


def test_a_column_a_person_moves_stays_where_they_put_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    header = ["Employee Name", "Email", "Start", "End"]
    path = write_csv(
        tmp_path / "r.csv", [header, ["Ana", "a@example.com", "2030-03-02", "2030-03-03"]]
    )
    open_and_wait(qtbot, window, path)
    view = window.table.horizontalHeader()
    model = window.model
    assert model is not None

    def first_title() -> str:
        return str(model.headerData(view.logicalIndex(0), Qt.Orientation.Horizontal))

    view.moveSection(view.count() - 1, 0)  # Sent at, first
    assert window.columns.moved_by_hand and first_title() == "Sent at"
    model.show_people({2: "Ana Lima"}, {})  # the In Calven column arrives
    assert first_title() == "Sent at"  # still where the person put it


def test_copy_and_paste_follow_the_columns_as_shown(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    header = ["Email", "Leave Type", "Start", "End", "Employee Name"]
    path = write_csv(
        tmp_path / "r.csv",
        [header, ["a@example.com", "Annual", "2030-03-02", "2030-03-03", "Ana"],
         ["b@example.com", "Sick", "2030-03-04", "2030-03-05", "Bo"]],
    )  # fmt: skip
    open_and_wait(qtbot, window, path)
    model, proxy = window.model, window.proxy
    assert model is not None
    email = proxy.mapFromSource(model.index(0, model.field_column("email")))
    window.table.setCurrentIndex(email)
    QApplication.clipboard().setText("c@example.com\t2030-04-01\t2030-04-02\n")
    window.paste()  # Email, then Start date and End date: the columns right of Email on screen
    values = model.document.rows[0].check.values
    assert (values["email"], values["startDate"], values["endDate"]) == (
        "c@example.com",
        "2030-04-01",
        "2030-04-02",
    )
    selection = window.table.selectionModel()
    selection.clearSelection()
    for name in ("timeOffType", "startDate"):
        selection.select(proxy.mapFromSource(model.index(0, model.field_column(name))),
                         selection.SelectionFlag.Select)  # fmt: skip
    window.copy_selection()
    assert QApplication.clipboard().text() == "2030-04-01\tAnnual"  # as shown: Start, then type


def test_text_a_column_cuts_shows_whole_on_hover_and_in_the_detail_line(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    long_name = "Maria-Fernanda de los Santos Albuquerque y Castellanos"
    path = write_csv(
        tmp_path / "r.csv",
        [["Employee Name", "Email", "Start", "End"],
         [long_name, "maria@example.com", "2030-03-02", "2030-03-01"]],
    )  # fmt: skip
    open_and_wait(qtbot, window, path)
    model, proxy, table = window.model, window.proxy, window.table
    assert model is not None
    name = next(c for c in range(model.columnCount()) if model.describe_column(c)[0] == "roster")
    table.setColumnWidth(name, 60)
    index = proxy.mapFromSource(model.index(0, name))
    table.setCurrentIndex(index)
    table.scrollTo(index)
    QApplication.processEvents()
    where = table.visualRect(index).center()
    event = QHelpEvent(QEvent.Type.ToolTip, where, table.viewport().mapToGlobal(where))
    QApplication.sendEvent(table.viewport(), event)
    assert long_name in QToolTip.text()
    qtbot.waitUntil(lambda: long_name in window.detail.label.text())
    detail = window.detail.label.text()
    assert detail.startswith("Row 2: Needs fixing")
    assert "End date: The leave ends (2030-03-01) before it starts (2030-03-02)" in detail
    # A cell wide enough for its text is not cut, and repeats nothing on hover.
    delegate = table.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.rect = table.visualRect(index)
    assert delegate.is_cut(option, index, table)  # type: ignore[attr-defined]
    table.setColumnWidth(name, 900)
    option.rect = table.visualRect(index)
    assert not delegate.is_cut(option, index, table)  # type: ignore[attr-defined]


def test_the_counts_add_up_to_the_rows(qtbot: QtBot, window: MainWindow, rosters: Path) -> None:
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    text = window.counts.text()
    found = re.match(
        r"(\d+) rows: (\d+) ready, (\d+) ready with warnings, (\d+) need fixing"
        r"(?:, (\d+) skipped \(not for Calven\))?",
        text,
    )
    assert found is not None, text
    rows, ready, warned, fixing, skipped = (int(n or 0) for n in found.groups())
    # Row 12 (Pending) is neither ready nor to be fixed since issue 24: it is skipped.
    assert ready + warned + fixing + skipped == rows == 10 and skipped == 1
    window.table.selectAll()
    assert window.counts.text().endswith("· 10 selected")  # the selection is counted as it changes


def _texts(root: QWidget) -> list[str]:
    """Every text a person reads in a window: labels, buttons, menus, column titles, tooltips."""
    found = [w.text() for w in root.findChildren(QLabel)]
    found += [w.text() for w in root.findChildren(QAbstractButton)]
    if isinstance(root, MainWindow):
        for action in root.findChildren(type(root.menuBar().actions()[0])):
            found += [action.text(), action.toolTip(), action.statusTip()]
        model = root.model
        if model is not None:
            found += [
                str(model.headerData(c, Qt.Orientation.Horizontal, role) or "")
                for c in range(model.columnCount())
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            ]
    return found


def test_plain_words_no_uid_and_no_stray_ampersand(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from calven_desk.gui.dialogs.connection import ConnectionDialog
    from calven_desk.gui.dialogs.settings import SettingsDialog
    from calven_desk.store.settings import Settings

    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Employee Name", "Calven uid", "Start", "End"],
            ["Ana", "U-1", "2030-03-02", "2030-03-03"],
        ],
    )
    open_and_wait(qtbot, window, path)
    assert window.model is not None
    titles = [
        window.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(window.model.columnCount())
    ]
    assert "Calven user ID" in titles
    dialogs = [SettingsDialog(Settings(), window), ConnectionDialog(Settings(), window)]
    for root in [window, *dialogs]:
        for text in _texts(root):
            ours = re.sub(r"column '[^']*'", "", text)  # the file's own column names are HR's
            assert not re.search(r"\buid\b", ours, re.IGNORECASE), text
        for label in root.findChildren(QLabel):
            # An "&" a label shows as it is: one without a buddy to give the key to.
            if re.search(r"&(?!&)", label.text().replace("&&", "")) and label.buddy() is None:
                pytest.fail(f"{label.text()!r} shows its '&'")
    for dialog in dialogs:
        dialog.close()


def test_the_filter_bar_folds_the_rest_into_more_and_takes_one_more(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    filters = window.filters
    assert [b.text() for b in filters.buttons.buttons()] == list(BUTTONS)
    folded = [a.iconText() for a in filters.more_menu.actions() if a.isVisible()]
    assert folded == ["New", "Changed since sent", "Already in Calven", "Skipped"]
    path = write_csv(
        tmp_path / "r.csv",
        [["Email", "Start", "End"], ["a@example.com", "2030-03-02", "2030-03-03"]],
    )
    open_and_wait(qtbot, window, path)
    filters.actions["New"].trigger()  # Alt+7, or from More
    assert window.proxy.mode == "New" and filters.more.isChecked()
    assert filters.more.text() == "&More: New"
    filters.actions["All"].trigger()
    assert window.proxy.mode == "All" and not filters.more.isChecked()
    # Issue 24's filter came after Not in Calven (Alt+0): Alt+Shift+1, in More; one more filter
    # lands there too, with the next free shortcut.
    assert filters.actions["Skipped"].shortcut().toString() == "Alt+Shift+1"
    added = filters.add_filter("Set aside", "Set &aside", "Show the rows set aside")
    assert added in filters.more_menu.actions() and added.shortcut().toString() == "Alt+Shift+2"
