"""The window with Calven's user list: the In Calven column, the filter, suggestions applied and undone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calven_desk.calven.row_status import NOT_IN_CALVEN, count_rows
from calven_desk.calven.sandbox import (
    ALL_PERMISSIONS,
    DEMO_KEY_ID,
    DEMO_SECRET,
    SUBMITTING,
    WAREHOUSE_KEY_ID,
    Sandbox,
)
from calven_desk.gui.dialogs.connection import ConnectionDialog
from calven_desk.gui.look.access_keys import plain
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.table.model import Role
from calven_desk.roster import Status
from calven_desk.roster.directory_check import DirectoryIndex
from calven_desk.store.profiles import Profile, save_profile, use_for_session
from tests.conftest import MemoryKeyring
from tests.gui.conftest import open_and_wait
from tests.roster.files import write_csv

USERS = [
    "ana.lima@example.com, Ana, Lima, active, U-ANA",
    "Ben.Okafor@example.com, Ben, Okafor",
    "Chen.Wei@example.com, Chen, Wei",
    "old.hand@example.com, Old, Hand, deactivated",
]


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "leave.csv",
        [
            ["Employee Name", "Email", "Calven uid", "Start", "End"],
            ["Ben Okafor", "ben.okafor@example.com", "", "2030-02-01", "2030-02-02"],
            ["Chen Wei", "chen.wei@example.com", "", "2030-02-01", "2030-02-02"],
            ["Ana Lima", "ana.lima@exampel.com", "", "2030-02-01", "2030-02-02"],
            ["Old Hand", "old.hand@example.com", "", "2030-02-01", "2030-02-02"],
            ["Ana Lima", "", "U-ANA", "2030-03-01", "2030-03-02"],
        ],
    )


def connect(window: MainWindow, sandbox: Sandbox) -> None:
    save_profile(Profile("test sandbox", DEMO_KEY_ID, sandbox.url), None)
    use_for_session("test sandbox", DEMO_SECRET)
    window.settings.last_profile = "test sandbox"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(users=USERS, role=ALL_PERMISSIONS) as running:
        yield running


def open_checked(qtbot: QtBot, window: MainWindow, roster: Path) -> None:
    with qtbot.waitSignal(window.people.checked, timeout=30_000):
        open_and_wait(qtbot, window, roster)


def in_calven(window: MainWindow) -> dict[int, str]:
    assert window.model is not None
    column = window.model.people_column()
    assert column is not None
    assert window.model.headerData(column, Qt.Orientation.Horizontal) == "In Calven"
    return {
        row.check.row: window.model.index(i, column).data()
        for i, row in enumerate(window.model.document.rows)
    }


def select(window: MainWindow, row_number: int) -> None:
    window.select_cell(row_number, "email")


def test_the_column_the_filter_and_a_suggestion_applied_and_undone(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, roster: Path
) -> None:
    connect(window, sandbox)
    open_checked(qtbot, window, roster)
    assert window.model is not None and window.document is not None
    assert in_calven(window) == {
        2: "Ben Okafor (Other capitals in Calven)",
        3: "Chen Wei (Other capitals in Calven)",
        4: "Not in Calven",
        5: "Old Hand (Not active in Calven)",
        6: "Ana Lima",
    }
    assert window.model.index(0, 1).data(Role.COLOUR_KEY) == "invalid"  # wrong capitals: not sent
    # The counts came with the list (made in its thread): the same as counting every row now.
    assert window.model.counts() == count_rows(window.document.rows)
    assert window.model.counts()["ready"] == 3  # two rows with other capitals are errors
    # In Calven came in its place: just before Result and Message, Sent at still last.
    column = window.model.people_column()
    assert column is not None
    titles = [
        window.model.headerData(c, Qt.Orientation.Horizontal) for c in range(column, column + 3)
    ]
    assert titles == ["In Calven", "Result", "Message"]
    last = window.model.columnCount() - 1
    assert window.model.headerData(last, Qt.Orientation.Horizontal) == "Sent at"

    window.set_filter(NOT_IN_CALVEN)
    shown = {window.proxy.index(i, 0).data() for i in range(window.proxy.rowCount())}
    assert shown == {2, 3, 4}

    window.set_filter("All")
    select(window, 2)
    assert window.people.suggestion_bar.isVisibleTo(window)
    assert plain(window.people.act_apply.text()) == "Use Ben.Okafor@example.com"
    window.people.act_apply.trigger()
    row = window.document.rows[0].check
    assert row.values["email"] == "Ben.Okafor@example.com"
    assert row.status is Status.VALID and in_calven(window)[2] == "Ben Okafor"
    assert window.model.index(0, 1).data(Role.COLOUR_KEY) == "ready"

    window.act_undo.trigger()
    row = window.document.rows[0].check
    assert row.values["email"] == "ben.okafor@example.com" and row.status is Status.INVALID
    assert in_calven(window)[2] == "Ben Okafor (Other capitals in Calven)"
    window.act_redo.trigger()
    assert window.document.rows[0].check.values["email"] == "Ben.Okafor@example.com"


def test_apply_to_all_rows_like_this_is_one_undo_step(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, roster: Path
) -> None:
    connect(window, sandbox)
    open_checked(qtbot, window, roster)
    assert window.document is not None
    select(window, 3)
    assert "all 2 rows like this" in window.people.act_apply_all.text()
    window.people.act_apply_all.trigger()
    emails = [r.check.values.get("email") for r in window.document.rows]
    assert emails[:3] == ["Ben.Okafor@example.com", "Chen.Wei@example.com", "ana.lima@exampel.com"]
    window.act_undo.trigger()
    emails = [r.check.values.get("email") for r in window.document.rows]
    assert emails[:2] == ["ben.okafor@example.com", "chen.wei@example.com"]
    # The near miss has its own kind of suggestion: applied on its own.
    select(window, 4)
    assert plain(window.people.act_apply.text()) == "Use ana.lima@example.com"
    window.people.act_apply.trigger()
    assert window.document.rows[2].check.directory == []


def test_a_key_without_the_role_leaves_the_window_as_it_was(
    qtbot: QtBot, window: MainWindow, roster: Path
) -> None:
    with Sandbox(users=USERS, role=SUBMITTING) as sandbox:
        connect(window, sandbox)
        open_and_wait(qtbot, window, roster)
        qtbot.waitUntil(
            lambda: "Data Warehouse" in window.statusBar().currentMessage(), timeout=30_000
        )
    assert window.model is not None and window.model.people_column() is None
    assert not window.people.filter_button.isVisible()
    assert all(not r.check.directory for r in window.model.document.rows)


def test_the_connection_dialog_keeps_a_directory_key_in_the_keyring(
    qtbot: QtBot, window: MainWindow, roster: Path, memory_keyring: MemoryKeyring
) -> None:
    with Sandbox(users=USERS, role=SUBMITTING) as sandbox:
        dialog = ConnectionDialog(window.settings)
        qtbot.addWidget(dialog)
        dialog.name.setText("work")
        dialog.base_url.setText(sandbox.url)
        dialog.key_id.setText(DEMO_KEY_ID)
        dialog.secret.setText(DEMO_SECRET)
        dialog.directory_key.key_id.setText(WAREHOUSE_KEY_ID)
        dialog.directory_key.secret.setText(DEMO_SECRET)
        assert dialog.save()
        assert memory_keyring.store == {
            ("Calven Desk", "profile:work"): DEMO_SECRET,
            ("Calven Desk", "profile:work:directory"): DEMO_SECRET,
        }
        assert dialog.directory_key.secret.text() == ""
        assert "Stored" in dialog.directory_key.secret.placeholderText()
        assert dialog.directory_key.key_id.text() == WAREHOUSE_KEY_ID
        # The sending key may not read the list; the second key may: the window gets its names.
        open_checked(qtbot, window, roster)
    assert window.model is not None and window.model.people_column() is not None
    assert in_calven(window)[6] == "Ana Lima"


def test_rows_that_only_moved_keep_their_result(
    qtbot: QtBot,
    window: MainWindow,
    sandbox: Sandbox,
    roster: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Deleting a row above others moves them but changes none: their results stay as they were,
    not worked out again on the window's thread (50,000 rows held it for seconds); an edit
    checks its own row again, and undo brings the deleted row back with its result."""
    connect(window, sandbox)
    open_checked(qtbot, window, roster)
    assert window.model is not None and window.document is not None
    checked: list[str] = []
    real_check = DirectoryIndex.check

    def counted(index: DirectoryIndex, email: str, uid: str, name: str = "") -> Any:
        checked.append(email or uid)
        return real_check(index, email, uid, name)

    monkeypatch.setattr(DirectoryIndex, "check", counted)
    window.table.selectRow(0)
    window.delete_rows()
    model = window.model
    assert model is not None
    # An edit after it: only the edited row is checked again, not the rows that moved up.
    uid_row = next(i for i, r in enumerate(model.document.rows) if r.check.values["uid"])
    model.setData(model.index(uid_row, model.field_column("startDate")), "2030-03-02")
    qtbot.waitUntil(lambda: not model.checking)
    assert checked == ["U-ANA"]
    assert model.counts() == count_rows(model.document.rows)
    assert in_calven(window) == {
        3: "Chen Wei (Other capitals in Calven)",
        4: "Not in Calven",
        5: "Old Hand (Not active in Calven)",
        6: "Ana Lima",
    }
    window.act_undo.trigger()  # the edit
    window.act_undo.trigger()  # the deletion
    assert in_calven(window)[2] == "Ben Okafor (Other capitals in Calven)"
    assert model.index(0, 1).data(Role.COLOUR_KEY) == "invalid"


def test_a_large_paste_is_checked_against_the_list_in_a_thread(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path
) -> None:
    """More changed rows than the window checks at once (a paste of 250 addresses): checked in
    a thread, then the column, the problems and the counts follow."""
    from PySide6.QtGui import QGuiApplication

    from calven_desk.gui.window import directory

    rows = [
        [f"Person {n}", f"person{n}@example.com", "", "2030-02-01", "2030-02-02"]
        for n in range(260)
    ]
    path = write_csv(
        tmp_path / "many.csv", [["Employee Name", "Email", "Calven uid", "Start", "End"], *rows]
    )
    connect(window, sandbox)
    open_checked(qtbot, window, path)
    model = window.model
    assert model is not None and set(in_calven(window).values()) == {"Not in Calven"}
    lines = "\n".join(["ana.lima@example.com"] * (directory.CHECK_AT_ONCE + 50))
    QGuiApplication.clipboard().setText(lines)
    window.table.setCurrentIndex(
        window.proxy.mapFromSource(model.index(0, model.field_column("email")))
    )
    with qtbot.waitSignal(window.people.caught_up, timeout=10_000):
        window.paste()
    qtbot.waitUntil(lambda: not model.checking)
    shown = in_calven(window)
    assert [shown[n] for n in range(2, 2 + 250)] == ["Ana Lima"] * 250
    assert shown[255] == "Not in Calven"
    assert model.counts() == count_rows(model.document.rows)
