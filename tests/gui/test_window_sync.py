"""Keeping Calven in step in the window (issue 11, section 5), offscreen against the sandbox's calendar."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Sandbox
from calven_desk.gui.main_window import MainWindow
from calven_desk.store.profiles import Profile, save_profile, use_for_session
from tests.gui.conftest import Answers, open_and_wait
from tests.sync.calendar import roster_calendar, write_roster
from tests.sync.test_sync_cli import ANA, EVA, MONTH_1, MONTH_2


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def connect(window: MainWindow, sandbox: Sandbox) -> None:
    save_profile(Profile("test sandbox", DEMO_KEY_ID, sandbox.url), None)
    use_for_session("test sandbox", DEMO_SECRET)
    window.settings.last_profile = "test sandbox"


def words(window: MainWindow) -> dict[int, str]:
    assert window.model is not None and window.document is not None
    return {
        window.document.rows[i].check.row: window.model.index(i, 1).data()
        for i in range(window.model.rowCount())
    }


def open_compared(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(window.sync.compared, timeout=20_000):
        open_and_wait(qtbot, window, path)


def send_all_ready(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.sync.compared, timeout=30_000):
        with qtbot.waitSignal(window.run_finished, timeout=30_000):
            window.submit_all_ready()


def test_window_sends_only_what_changed_and_cancels_what_left_the_roster(
    qtbot: QtBot, window: MainWindow, answers: Answers, sandbox: Sandbox, tmp_path: Path
) -> None:
    connect(window, sandbox)
    open_compared(qtbot, window, write_roster(tmp_path / "month-1.csv", MONTH_1, True))
    assert set(words(window).values()) == {"Ready (new)"}
    send_all_ready(qtbot, window)
    assert sandbox.away(ANA) == roster_calendar(MONTH_1)[ANA]

    open_compared(qtbot, window, write_roster(tmp_path / "month-2.csv", MONTH_2, True))
    assert words(window) == {
        2: "Ready (changed since sent)",
        3: "Ready (changed since sent)",
        4: "Ready (new)",
        5: "Ready (changed since sent)",
        6: f"Already in Calven since {date.today():%Y-%m-%d}",
        7: "Ready (new)",
    }
    window.set_filter("Changed since sent")
    assert window.proxy.rowCount() == 3
    window.set_filter("Already in Calven")
    assert window.proxy.rowCount() == 1
    window.set_filter("All")
    panel = window.sync
    assert panel.list.count() == 1 and "2031-04-01 to 2031-04-03" in panel.list.texts()[0]
    assert ANA in panel.list.texts()[0] and panel.cancel_button.isEnabled()

    arrived = len(sandbox.arrivals)
    send_all_ready(qtbot, window)
    assert "1 cancellation first free the days" in answers.asked[-1][1]
    assert "R5" not in {a.event["eventId"] for a in sandbox.arrivals[arrived:]}

    with qtbot.waitSignal(panel.compared, timeout=30_000):
        with qtbot.waitSignal(window.run_finished, timeout=30_000):
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    title, question = answers.asked[-1]
    assert title == "Cancel in Calven?" and "1 leave event of 1 person, 3 days" in question
    texts = panel.list.texts()
    assert texts == [f"✔ Cancelled in Calven: {ANA} · 2031-04-01 to 2031-04-03"]
    assert not panel.cancel_button.isEnabled()
    expected = roster_calendar(MONTH_2)
    expected[EVA] = roster_calendar(MONTH_1)[EVA]
    assert {p: sandbox.away(p) for p in expected} == expected

    # Nothing left to send; a chosen row already in Calven can still be sent on purpose.
    calls = sandbox.calls
    window.submit_all_ready()
    assert answers.told[-1][0] == "Nothing to send" and sandbox.calls == calls
    assert window.document is not None
    window.table.selectRow(window.document.index_of(6) or 0)
    with qtbot.waitSignal(window.run_finished, timeout=30_000):
        window.submit_selected()
    assert sandbox.calls == calls + 1 and sandbox.arrivals[-1].event["eventId"] == "R5"


def test_without_a_connection_the_panel_says_how_to_get_one(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path
) -> None:
    open_compared(qtbot, window, write_roster(tmp_path / "r.csv", MONTH_1, True))
    assert "Send > Connection" in window.sync.summary.text()
    assert set(words(window).values()) == {"Ready"}
    assert not window.sync.cancel_button.isEnabled()
    # Choosing a connection (Send > Connection…) compares again.
    connect(window, sandbox)
    with qtbot.waitSignal(window.sync.compared, timeout=20_000):
        window.sending.connection_changed.emit()
    assert set(words(window).values()) == {"Ready (new)"}


def test_an_edit_is_compared_again(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path
) -> None:
    connect(window, sandbox)
    roster = write_roster(tmp_path / "month-1.csv", MONTH_1, True)
    open_compared(qtbot, window, roster)
    send_all_ready(qtbot, window)
    open_compared(qtbot, window, roster)
    assert set(words(window).values()) == {f"Already in Calven since {date.today():%Y-%m-%d}"}
    assert window.model is not None and window.document is not None
    index = window.document.index_of(2)
    assert index is not None
    with qtbot.waitSignal(window.sync.compared, timeout=20_000):
        window.model.setData(
            window.model.index(index, window.model.field_column("endDate")), "2031-03-20"
        )
    assert words(window)[2] == "Ready (changed since sent)"
