"""The whole flow once, quickly: sandbox, sample roster, submit everything ready."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.table_model import Role
from tests.gui.conftest import Answers


def test_try_sandbox_and_submit(qtbot: QtBot, window: MainWindow, answers: Answers) -> None:
    with qtbot.waitSignal(window.model_ready, timeout=20_000):
        window.try_sandbox()
    assert window.model is not None and window.model.rowCount() == 10
    with qtbot.waitSignal(window.run_finished, timeout=30_000):
        window.submit_all_ready()
    colours = {window.model.document.rows[i].check.row: window.model.index(i, 1).data(Role.COLOUR_KEY)
               for i in range(window.model.rowCount())}
    print(colours, answers.told)
