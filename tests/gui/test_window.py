"""The window end to end, offscreen: open, fix, undo, submit against the sandbox, cancel, resume."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from calven_desk.calven.outcomes import Outcome
from calven_desk.calven.run import RunReport
from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Faults, Sandbox
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.table.colours import DARK, LIGHT
from calven_desk.gui.table.model import Role
from calven_desk.roster import ColumnMap, SourceTable
from calven_desk.store.journal import Answer, Journal
from calven_desk.store.profiles import Profile, save_profile, use_for_session
from tests.gui.conftest import Answers, open_and_wait
from tests.roster.files import write_csv, write_xlsx


def statuses(window: MainWindow) -> dict[int, str]:
    assert window.model is not None
    return {
        window.model.document.rows[i].check.row: window.model.index(i, 1).data(Role.COLOUR_KEY)
        for i in range(window.model.rowCount())
    }


def cell(window: MainWindow, row_number: int, name: str) -> object:
    assert window.model is not None and window.document is not None
    index = window.document.index_of(row_number)
    assert index is not None
    return window.model.index(index, window.model.field_column(name))  # type: ignore[arg-type]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(
        users=[
            "ana.lima@example.com",
            "Ben.Okafor@example.com",
            "chen.wei@example.com",
            "zoe.bronte@example.co.uk",
        ]
    ) as running:
        yield running


def connect(window: MainWindow, sandbox: Sandbox) -> None:
    save_profile(Profile("test sandbox", DEMO_KEY_ID, sandbox.url), None)
    use_for_session("test sandbox", DEMO_SECRET)
    window.settings.last_profile = "test sandbox"


def test_rosters_open_with_their_statuses(qtbot: QtBot, window: MainWindow, rosters: Path) -> None:
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    assert statuses(window) == {
        4: "ready",
        5: "ready",
        6: "ready",
        7: "invalid",
        8: "invalid",
        10: "warning",
        11: "warning",
        12: "skipped",  # Pending: not for Calven since issue 24, outside the Problems panel
        13: "invalid",
        14: "warning",
    }
    assert "10 rows: 3 ready, 3 ready with warnings, 3 need fixing, 1 skipped (not for Calven)" in (
        window.counts.text()
    )
    qtbot.waitUntil(lambda: window.problems.count() == 6)  # the panel refreshes just after
    open_and_wait(qtbot, window, rosters / "seed-example.csv")
    # Row 3 shares row 2's eventId with another person, as Calven's own example does: valid.
    assert statuses(window) == {2: "warning", 3: "warning"}
    open_and_wait(qtbot, window, rosters / "uk-semicolon.csv")
    assert statuses(window) == {2: "ready", 3: "ready", 4: "ready"}
    assert cell(window, 2, "timeOffType").data() == "Congé"  # type: ignore[attr-defined]


def test_fix_a_bad_cell_then_undo_and_redo(qtbot: QtBot, window: MainWindow, rosters: Path) -> None:
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    assert window.model is not None
    email = cell(window, 7, "email")
    assert email.data(Role.SEVERITY) == "error"  # type: ignore[attr-defined]
    assert "not a valid email" in email.data(Qt.ItemDataRole.ToolTipRole)  # type: ignore[attr-defined]
    assert window.model.setData(email, "dara.quinn@example.com")  # type: ignore[arg-type]
    assert statuses(window)[7] == "ready" and window.dirty
    # Row 13 duplicates row 5; made a cancellation it is not: the cross-row pass runs on every edit.
    window.model.setData(cell(window, 13, "eventType"), "cancelled")  # type: ignore[arg-type]
    assert statuses(window)[13] == "ready"
    window.act_undo.trigger()
    assert statuses(window)[13] == "invalid"
    window.act_undo.trigger()
    assert statuses(window)[7] == "invalid"
    window.act_redo.trigger()
    assert statuses(window)[7] == "ready"


def test_editors_fit_the_fields(qtbot: QtBot, window: MainWindow, rosters: Path) -> None:
    from PySide6.QtWidgets import QComboBox, QDateEdit, QStyleOptionViewItem

    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    delegate = window.table.itemDelegate()
    option = QStyleOptionViewItem()
    proxy = window.proxy
    date_editor = delegate.createEditor(
        window.table, option, proxy.mapFromSource(cell(window, 4, "startDate"))
    )  # type: ignore[arg-type]
    assert isinstance(date_editor, QDateEdit) and date_editor.calendarPopup()
    kind = delegate.createEditor(
        window.table, option, proxy.mapFromSource(cell(window, 4, "eventType"))
    )  # type: ignore[arg-type]
    assert isinstance(kind, QComboBox) and [kind.itemText(i) for i in range(kind.count())] == [
        "scheduled",
        "cancelled",
    ]
    types = delegate.createEditor(
        window.table, option, proxy.mapFromSource(cell(window, 4, "timeOffType"))
    )  # type: ignore[arg-type]
    assert isinstance(types, QComboBox) and types.isEditable()
    assert {types.itemText(i) for i in range(types.count())} == {"Annual Leave", "Parental", "Sick"}


def test_submit_selection_with_unknown_users_and_faults(
    qtbot: QtBot, window: MainWindow, answers: Answers, sandbox: Sandbox, rosters: Path
) -> None:
    sandbox.set_faults(
        Faults(
            server_error_every=2,
            retry_after_seconds=0.01,
            codes_by_email={"hugo.marin@example.com": 7},
        )
    )
    window.settings.max_retries = 4
    connect(window, sandbox)
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    window.table.selectAll()
    with qtbot.waitSignal(window.run_finished, timeout=60_000) as finished:
        window.submit_selected()
    report: RunReport = finished.args[0]
    title, question = answers.asked[-1]
    # The connection by its name; its address in the details behind "Show Details…".
    assert title == "Send to Calven?" and "test sandbox" in question
    assert sandbox.url not in question and sandbox.url in answers.details[-1]
    assert "3 of the selected rows need fixing and will be skipped" in question
    assert "not for Calven (waiting for approval, refused, or shorter than half a day): 1 of" in (
        question
    )
    assert statuses(window) == {
        4: "accepted",
        5: "accepted",
        6: "accepted",
        7: "invalid",
        8: "invalid",
        10: "accepted",
        11: "code2",
        12: "skipped",
        13: "invalid",
        14: "unknown_code",
    }
    assert window.model is not None
    words = {
        window.document.rows[i].check.row: window.model.index(i, 1).data()
        for i in range(window.model.rowCount())
    }  # type: ignore[union-attr]
    assert (
        words[11] == "Rejected (code 2)"
        and words[14] == "Rejected (code 7)"
        and words[4] == "Accepted"
    )
    message_column = window.model.layout.columns.index(("result", 2))
    row11 = window.document.index_of(11)  # type: ignore[union-attr]
    assert (
        window.model.index(row11, message_column).data()
        == "No Calven user matches finn.berg@example.com"
    )
    assert report.summary()["skipped"] == 3 and report.summary()["not_for_calven"] == 1
    assert (
        len({e["eventId"] for e in sandbox.accepted}) == 3
    )  # REQ-1001 twice (booking, cancellation)


def test_edit_after_acceptance_marks_changed_and_retry_failed(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, rosters: Path
) -> None:
    connect(window, sandbox)
    open_and_wait(qtbot, window, rosters / "uk-semicolon.csv")
    with qtbot.waitSignal(window.run_finished, timeout=30_000):
        window.submit_all_ready()
    assert statuses(window) == {2: "accepted", 3: "code2", 4: "code2"}
    window.model.setData(cell(window, 2, "endDate"), "2031-02-19")  # type: ignore[union-attr, arg-type]
    assert window.model.index(0, 1).data() == "Ready (changed since sent)"  # type: ignore[union-attr]
    sandbox.state.users = None  # everyone is known now
    with qtbot.waitSignal(window.run_finished, timeout=30_000) as finished:
        window.retry_failed()
    assert sorted(o.row for o in finished.args[0].outcomes) == [3, 4]
    assert statuses(window) == {2: "ready", 3: "accepted", 4: "accepted"}


def open_for_a_slow_run(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path, rows: int, **faults: Any
) -> threading.Event:
    """A roster of `rows` people, sent 50 at a time to a sandbox taking 0.3 s for each batch.

    The sandbox answers the first batch and holds the others until the returned event is set:
    what a test looks at "while the run goes on" is then seen before the run ends, however late
    a busy machine lets the test look (a run of a few seconds could end before it did).
    """
    roster = [["Email", "Start", "End"]] + [
        [f"p{i}@example.com", "2030-01-01", "2030-01-02"] for i in range(rows)
    ]
    release = threading.Event()
    sandbox.state.users = None
    sandbox.set_faults(Faults(latency_seconds=0.3, hold_after_first=release, **faults))
    window.settings.batch_size = 50
    window.settings.parallel = 1
    connect(window, sandbox)
    open_and_wait(qtbot, window, write_csv(tmp_path / "people.csv", roster))
    return release


def test_cancel_mid_run_leaves_rows_not_sent(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path
) -> None:
    release = open_for_a_slow_run(qtbot, window, sandbox, tmp_path, 600)
    with qtbot.waitSignal(window.run_finished, timeout=60_000) as finished:
        window.submit_all_ready()
        qtbot.waitUntil(lambda: window.progress.value() >= 50, timeout=20_000)
        assert window.model is not None and window.model.index(599, 1).data() == "Sending…"
        window.cancel_button.click()
        release.set()  # the batch in flight is answered; no other is sent
    report: RunReport = finished.args[0]
    counts = report.summary()
    assert counts["accepted"] == len(sandbox.accepted) >= 50 and counts["not_sent"] > 0
    assert counts["accepted"] + counts["not_sent"] == 600
    assert "not_sent" in set(statuses(window).values()) and "sending" not in set(
        statuses(window).values()
    )


def test_rows_take_their_colour_while_the_run_goes_on(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path
) -> None:
    release = open_for_a_slow_run(
        qtbot, window, sandbox, tmp_path, 300, codes_by_email={"p1@example.com": 2}
    )
    finished: list[RunReport] = []
    window.run_finished.connect(finished.append)
    window.submit_all_ready()
    qtbot.waitUntil(lambda: statuses(window)[3] == "code2", timeout=20_000)
    # The first batch is coloured (the rejection with its code and message too) while later
    # batches are still on their way.
    assert not finished
    assert window.model is not None and window.document is not None
    assert window.model.index(1, 1).data() == "Rejected (code 2)"
    assert window.document.rows[1].result is not None and window.document.rows[1].result.message
    now = statuses(window)
    assert now[2] == "accepted" and now[301] == "sending"
    release.set()
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    final = statuses(window)
    assert final[3] == "code2" and list(final.values()).count("accepted") == 299


def test_an_edit_during_a_run_survives_it_and_the_filter_catches_up_at_the_end(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path
) -> None:
    release = open_for_a_slow_run(qtbot, window, sandbox, tmp_path, 300)
    window.set_filter("Ready")
    assert window.proxy.rowCount() == 300
    finished: list[RunReport] = []
    window.run_finished.connect(finished.append)
    window.submit_all_ready()
    qtbot.waitUntil(lambda: statuses(window)[2] == "accepted", timeout=20_000)
    assert not finished
    # Accepted rows stay in view while the run goes on (refiltering at every answer froze the
    # window on big rosters); they leave the "Ready" view when it ends.
    assert window.proxy.rowCount() == 300
    assert window.model is not None
    window.model.setData(cell(window, 2, "endDate"), "2030-01-09")  # type: ignore[arg-type]
    window.model.setData(cell(window, 301, "endDate"), "2030-01-08")  # type: ignore[arg-type]
    release.set()
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    assert window.model.index(0, 1).data() == "Ready (changed since sent)"
    assert window.model.index(299, 1).data() == "Ready (changed since sent)"
    assert window.model.index(1, 1).data() == "Accepted"
    assert window.proxy.rowCount() == 2  # only the two edited rows are ready to send again


def test_a_resume_compares_rows_with_what_the_journal_sent(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path
) -> None:
    """A resume sends the journal's events; a row edited since then must not read "Accepted"."""
    roster = write_csv(
        tmp_path / "r.csv",
        [
            ["Email", "Start", "End"],
            ["ana.lima@example.com", "2030-01-01", "2030-01-02"],
            ["bo.chen@example.com", "2030-02-01", "2030-02-02"],
        ],
    )
    sandbox.state.users = None
    connect(window, sandbox)
    open_and_wait(qtbot, window, roster)
    assert window.document is not None and window.model is not None
    as_planned = [(r.check.row, r.check.event) for r in window.document.rows]
    with Journal() as journal:  # the run died before Calven answered either row
        run = journal.start_run(
            source=str(roster.resolve()),
            sheet=None,
            profile="test sandbox",
            host=sandbox.url,
            rows=[(row, event["eventId"], json.dumps(event)) for row, event in as_planned if event],
        )
        journal.mark_sending(run, [2, 3])
    window.model.setData(cell(window, 2, "endDate"), "2030-01-09")  # type: ignore[arg-type]
    with qtbot.waitSignal(window.run_finished, timeout=30_000):
        window.offer_resume()
    assert [e["endDate"] for e in sandbox.accepted] == ["2030-01-02", "2030-02-02"]
    assert window.model.index(0, 1).data() == "Ready (changed since sent)"
    assert window.model.index(1, 1).data() == "Accepted"


def test_resume_after_a_crash(
    qtbot: QtBot, window: MainWindow, answers: Answers, sandbox: Sandbox, tmp_path: Path
) -> None:
    roster = write_csv(
        tmp_path / "r.csv",
        [["Email", "Start", "End"], ["ana.lima@example.com", "2030-01-01", "2030-01-02"]],
    )
    connect(window, sandbox)
    events = [
        (
            r,
            f"ID-{r}",
            json.dumps(
                {
                    "eventId": f"ID-{r}",
                    "email": "chen.wei@example.com",
                    "eventType": "scheduled",
                    "startDate": f"2030-02-{r:02d}",
                    "endDate": f"2030-02-{r:02d}",
                }
            ),
        )
        for r in range(2, 7)
    ]
    with Journal() as journal:  # a run that died after two rows were answered
        run = journal.start_run(
            source=str(roster.resolve()),
            sheet=None,
            profile="test sandbox",
            host=sandbox.url,
            rows=events,
        )
        journal.mark_sending(run, [2, 3, 4])
        journal.record_answers(
            run, [Answer(2, "accepted", 0, "ok", None), Answer(3, "accepted", 0, "ok", None)]
        )
    with qtbot.waitSignal(window.run_finished, timeout=30_000) as finished:
        window.offer_resume()
    assert answers.asked[-1][0] == "Finish an interrupted run?" and "3 rows" in answers.asked[-1][1]
    assert sorted(e["eventId"] for e in sandbox.accepted) == [
        "ID-4",
        "ID-5",
        "ID-6",
    ]  # answered rows not re-sent
    assert finished.args[0].summary()["accepted"] == 5
    with Journal() as journal:
        assert journal.interrupted_runs() == []


def test_a_journal_that_cannot_be_opened_for_a_resume_is_its_own_sentence(
    qtbot: QtBot, window: MainWindow, answers: Answers, sandbox: Sandbox, tmp_path: Path
) -> None:
    """The run's journal turns unusable between the question and the send: the person reads
    what is wrong with which file and what to do, not "something went wrong"."""
    roster = write_csv(
        tmp_path / "r.csv",
        [["Email", "Start", "End"], ["ana.lima@example.com", "2030-01-01", "2030-01-02"]],
    )
    connect(window, sandbox)
    event = {
        "eventId": "ID-2",
        "email": "ana.lima@example.com",
        "eventType": "scheduled",
        "startDate": "2030-01-01",
        "endDate": "2030-01-02",
    }
    with Journal() as journal:
        run = journal.start_run(
            source=str(roster.resolve()),
            sheet=None,
            profile="test sandbox",
            host=sandbox.url,
            rows=[(2, "ID-2", json.dumps(event))],
        )
        journal.mark_sending(run, [2])
        path = journal.path

    def confirm(title: str, text: str, details: str = "") -> bool:
        for side in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            side.unlink(missing_ok=True)
        path.write_bytes(b"not a journal " * 512)
        return True

    window.confirm = confirm  # type: ignore[method-assign]
    window.offer_resume()
    qtbot.waitUntil(lambda: bool(answers.told), timeout=30_000)
    title, text = answers.told[-1]
    assert title == "Sending failed"
    assert text.startswith(f"The record of past runs ({path}) cannot be opened"), text
    assert text.endswith("Move that file aside to start a new one.")
    assert sandbox.accepted == []


def test_keyboard_only_flow(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, rosters: Path
) -> None:
    connect(window, sandbox)
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    window.activateWindow()
    window.table.setFocus()
    # Go to row 7's email with the keyboard: down three rows, right to the Email column (past
    # Status and the person's name, which the table shows before it).
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    for _ in range(3):
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
    for _ in range(3):
        qtbot.keyClick(window.table, Qt.Key.Key_Right)
    assert window.proxy.mapToSource(window.table.currentIndex()) == cell(window, 7, "email")
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), "F2 should open the cell's editor"
    editor.selectAll()
    qtbot.keyClicks(editor, "dara.quinn@example.com")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits the editor on its next event-loop turn
    qtbot.waitUntil(lambda: statuses(window)[7] == "ready")
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert statuses(window)[7] == "invalid"
    qtbot.keyClick(window.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.run_finished, timeout=30_000):
        qtbot.keyClick(window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert statuses(window)[7] == "code2"  # sent after the fix (the sandbox doesn't know Dara)
    # Filters by keyboard: Alt+5 shows only accepted rows.
    qtbot.keyClick(window.table, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(
        lambda: window.proxy.rowCount() == 4
    )  # a button's shortcut clicks it a moment later


def test_filter_search_sort(qtbot: QtBot, window: MainWindow, rosters: Path) -> None:
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    window.set_filter("Problems")
    assert window.proxy.rowCount() == 6
    window.set_filter("Ready")
    assert window.proxy.rowCount() == 6
    window.set_filter("Skipped")
    assert window.proxy.rowCount() == 1
    window.set_filter("All")
    window.search.setText("okafor")
    assert window.proxy.rowCount() == 2
    window.search.clear()
    window.table.sortByColumn(window.model.field_column("startDate"), Qt.SortOrder.AscendingOrder)  # type: ignore[union-attr]
    first = window.proxy.index(0, 0).data()
    assert first == 11  # 2019, the earliest start


def test_paste_lands_on_the_rows_as_shown(qtbot: QtBot, window: MainWindow, rosters: Path) -> None:
    """Sorted newest row first, a paste goes down the rows as the person sees them, and the
    lines below the last row are left out."""
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    model, proxy = window.model, window.proxy
    assert model is not None
    window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not proxy.busy())
    shown = [proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount())]
    assert shown == sorted(shown, reverse=True) and len(shown) > 3
    email = model.field_column("email")
    window.table.setCurrentIndex(proxy.index(len(shown) - 2, email))
    QApplication.clipboard().setText("a.one@example.com\nb.two@example.com\nc.three@example.com\n")
    window.paste()
    emails = [row.check.values.get("email") for row in model.document.rows]
    assert emails[shown[-2]] == "a.one@example.com" and emails[shown[-1]] == "b.two@example.com"
    assert "c.three@example.com" not in emails


def test_paste_fill_down_add_and_delete(qtbot: QtBot, window: MainWindow, rosters: Path) -> None:
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    assert window.model is not None
    start = window.proxy.mapFromSource(cell(window, 7, "email"))  # type: ignore[arg-type]
    window.table.setCurrentIndex(start)
    # Email, then the column the table shows right of it (Start date).
    QApplication.clipboard().setText(
        "dara.quinn@example.com\t2030-05-01\r\neve.santos@example.com\t2030-06-10\r\n"
    )
    window.paste()
    assert statuses(window)[7] == "ready"
    window.act_undo.trigger()
    assert statuses(window)[7] == "invalid"  # a paste is one undo step
    window.act_redo.trigger()
    # Fill down Status from row 4 over rows 4-6.
    selection = window.table.selectionModel()
    selection.clearSelection()
    for number in (4, 5, 6):
        selection.select(
            window.proxy.mapFromSource(cell(window, number, "eventType")),
            selection.SelectionFlag.Select,
        )  # type: ignore[arg-type]
    window.model.setData(cell(window, 4, "eventType"), "cancelled")  # type: ignore[arg-type]
    window.fill_down()
    assert [cell(window, n, "eventType").data() for n in (5, 6)] == ["cancelled", "cancelled"]  # type: ignore[attr-defined]
    window.copy_selection()
    assert QApplication.clipboard().text() == "cancelled\ncancelled\ncancelled"
    before = window.model.rowCount()
    window.add_row()
    assert window.model.rowCount() == before + 1 and statuses(window)[15] == "invalid"
    window.table.selectRow(window.table.currentIndex().row())
    window.delete_rows()
    assert window.model.rowCount() == before
    window.act_undo.trigger()
    assert window.model.rowCount() == before + 1


def test_save_as_keeps_the_source_and_writes_results(
    qtbot: QtBot, window: MainWindow, answers: Answers, rosters: Path, tmp_path: Path
) -> None:
    original = tmp_path / "roster.xlsx"
    original.write_bytes((rosters / "hr-export.xlsx").read_bytes())
    open_and_wait(qtbot, window, original)
    window.model.setData(cell(window, 7, "email"), "=dara.quinn@example.com")  # type: ignore[union-attr, arg-type]
    answers.save_path = str(original)
    answers.confirm = False
    assert not window.save_as()  # refused to replace the original
    assert original.read_bytes() == (rosters / "hr-export.xlsx").read_bytes()
    answers.save_path = str(tmp_path / "checked.xlsx")
    assert window.save_as() and not window.dirty
    sheet = load_workbook(tmp_path / "checked.xlsx").active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    # The header stays in row 3 with the results after it; the edited cell is a text cell, which
    # no spreadsheet runs as a formula, holding exactly what was typed.
    assert values[2][-4:] == ["Result", "Result code", "Message", "Sent at"]
    assert values[6][1] == "=dara.quinn@example.com" and sheet["B7"].data_type == "s"


def test_read_error_keeps_the_previous_roster(
    qtbot: QtBot, window: MainWindow, answers: Answers, rosters: Path, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, rosters / "uk-semicolon.csv")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    window.open_file(broken)
    qtbot.waitUntil(lambda: bool(answers.told), timeout=10_000)
    assert answers.told[-1] == ("Cannot open the file", answers.told[-1][1])
    assert answers.told[-1][1].startswith("Cannot open broken.xlsx:")
    assert window.document is not None and window.document.table.file.name == "uk-semicolon.csv"


def test_a_file_over_a_limit_is_a_message_and_the_edits_stay(
    qtbot: QtBot, window: MainWindow, answers: Answers, rosters: Path, tmp_path: Path
) -> None:
    """A workbook past the reading limits is one sentence in the window; the roster on screen
    and its unsaved edit are still there (the stray space beside a roster opens as usual)."""
    from tests.roster.files import put_cells, write_xlsx

    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    assert window.model is not None
    window.model.setData(cell(window, 7, "email"), "dara.quinn@example.com")  # type: ignore[arg-type]
    assert window.dirty
    roster = [["Email", "Start Date", "End Date"], ["a@example.com", "2030-01-02", "2030-01-03"]]
    wide = put_cells(
        write_xlsx(tmp_path / "wide.xlsx", {"Leave": roster}),
        '<row r="5"><c r="XFD5" t="inlineStr"><is><t>x</t></is></c></row>',
    )
    window.open_file(wide)
    qtbot.waitUntil(lambda: bool(answers.told), timeout=20_000)
    assert answers.told[-1] == (
        "Cannot open the file",
        "Cannot open wide.xlsx: cell XFD5 holds a value beyond the 1,000 columns Calven Desk "
        "reads; delete what is in it (or copy the roster to a new sheet) and save again.",
    )
    assert window.document is not None and window.document.table.file.name == "hr-export.xlsx"
    assert window.dirty and statuses(window)[7] == "ready"
    assert cell(window, 7, "email").data() == "dara.quinn@example.com"  # type: ignore[attr-defined]
    stray = put_cells(
        write_xlsx(tmp_path / "stray.xlsx", {"Leave": roster}),
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row>',
    )
    window.dirty = False
    open_and_wait(qtbot, window, stray)
    assert window.document is not None and len(window.document.rows) == 1


def test_sheet_choice_and_mapping_dialog(
    qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    header = ["Email", "Start", "End"]
    path = write_xlsx(
        tmp_path / "two.xlsx",
        {
            "March": [header, ["a@example.com", "2030-03-01", "2030-03-01"]],
            "April": [header, ["b@example.com", "2030-04-01", "2030-04-01"]],
        },
    )
    answers.sheet = "April"
    open_and_wait(qtbot, window, path)
    assert window.document is not None and window.document.table.sheet == "April"
    asked: list[ColumnMap] = []

    def choose(table: SourceTable, mapping: ColumnMap) -> ColumnMap:
        asked.append(mapping)
        return ColumnMap(table.headers, {"email": 0, "startDate": 1, "endDate": 2})

    window.ask_mapping = choose
    odd = write_csv(
        tmp_path / "odd.csv",
        [["Mail", "From", "Back"], ["a@example.com", "2030-01-01", "2030-01-02"]],
    )
    open_and_wait(qtbot, window, odd)
    assert asked and asked[0].missing_required() == ["endDate"]
    assert statuses(window) == {2: "ready"}


def test_mapping_dialog_preview(qtbot: QtBot, rosters: Path) -> None:
    from calven_desk.gui.dialogs.mapping import MappingDialog
    from calven_desk.roster import map_columns, read_table

    table = read_table(rosters / "hr-export.xlsx")
    dialog = MappingDialog(table, map_columns(table.headers))
    qtbot.addWidget(dialog)
    assert (
        dialog.preview.rowCount() == 5
        and "email=ana.lima@example.com" in dialog.preview.item(0, 1).text()
    )
    dialog.boxes["endDate"].setCurrentIndex(0)
    assert "Still needed: End date" in dialog.problem.text()


def test_recovery_after_a_crash(
    qtbot: QtBot, window: MainWindow, answers: Answers, rosters: Path
) -> None:
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    window.model.setData(cell(window, 7, "email"), "dara.quinn@example.com")  # type: ignore[union-attr, arg-type]
    window.autosave_now()  # the timer's job, every few seconds
    fresh = MainWindow(window.settings)
    fresh.confirm = lambda title, text, details="": True
    fresh.ask_unsaved = lambda name: "discard"
    qtbot.addWidget(fresh)
    assert fresh.offer_recovery()
    assert fresh.document is not None and fresh.dirty
    restored = {r.check.row: r.check.status.value for r in fresh.document.rows}
    assert restored[7] == "valid" and restored[8] == "invalid"
    fresh.dirty = False


@pytest.mark.parametrize("in_worker", [False, True], ids=["small roster", "large roster"])
def test_autosave_writes_only_what_changed_since_it_last_wrote(
    qtbot: QtBot,
    window: MainWindow,
    rosters: Path,
    monkeypatch: pytest.MonkeyPatch,
    in_worker: bool,
) -> None:
    """Unsaved edits are written once, not again every few seconds while nothing changes (on
    50,000 rows each write slowed the window through a whole run), nor for a run's results
    (not in the file; the journal keeps them). The next edit is written, and a write that
    failed (a full disk) is tried again at the next tick, in a worker too (large rosters)."""
    from calven_desk.gui.threads import background
    from calven_desk.gui.window import files
    from calven_desk.store.paths import data_dir
    from calven_desk.store.recovery import RECOVERY_FILE

    if in_worker:
        monkeypatch.setattr(files, "BACKGROUND_ROWS", 1)

    def autosave() -> None:  # the timer's job, every few seconds
        window.autosave_now()
        if in_worker and background._saving:
            qtbot.waitUntil(background._saving[0].isFinished, timeout=10_000)

    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    recovery = data_dir() / RECOVERY_FILE
    window.model.setData(cell(window, 7, "email"), "dara.quinn@example.com")  # type: ignore[union-attr, arg-type]
    autosave()
    assert "dara.quinn@example.com" in recovery.read_text(encoding="utf-8")
    recovery.unlink()
    autosave()  # nothing changed since
    assert not recovery.exists()
    window.dirty = True  # what the end of a run does: results, not edits
    autosave()
    assert not recovery.exists()
    window.model.setData(cell(window, 8, "email"), "eve.ward@example.com")  # type: ignore[union-attr, arg-type]
    recovery.mkdir()  # the write fails, as on a full disk
    autosave()
    recovery.rmdir()
    autosave()  # no edit since, but the last write failed
    assert "eve.ward@example.com" in recovery.read_text(encoding="utf-8")
    window.dirty = False


def test_colours_distinct_in_light_and_dark() -> None:
    keys = ["accepted", "code1", "code2", "code3", "unknown_code", "not_sent", "sending"]
    for table in (LIGHT, DARK):
        assert len({table[k] for k in keys}) == len(keys)


def test_connection_dialog_never_shows_a_stored_secret(qtbot: QtBot, sandbox: Sandbox) -> None:
    import keyring

    from calven_desk.gui.dialogs.connection import ConnectionDialog
    from calven_desk.store.settings import Settings
    from tests.conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        dialog = ConnectionDialog(Settings())
        qtbot.addWidget(dialog)
        dialog.name.setText("prod")
        dialog.base_url.setText(sandbox.url)
        dialog.key_id.setText(DEMO_KEY_ID)
        dialog.secret.setText(DEMO_SECRET)
        dialog.test()
        assert dialog.verdict.text().startswith("✔")
        assert dialog.save()
        assert keyring.get_password("Calven Desk", "profile:prod") == DEMO_SECRET
        assert dialog.secret.text() == "" and "Stored" in dialog.secret.placeholderText()
        dialog.secret.setText("wrong")
        dialog.test()
        assert dialog.verdict.text().startswith("✖") and "refused" in dialog.verdict.text()
    finally:
        keyring.set_keyring(previous)


def test_outcomes_cover_every_row(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, rosters: Path
) -> None:
    connect(window, sandbox)
    open_and_wait(qtbot, window, rosters / "seed-example.csv")
    window.table.selectAll()
    with qtbot.waitSignal(window.run_finished, timeout=30_000) as finished:
        window.submit_selected()
    outcomes = {o.row: o.outcome for o in finished.args[0].outcomes}
    # Both are sent (one eventId, two people: two requests); the sandbox knows neither person.
    assert outcomes == {2: Outcome.REJECTED, 3: Outcome.REJECTED}
    assert date.today() > date(2026, 1, 1)


def test_counts_and_problems_follow_the_last_row_away(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    roster = write_csv(tmp_path / "one.csv", [["Email", "Start", "End"], ["ana", "", ""]])
    open_and_wait(qtbot, window, roster)
    window.table.selectRow(0)
    window.delete_rows()
    window.add_row()  # a blank row: it has problems
    qtbot.waitUntil(lambda: window.problems.count() > 0)
    assert window.counts.text().startswith("1 row: ")
    window.act_undo.trigger()  # takes the blank row away again: nothing is left
    assert window.counts.text().startswith("0 rows: ")
    qtbot.waitUntil(lambda: window.problems.count() == 0)
