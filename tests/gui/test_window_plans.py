"""One decision of what to send (issue 18): the window's Submit all ready, Submit selected and
"Cancel these in Calven…" send exactly what `calven-desk submit` sends from the same roster and the
same memory; an edit counts at once; old days Calven kept are shown and cancelled; a second sender
is told who is sending."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from calven_desk.calven.sandbox import Faults, Sandbox
from calven_desk.gui.main_window import MainWindow
from calven_desk.store.paths import data_dir
from calven_desk.store.settings import Settings, save_settings
from tests.cli.run import calven_desk
from tests.gui.conftest import Answers, open_and_wait
from tests.gui.test_window_sync import connect, open_compared, send_all_ready, words
from tests.sync.calendar import Row, days, write_roster
from tests.sync.test_sync_cli import ENV, MONTH_1, MONTH_2

ANNA = "anna@example.com"


def journal_copy(to: Path) -> None:
    """What the memory holds now, copied whole (SQLite's own backup: a live WAL file too)."""
    source = sqlite3.connect(data_dir() / "journal.sqlite3")
    target = sqlite3.connect(to)
    source.backup(target)
    target.close()
    source.close()


def journal_restore(saved: Path) -> None:
    source = sqlite3.connect(saved)
    target = sqlite3.connect(data_dir() / "journal.sqlite3")
    source.backup(target)
    target.close()
    source.close()


def sent_since(sandbox: Sandbox, start: int) -> list[str]:
    """The events that arrived since `start`, exactly, in an order of their own (batches run in
    parallel, so arrival order is not the plan's)."""
    import json

    return sorted(json.dumps(a.event, sort_keys=True) for a in sandbox.arrivals[start:])


def cli_submit(roster: Path, sandbox: Sandbox, *more: str) -> None:
    result = calven_desk("submit", roster, "--base-url", sandbox.url, *more, env=ENV)
    assert result.returncode in (0, 1), result.stderr


def test_the_window_and_the_command_line_send_exactly_the_same(
    qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    month_1 = write_roster(tmp_path / "month-1.csv", MONTH_1, True)
    month_2 = write_roster(tmp_path / "month-2.csv", MONTH_2, True)
    with Sandbox() as sandbox:
        connect(window, sandbox)
        cli_submit(month_1, sandbox)
        before = tmp_path / "before.sqlite3"
        journal_copy(before)

        # Submit all ready is `submit FILE`.
        open_compared(qtbot, window, month_2)
        start = len(sandbox.arrivals)
        send_all_ready(qtbot, window)
        by_window = sent_since(sandbox, start)
        assert any('"cancelled"' in e for e in by_window)  # R1 moved: its old days freed first
        journal_restore(before)
        start = len(sandbox.arrivals)
        cli_submit(month_2, sandbox)
        assert sent_since(sandbox, start) == by_window

        # Submit selected is `submit FILE --rows ... --resend-all` (sent even if unchanged).
        journal_restore(before)
        open_compared(qtbot, window, month_2)
        assert window.document is not None
        window.table.clearSelection()
        for number in (2, 6):
            index = window.document.index_of(number)
            assert index is not None
            window.table.selectionModel().select(
                window.proxy.index(index, 0),
                window.table.selectionModel().SelectionFlag.Select
                | window.table.selectionModel().SelectionFlag.Rows,
            )
        assert sorted(window.selected_rows()) == [2, 6]
        start = len(sandbox.arrivals)
        with qtbot.waitSignal(window.run_finished, timeout=30_000):
            window.submit_selected()
        by_window = sent_since(sandbox, start)
        assert len(by_window) == 3  # row 6 (unchanged) again, R1's old days freed, R1 again
        journal_restore(before)
        start = len(sandbox.arrivals)
        cli_submit(month_2, sandbox, "--rows", "2,6", "--resend-all")
        assert sent_since(sandbox, start) == by_window

        # "Cancel these in Calven…" sends what `submit --cancel-removed` adds to a roster Calven
        # already holds as it is.
        journal_restore(before)
        cli_submit(month_2, sandbox)
        after = tmp_path / "after.sqlite3"
        journal_copy(after)
        open_compared(qtbot, window, month_2)
        start = len(sandbox.arrivals)
        with qtbot.waitSignal(window.sync.finished, timeout=30_000):
            qtbot.mouseClick(window.sync.cancel_button, Qt.MouseButton.LeftButton)
        by_window = sent_since(sandbox, start)
        assert by_window and all('"cancelled"' in e for e in by_window)
        journal_restore(after)
        start = len(sandbox.arrivals)
        cli_submit(month_2, sandbox, "--cancel-removed")
        assert sent_since(sandbox, start) == by_window


def test_an_edit_counts_in_a_submit_made_at_once(
    qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    """No waiting for the comparison: the edited row is sent, as edited, and nothing else."""
    roster = write_roster(tmp_path / "month-1.csv", MONTH_1, True)
    with Sandbox() as sandbox:
        connect(window, sandbox)
        open_compared(qtbot, window, roster)
        send_all_ready(qtbot, window)
        open_compared(qtbot, window, roster)
        assert window.model is not None and window.document is not None
        index = window.document.index_of(2)
        assert index is not None
        start = len(sandbox.arrivals)
        window.model.setData(
            window.model.index(index, window.model.field_column("endDate")), "2031-03-20"
        )
        with qtbot.waitSignal(window.run_finished, timeout=30_000):
            window.submit_all_ready()
        sent = [a.event for a in sandbox.arrivals[start:]]
        assert [(e["eventId"], e["eventType"], e["endDate"]) for e in sent] == [
            ("R1", "scheduled", "2031-03-20")
        ]


def test_old_days_calven_kept_are_shown_and_cancelled_by_submit_all_ready(
    qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    april: list[Row] = [(ANNA, "2031-04-06", "2031-04-10", "Annual", "Approved", "R1")]
    moved: list[Row] = [(ANNA, "2031-04-20", "2031-04-24", "Annual", "Approved", "R1")]
    with Sandbox() as sandbox:
        connect(window, sandbox)
        cli_submit(write_roster(tmp_path / "m1.csv", april, True), sandbox)
        sandbox.set_faults(Faults(refuse_cancellations_for=frozenset({ANNA})))
        roster = write_roster(tmp_path / "m2.csv", moved, True)
        cli_submit(roster, sandbox)
        sandbox.set_faults(Faults())

        open_compared(qtbot, window, roster)
        assert words(window) == {2: "Ready (old days still in Calven)"}
        lines = window.sync.list.texts()
        assert lines == [
            f"{ANNA} · 2031-04-06 to 2031-04-10 · Annual · sent "
            f"{time.strftime('%Y-%m-%d')} · moved: old days of row 2"
        ]
        assert "1 with old days still in Calven (moved)" in window.sync.summary.text()
        window.set_filter("Changed since sent")
        assert window.proxy.rowCount() == 1
        window.set_filter("All")
        send_all_ready(qtbot, window)
        assert sandbox.away(ANNA) == sorted(days("2031-04-20", "2031-04-24"))
        assert words(window) == {2: "Accepted"}
        assert window.sync.list.texts() == []


def test_a_second_sender_is_told_who_is_sending(
    qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    rows: list[Row] = [
        (f"p{i:03d}@example.com", "2031-05-01", "2031-05-02", "Annual", "Approved", f"R{i}")
        for i in range(6)
    ]
    roster = write_roster(tmp_path / "march.csv", rows, True)
    save_settings(Settings(batch_size=1, parallel=1, sender_wait_seconds=1))
    window.settings.sender_wait_seconds = 1
    with Sandbox() as sandbox:
        connect(window, sandbox)
        hold = threading.Event()
        sandbox.set_faults(Faults(hold_after_first=hold))
        job = subprocess.Popen(
            [sys.executable, "-m", "calven_desk", "submit", str(roster), "--base-url", sandbox.url],
            env={**os.environ, **ENV},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while sandbox.calls < 2:
                assert time.monotonic() < deadline, "the job never got going"
                time.sleep(0.02)
            open_and_wait(qtbot, window, roster)
            calls = sandbox.calls
            qtbot.waitUntil(lambda: not window.jobs.busy(), timeout=10_000)
            window.submit_all_ready()
            qtbot.waitUntil(lambda: bool(answers.told), timeout=30_000)
            title, message = answers.told[-1]
            assert title == "Sending failed"
            assert message.startswith(f"Another send to Calven ({sandbox.url}) is under way: ")
            assert "calven-desk submit march.csv" in message and sandbox.calls == calls
        finally:
            hold.set()
            job.wait(timeout=60)


def test_the_demo_sandbox_remembers_the_first_day_on_the_second(
    qtbot: QtBot, window: MainWindow, answers: Answers
) -> None:
    """Help > Try it with the sandbox, send, close; the next day it is the same Calven: the same
    address (so what was sent is found again) and the same calendar."""
    with qtbot.waitSignal(window.model_ready, timeout=20_000):
        window.try_sandbox()
    first_url = window.sandbox_url()
    send_all_ready(qtbot, window)
    accepted = [r for r, w in words(window).items() if w == "Accepted"]
    assert accepted and window.sandbox is not None and window.document is not None
    people = {r.check.values.get("email", "") for r in window.document.rows}
    calendar = {p: window.sandbox.away(p) for p in people}
    assert any(calendar.values())
    window.help.stop_sandbox()  # the app closes

    with qtbot.waitSignal(window.model_ready, timeout=20_000):
        window.try_sandbox()
    assert window.sandbox_url() == first_url
    assert window.sandbox is not None and {p: window.sandbox.away(p) for p in people} == calendar
    # Compared with what was sent to the same address yesterday: already in Calven.
    qtbot.waitUntil(
        lambda: all(words(window)[r].startswith("Already in Calven since") for r in accepted),
        timeout=20_000,
    )


def test_already_in_calven_says_who_sent_it(
    qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    import getpass
    import socket

    roster = write_roster(tmp_path / "month-1.csv", MONTH_1, True)
    with Sandbox() as sandbox:
        connect(window, sandbox)
        cli_submit(roster, sandbox)
        open_compared(qtbot, window, roster)
        assert window.model is not None
        tip = window.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
        assert tip.startswith("Already in Calven since")
        assert tip.endswith(f"Sent by {getpass.getuser()} on {socket.gethostname()}.")
