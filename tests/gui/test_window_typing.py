"""What a person types in a cell survives the window's background updates arriving meanwhile.

The comparison with what Calven holds, the user list and a run's answers reach the table from
other threads at any moment and repaint every row. Each test opens a cell's editor, changes it,
lets a real comparison arrive (the sandbox on loopback, the journal on disk), and only then
commits: the cell must hold what was typed, not the value the editor was opened with.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDateEdit, QLineEdit
from pytestqt.qtbot import QtBot

from calven_desk.calven.sandbox import Sandbox
from calven_desk.gui.main_window import MainWindow
from tests.gui.conftest import open_and_wait
from tests.gui.test_window import cell, connect, statuses


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def edit_cell(qtbot: QtBot, window: MainWindow, row: int, name: str) -> object:
    """Go to the cell and press F2, as a person does; the editor that opened."""
    window.activateWindow()
    window.table.setFocus()
    window.table.setCurrentIndex(window.proxy.mapFromSource(cell(window, row, name)))  # type: ignore[arg-type]
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    return QApplication.focusWidget()


def a_comparison_arrives(qtbot: QtBot, window: MainWindow) -> None:
    """What happens 0.4 s after any edit, and when a roster opens or a run ends."""
    with qtbot.waitSignal(window.sync.compared, timeout=20_000):
        window.sync.refresh()


def test_typing_survives_a_comparison_arriving_before_enter(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, rosters: Path
) -> None:
    connect(window, sandbox)
    with qtbot.waitSignal(window.sync.compared, timeout=20_000):
        open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    assert statuses(window)[7] == "invalid"
    editor = edit_cell(qtbot, window, 7, "email")
    assert isinstance(editor, QLineEdit), "F2 should open the cell's editor"
    editor.selectAll()
    qtbot.keyClicks(editor, "dara.quinn@example.com")
    a_comparison_arrives(qtbot, window)
    assert editor.text() == "dara.quinn@example.com"  # still what was typed, not the old value
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: statuses(window)[7] == "ready")
    assert cell(window, 7, "email").data() == "dara.quinn@example.com"  # type: ignore[attr-defined]


def test_a_picked_date_survives_a_comparison_arriving_before_enter(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, rosters: Path
) -> None:
    connect(window, sandbox)
    with qtbot.waitSignal(window.sync.compared, timeout=20_000):
        open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    before = cell(window, 4, "endDate").data()  # type: ignore[attr-defined]
    editor = edit_cell(qtbot, window, 4, "endDate")
    assert isinstance(editor, QDateEdit), "F2 should open the date editor"
    editor.setDate(QDate(2031, 3, 9))
    a_comparison_arrives(qtbot, window)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell(window, 4, "endDate").data() == "2031-03-09")  # type: ignore[attr-defined]
    assert before != "2031-03-09"


def test_an_untouched_editor_follows_the_cell(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, rosters: Path
) -> None:
    """An editor opened but not yet changed shows the cell's value as it is now (an undo of
    another edit, say), so Enter never puts an outdated value back."""
    connect(window, sandbox)
    with qtbot.waitSignal(window.sync.compared, timeout=20_000):
        open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    editor = edit_cell(qtbot, window, 7, "email")
    assert isinstance(editor, QLineEdit)
    assert window.model is not None and window.document is not None
    window.model.set_cell(window.document.index_of(7), "email", "dara@example.com")  # type: ignore[arg-type]
    assert editor.text() == "dara@example.com"
