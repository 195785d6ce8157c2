"""The window with a team memory (issue 22): Send > Connection… sets it up and tests it; the rows
another computer sent are "Already in Calven", naming who sent them; with the database down the
window says so in the panel and when sending, sends nothing, and checking, editing and saving work."""

from __future__ import annotations

import getpass
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Sandbox
from calven_desk.gui.dialogs.connection import ConnectionDialog
from calven_desk.gui.main_window import MainWindow
from calven_desk.store.profiles import Profile, load_profiles, save_profile, use_for_session
from calven_desk.store.settings import Settings
from tests.conftest import MemoryKeyring, free_port
from tests.gui.conftest import Answers
from tests.gui.test_window import cell
from tests.gui.test_window_sync import open_compared, send_all_ready, words
from tests.sync.calendar import write_roster
from tests.sync.team import Computer
from tests.sync.test_sync_cli import MONTH_1, MONTH_2
from tests.team_db import TeamDb, team_db

__all__ = ["team_db"]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def connect(window: MainWindow, sandbox: Sandbox, memory: str) -> None:
    save_profile(Profile("team", DEMO_KEY_ID, sandbox.url, memory=memory), None)
    use_for_session("team", DEMO_SECRET)
    window.settings.last_profile = "team"


def test_connection_dialog_sets_up_and_tests_the_team_memory(
    qtbot: QtBot, memory_keyring: MemoryKeyring, sandbox: Sandbox, team_db: TeamDb
) -> None:
    dialog = ConnectionDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.name.setText("Head office")
    dialog.base_url.setText(sandbox.url)
    dialog.key_id.setText(DEMO_KEY_ID)
    dialog.secret.setText(DEMO_SECRET)
    dialog.memory.address.setText(team_db.url)
    dialog.memory.password.setText("wrong")
    qtbot.mouseClick(dialog.test_memory_button, Qt.MouseButton.LeftButton)
    assert dialog.verdict.text().startswith("✖ The team memory (PostgreSQL at 127.0.0.1:")
    assert "refused the sign-in" in dialog.verdict.text()
    dialog.memory.password.setText(team_db.password)
    qtbot.mouseClick(dialog.test_memory_button, Qt.MouseButton.LeftButton)
    assert dialog.verdict.text().startswith("✔ The team memory (PostgreSQL at 127.0.0.1:")
    assert team_db.password not in dialog.verdict.text()
    assert dialog.save()
    assert load_profiles()["Head office"].memory == team_db.url
    assert memory_keyring.store[("Calven Desk", "profile:Head office:memory")] == team_db.password
    # Shown again: the address, and a password stored but never shown.
    assert dialog.memory.address.text() == team_db.url and dialog.memory.password.text() == ""
    assert dialog.memory.password.placeholderText().startswith("Stored")
    qtbot.mouseClick(dialog.test_memory_button, Qt.MouseButton.LeftButton)  # the stored one
    assert dialog.verdict.text().startswith("✔ ")
    dialog.close()


def test_the_window_knows_what_another_computer_sent(
    qtbot: QtBot,
    window: MainWindow,
    answers: Answers,
    sandbox: Sandbox,
    team_db: TeamDb,
    tmp_path: Path,
) -> None:
    other = Computer(tmp_path / "hr-pc-2", team_db)
    month_1 = write_roster(tmp_path / "month-1.csv", MONTH_1, True)
    assert other.submit(month_1, sandbox.url)["summary"]["accepted"] == len(MONTH_1)

    connect(window, sandbox, team_db.url)
    use_for_session_memory(team_db)
    open_compared(qtbot, window, month_1)
    assert all(w.startswith("Already in Calven since") for w in words(window).values())
    assert window.model is not None
    tip = window.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.endswith(f"Sent by {getpass.getuser()} on {socket.gethostname()}.")

    # The window sends next month; the other computer then finds nothing to do.
    month_2 = write_roster(tmp_path / "month-2.csv", MONTH_2, True)
    open_compared(qtbot, window, month_2)
    send_all_ready(qtbot, window)
    found = other.diff(month_2, sandbox.url)
    assert {r["change"] for r in found["rows"]} == {"unchanged"}


def use_for_session_memory(team: TeamDb) -> None:
    from calven_desk.store.profiles import use_memory_password_for_session

    use_memory_password_for_session("team", team.password)


def test_the_database_down_is_said_and_everything_else_works(
    qtbot: QtBot, window: MainWindow, answers: Answers, sandbox: Sandbox, tmp_path: Path
) -> None:
    connect(window, sandbox, f"postgresql://calven_desk@127.0.0.1:{free_port()}/calven_memory")
    roster = write_roster(tmp_path / "month-1.csv", MONTH_1, True)
    open_compared(qtbot, window, roster)
    said = window.sync.summary.text()
    assert said.startswith("⚠ The team memory (PostgreSQL at 127.0.0.1:")
    assert "cannot be reached" in said and "editing the roster, and saving it, still work" in said
    assert set(words(window).values()) == {"Ready"}  # checked as ever, no Calven marks
    assert window.statusBar().currentMessage() == said[2:]

    window.submit_all_ready()
    qtbot.waitUntil(lambda: bool(answers.told), timeout=20_000)
    title, text = answers.told[-1]
    assert title == "Sending failed" and "cannot be reached" in text
    assert sandbox.calls == 0

    assert window.model is not None
    window.model.setData(cell(window, 2, "endDate"), "2031-04-04")  # type: ignore[arg-type]
    answers.save_path = str(tmp_path / "edited.csv")
    assert window.save_as() and not window.dirty
    assert "2031-04-04" in (tmp_path / "edited.csv").read_text(encoding="utf-8")
