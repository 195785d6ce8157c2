"""The side panels' list model (gui/window/text_list.py) and the Problems panel built on it, in a real
window offscreen: content replaced in one reset, its roles, and where choosing a line leads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.window.problems import PROBLEMS_SHOWN
from calven_desk.gui.window.text_list import Entry, TextListModel, TextListView
from tests.gui.conftest import open_and_wait
from tests.roster.files import write_csv


def test_replacing_the_lines_is_one_reset_and_the_roles_answer(qtbot: QtBot) -> None:
    view = TextListView("Some lines")
    qtbot.addWidget(view)
    model = view.model()
    assert isinstance(model, TextListModel)
    resets: list[bool] = []
    inserted: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda *_: inserted.append(True))

    view.replace([Entry("first", "more about the first", (7, "email")), Entry("second")])
    assert (resets, inserted) == ([True], [])
    assert view.count() == model.rowCount() == 2
    assert view.texts() == ["first", "second"]
    first, second = model.index(0, 0), model.index(1, 0)
    assert first.data() == "first" and second.data(Qt.ItemDataRole.DisplayRole) == "second"
    assert model.entry(0) == Entry("first", "more about the first", (7, "email"))
    assert model.entry(1) == Entry("second")
    assert first.data(Qt.ItemDataRole.DecorationRole) is None
    assert model.data(model.index(5, 0)) is None  # no such line
    assert model.rowCount(first) == 0  # a list: no line has lines under it
    assert (
        first.flags() & Qt.ItemFlag.ItemIsSelectable and first.flags() & Qt.ItemFlag.ItemIsEnabled
    )
    view.show()
    view.setCurrentIndex(first)
    qtbot.keyClick(view, Qt.Key.Key_F2)  # the lines are read, not edited
    qtbot.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(first).center()
    )
    assert view.state() != view.State.EditingState and view.texts() == ["first", "second"]
    # Hovering shows a line's whole message.
    centre = view.visualRect(first).center()
    QApplication.sendEvent(
        view.viewport(),
        QHelpEvent(QEvent.Type.ToolTip, centre, view.viewport().mapToGlobal(centre)),
    )
    assert QToolTip.text() == "more about the first"

    view.replace(Entry(f"line {n}") for n in range(300))
    assert len(resets) == 2 and inserted == []
    assert view.count() == 300 and view.texts()[299] == "line 299"
    view.replace([])
    assert view.count() == 0 and view.texts() == [] and model.entry(0) is None
    assert view.accessibleName() == "Some lines"


def test_a_click_or_enter_says_which_line_was_chosen(qtbot: QtBot) -> None:
    view = TextListView("Some lines")
    qtbot.addWidget(view)
    view.replace([Entry("first", target=1), Entry("second", target=2), Entry("third", target=3)])
    view.show()
    qtbot.waitExposed(view)
    chosen: list[Entry] = []
    view.chosen.connect(chosen.append)

    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualRect(view.model().index(1, 0)).center(),
    )
    assert chosen and {e.target for e in chosen} == {2}  # a click (and, by platform, activation)
    chosen.clear()
    view.setCurrentIndex(view.model().index(2, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert [e.target for e in chosen] == [3]
    view._choose(QModelIndex())  # nothing under the pointer: nothing chosen
    assert [e.target for e in chosen] == [3]


def many_problems(path: Path, rows: int) -> Path:
    """A roster whose every row has a malformed email: one problem per row at least."""
    body = [[f"person{n}", "2031-03-02", "2031-03-03"] for n in range(rows)]
    return write_csv(path, [["Email", "Start", "End"], *body])


def current_cell(window: MainWindow) -> tuple[int, int]:
    assert window.document is not None
    index = window.proxy.mapToSource(window.table.currentIndex())
    return window.document.rows[index.row()].check.row, index.column()


def test_the_problems_panel_lists_the_first_problems_and_leads_to_them(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, many_problems(tmp_path / "many.csv", PROBLEMS_SHOWN + 40))
    panel, view = window.problems_panel, window.problems
    qtbot.waitUntil(lambda: panel.count() > 0)
    assert window.model is not None
    total = window.model.counts()["problem items"]
    texts = panel.texts()
    shown = len(texts) - 1
    assert PROBLEMS_SHOWN <= shown < total
    assert texts[-1] == (
        f"… and {total - shown:,} more. Choose the Problems filter (Alt+2) to see every row."
    )
    assert texts[0].startswith("✖ Row 2 · Email: ")
    assert view.accessibleName().startswith("Problems")
    first = view.lines.entry(0)
    assert first is not None and first.tooltip is not None and first.tooltip in texts[0]
    assert first.target == (2, "email")

    # Enter on a problem goes to its cell, even when the current filter hides that row.
    window.set_filter("Ready")
    view.setFocus()
    row_line = next(i for i, t in enumerate(texts) if t.startswith("✖ Row 9 · Email"))
    view.setCurrentIndex(view.model().index(row_line, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert current_cell(window) == (9, window.model.field_column("email"))
    assert window.table.hasFocus()

    # A click does the same.
    window.set_filter("Ready")
    line = view.model().index(1, 0)
    view.scrollTo(line)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(line).center())
    assert current_cell(window) == (first_row(texts[1]), window.model.field_column("email"))

    # The last line leads to the Problems filter, where every row with problems is.
    more = view.model().index(shown, 0)
    view.scrollTo(more)
    view.setCurrentIndex(more)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    checked = [b.text() for b in window.filters.buttons.buttons() if b.isChecked()]
    assert checked == ["Problems"]
    assert window.proxy.rowCount() == window.model.counts()["problems"] == PROBLEMS_SHOWN + 40


def first_row(text: str) -> int:
    """The sheet row a problem's line names ("✖ Row 3 · Email: ...")."""
    return int(text.split(" · ")[0].split()[-1])


def test_the_panel_follows_fixes_and_lists_everything_when_there_is_room(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, many_problems(tmp_path / "few.csv", 3))
    qtbot.waitUntil(lambda: window.problems.count() == 3)
    assert not any(t.startswith("…") for t in window.problems.texts())
    assert window.model is not None
    source = window.model.index(0, window.model.field_column("email"))
    window.model.setData(source, "ana.lima@example.com")
    qtbot.waitUntil(lambda: window.problems.count() == 2)
    assert [first_row(t) for t in window.problems.texts()] == [3, 4]


def test_the_panel_waits_for_the_cross_row_pass_then_lists_once(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """On a roster large enough for the pass to run in a worker, a rebuild asked meanwhile lists
    nothing stale: it waits for the pass and lists the problems (and counts) it brings."""
    body = [[f"person{n}@example.com", "2031-03-02", "2031-03-03"] for n in range(2100)]
    body[4][0], body[9][0] = "not-an-address", "nor-this-one"
    open_and_wait(
        qtbot, window, write_csv(tmp_path / "big.csv", [["Email", "Start", "End"], *body])
    )
    model, panel = window.model, window.problems_panel
    assert model is not None
    qtbot.waitUntil(lambda: not model.checking and panel.count() == 2)
    before = panel.texts()
    assert [first_row(t) for t in before] == [6, 11]

    model.setData(model.index(4, model.field_column("email")), "ana.lima@example.com")
    assert model.checking  # the pass is owed, and runs in a worker at this size
    panel.rebuild()
    assert panel.texts() == before and panel.timer.isActive()
    qtbot.waitUntil(lambda: not model.checking and not panel.timer.isActive(), timeout=20_000)
    assert [first_row(t) for t in panel.texts()] == [11]
