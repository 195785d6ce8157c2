"""The window by keyboard and by screen reader (issue 21): Tab leaves the table, every menu item has
its own access letter and every command a shortcut (listed in Help > Keyboard shortcuts), the focus
ring is 2 px of the highlight colour, every control that takes focus has a name, the table tells each
cell's status, and a run's start, progress and end are announced."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from calven_desk.gui.dialogs.about import about_box
from calven_desk.gui.dialogs.connection import ConnectionDialog
from calven_desk.gui.dialogs.date_order import DateOrderDialog
from calven_desk.gui.dialogs.legend import LegendDialog
from calven_desk.gui.dialogs.mapping import MappingDialog
from calven_desk.gui.dialogs.settings import SettingsDialog
from calven_desk.gui.dialogs.shortcuts import ShortcutsDialog, menu_entries
from calven_desk.gui.look.access_keys import access_letter, plain, with_access_keys
from calven_desk.gui.look.focus import RING
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.window import announce
from calven_desk.gui.window.questions import (
    information_box,
    question_box,
    replace_box,
    sheet_dialog,
    unsaved_box,
)
from calven_desk.roster import load_roster, map_columns
from calven_desk.store.settings import Settings
from tests.gui.conftest import open_and_wait
from tests.roster.files import write_csv

#: Menu entries that are choices rather than commands: reached by their access letters.
CHOICES = ("File › Open recent", "View › Theme")


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "leave.csv",
        [
            ["Employee Name", "Email", "Start", "End"],
            ["Ana Lima", "ana.lima@example.com", "2030-03-02", "2030-03-03"],
            ["Ben Okafor", "not-an-email", "2030-03-02", "2030-03-03"],
        ],
    )


def test_tab_leaves_the_table_and_shift_tab_comes_back(
    qtbot: QtBot, window: MainWindow, roster: Path
) -> None:
    open_and_wait(qtbot, window, roster)
    window.activateWindow()
    table = window.table
    table.setFocus()
    table.setCurrentIndex(window.proxy.index(0, 1))
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Right)  # arrows move between cells
    assert table.currentIndex().column() != 1 and table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    left = QApplication.focusWidget()
    assert left is not None and left is not table and not table.isAncestorOf(left)
    qtbot.keyClick(left, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is not table


def test_ctrl_f_goes_to_search(qtbot: QtBot, window: MainWindow, roster: Path) -> None:
    open_and_wait(qtbot, window, roster)
    window.search.setText("ana")
    window.table.setFocus()
    window.editing.act_search.trigger()
    assert window.search.hasFocus() and window.search.selectedText() == "ana"
    assert window.editing.act_search.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)


def _letters(texts: list[str]) -> list[str | None]:
    return [access_letter(t) for t in texts]


def test_each_menu_and_each_item_has_its_own_access_letter(
    qtbot: QtBot, window: MainWindow, roster: Path
) -> None:
    open_and_wait(qtbot, window, roster)
    bar = window.menuBar()
    tops = [a.text() for a in bar.actions() if a.isVisible()]
    letters = _letters(tops)
    assert None not in letters and len(set(letters)) == len(letters), tops
    assert [plain(t) for t in tops] == ["File", "Edit", "View", "Send", "People", "Help"]
    menus = [a.menu() for a in bar.actions()]
    while menus:
        menu = menus.pop()
        assert isinstance(menu, QMenu)
        items = [a for a in menu.actions() if not a.isSeparator() and a.isVisible()]
        found = _letters([a.text() for a in items])
        assert None not in found, (menu.title(), [a.text() for a in items])
        assert len(set(found)) == len(found), (menu.title(), [a.text() for a in items])
        menus += [a.menu() for a in items if isinstance(a.menu(), QMenu)]
    # The window's own Alt keys (Search, More, the buttons) clash with no menu nor each other.
    own = [
        access_letter(w.text())
        for w in window.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLabel)
        and access_letter(w.text())
        and (not isinstance(w, QLabel) or w.buddy() is not None)
        and not (isinstance(w, QAbstractButton) and w.parentWidget() is bar)
    ]
    everything = [*letters, *own]
    assert len(set(everything)) == len(everything), Counter(everything).most_common(3)


@pytest.mark.parametrize("which", ["settings", "connection", "mapping", "date order"])
def test_each_dialog_gives_each_of_its_controls_its_own_letter(
    qtbot: QtBot, roster: Path, which: str
) -> None:
    dialog = made_dialog(which, roster)
    qtbot.addWidget(dialog)
    texts = [w.text() for w in dialog.findChildren(QLabel) if w.buddy() is not None]
    texts += [w.text() for w in dialog.findChildren(QAbstractButton) if w.isVisibleTo(dialog)]
    letters = [letter for letter in _letters(texts) if letter]
    assert len(set(letters)) == len(letters), Counter(letters).most_common(3)
    labels = [w for w in dialog.findChildren(QLabel) if w.buddy() is not None]
    assert all(access_letter(w.text()) for w in labels), [w.text() for w in labels]


def test_access_letters_go_to_word_starts_first() -> None:
    assert with_access_keys(["All", "Accepted", "Changed since sent", "Fish & Chips"]) == [
        "&All",
        "Acc&epted",  # A and then c were taken by items that start with them
        "&Changed since sent",
        "&Fish && Chips",
    ]


def test_every_command_has_a_shortcut_in_its_menu_and_in_help(
    qtbot: QtBot, window: MainWindow, roster: Path
) -> None:
    open_and_wait(qtbot, window, roster)
    entries = menu_entries(window.menuBar())
    commands = [e for e in entries if not e.where.startswith(CHOICES)]
    assert len(commands) > 40
    missing = [f"{e.where} › {e.text}" for e in commands if not e.shortcut]
    assert missing == []
    # No two commands share a key (a shared one works for neither: Qt calls it ambiguous).
    shortcuts = Counter(e.shortcut for e in commands)
    assert [key for key, count in shortcuts.items() if count > 1] == []
    # The choices (recent files, themes) are reached by Alt and their letters.
    assert all(e.path for e in entries if e.where.startswith(CHOICES))
    dialog = ShortcutsDialog(window.menuBar(), window)
    qtbot.addWidget(dialog)
    listed = dialog.entries()
    for entry in entries:
        assert (entry.where, entry.text, entry.keys) in listed
    assert any(row[0] == "Table" and "Tab" in row[2] for row in listed)
    assert window.help.act_keys.shortcut().toString() == "Ctrl+F1"


def test_the_focus_ring_is_two_pixels_of_the_highlight_colour(
    qtbot: QtBot, window: MainWindow, roster: Path
) -> None:
    open_and_wait(qtbot, window, roster)
    window.activateWindow()
    button = window.filters.buttons.buttons()[1]  # Problems: a faint dotted outline before
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    QApplication.processEvents()
    highlight = window.palette().color(QPalette.ColorRole.Highlight)
    image = window.grab().toImage()
    top_left = button.mapTo(window, button.rect().topLeft())
    middle = top_left.x() + button.width() // 2
    above = top_left.y() - 3  # the ring sits 3 px outside the control
    ring = [QColor(image.pixel(middle, above + dy)) for dy in range(RING)]
    assert all(_near(c, highlight) for c in ring), [c.name() for c in ring]
    assert not _near(QColor(image.pixel(middle, above + RING)), highlight)  # 2 px, not more
    button.clearFocus()


def _near(one: QColor, other: QColor) -> bool:
    return max(abs(one.red() - other.red()), abs(one.green() - other.green()),
               abs(one.blue() - other.blue())) <= 24  # fmt: skip


def made_dialog(which: str, roster: Path, parent: QWidget | None = None) -> QDialog:
    if which == "settings":
        return SettingsDialog(Settings(), parent)
    if which == "connection":
        return ConnectionDialog(Settings(), parent)
    if which == "date order":
        return DateOrderDialog(roster.name, [], None, parent)
    table = load_roster(roster).table
    return MappingDialog(table, map_columns(table.headers), parent)


def _walk(interface: QAccessibleInterface, depth: int = 0) -> Iterator[QAccessibleInterface]:
    yield interface
    if depth > 30:
        return
    for number in range(interface.childCount()):
        child = interface.child(number)
        if child is not None and child.isValid():
            yield from _walk(child, depth + 1)


def unnamed(root: QWidget) -> list[str]:
    """Controls that take focus and that a screen reader would call "unnamed"."""
    found = []
    interface = QAccessible.queryAccessibleInterface(root)
    assert interface is not None
    for each in _walk(interface):
        state = each.state()
        if not state.focusable or state.invisible:
            continue
        if each.role() == QAccessible.Role.Cell:
            continue  # a table's cell is named by its text (which may be empty) and described below
        if not each.text(QAccessible.Text.Name).strip():
            found.append(f"{each.role()} {each.object()}")
    return found


def test_every_control_that_takes_focus_has_a_name(
    qtbot: QtBot, window: MainWindow, roster: Path
) -> None:
    open_and_wait(qtbot, window, roster)
    assert unnamed(window) == []
    window.timeline.show_timeline()
    assert unnamed(window) == []
    table = load_roster(roster).table
    dialogs: list[QWidget] = [
        made_dialog("settings", roster, window),
        made_dialog("connection", roster, window),
        MappingDialog(table, map_columns(table.headers), window),
        LegendDialog(window),
        ShortcutsDialog(window.menuBar(), window),
        about_box(window),
        question_box(window, "Send to Calven?", "Send 8 rows?", "Address: http://x"),
        information_box(window, "Nothing to send", "Every row is in Calven."),
        unsaved_box(window, "leave.csv"),
        replace_box(window, "leave.csv"),
        made_dialog("date order", roster, window),
        sheet_dialog(window, ["Leave", "Spring"]),
    ]
    for dialog in dialogs:
        dialog.show()
        QApplication.processEvents()
        assert unnamed(dialog) == [], dialog.windowTitle()
        for label in dialog.findChildren(QLabel):  # and none shows a stray "&"
            shown = label.text().replace("&&", "")
            assert "&" not in shown or label.buddy() is not None, label.text()
        dialog.close()


def test_the_table_tells_each_cells_text_and_status(
    qtbot: QtBot, window: MainWindow, roster: Path
) -> None:
    open_and_wait(qtbot, window, roster)
    table = QAccessible.queryAccessibleInterface(window.table)
    assert table is not None and table.text(QAccessible.Text.Name) == "Roster"
    cells = {}
    for child in _walk(table):
        cell = child.tableCellInterface()
        if child.role() == QAccessible.Role.Cell and cell is not None:
            cells[(cell.rowIndex(), cell.columnIndex())] = (
                child.text(QAccessible.Text.Name),
                child.text(QAccessible.Text.Description),
            )
    model = window.model
    assert model is not None
    email = model.field_column("email")
    bad = next(r for r in range(2) if model.index(r, 1).data() == "Needs fixing")
    name, description = cells[(bad, email)]
    assert name == "not-an-email"
    assert description.startswith("Needs fixing") and "email address" in description
    good = 1 - bad
    assert cells[(good, email)] == ("ana.lima@example.com", model.index(good, 1).data())
    assert all(d for _, d in cells.values())  # every cell says its row's status


def test_a_runs_start_progress_and_end_are_announced(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(announce, "PROGRESS_EVERY_S", 0.0)
    announcer = window.jobs.announcer
    assert announcer is not None
    heard: list[str] = []
    announcer.announced.connect(heard.append)
    with qtbot.waitSignal(window.model_ready, timeout=20_000):
        window.try_sandbox()
    assert heard and heard[-1].startswith("sample-roster.xlsx opened. 10 rows:")
    with qtbot.waitSignal(window.run_finished, timeout=60_000):
        window.submit_all_ready()
    assert re.fullmatch(r"Sending \d+ rows to Calven\.", heard[-3]) or any(
        re.fullmatch(r"Sending \d+ rows to Calven\.", h) for h in heard
    )
    assert any(re.fullmatch(r"\d+ of \d+ rows answered\.", h) for h in heard), heard
    assert heard[-1].startswith("Sending finished: 6 accepted, 2 rejected")
    assert window.statusBar().accessibleDescription() == heard[-1]
