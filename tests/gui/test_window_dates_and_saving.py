"""HR's data stays theirs, in the real window offscreen (issue 19): the window asks which way round
the dates go when nothing tells, applies and remembers the answer, re-reads the open file when the
order changes; the event-type column shows HR's own words; Save as keeps the workbook; a run's
results never make it ask about unsaved edits, and Enter never writes over the original."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

import calven_desk
from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Sandbox
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.window import questions
from calven_desk.roster import DateOrder, shape_key
from calven_desk.store.profiles import Profile, save_profile, use_for_session
from calven_desk.store.settings import load_settings
from tests.gui.conftest import Answers, open_and_wait
from tests.roster.files import write_csv

DMY, MDY = DateOrder.DMY, DateOrder.MDY
HEADER = ["Email", "Leave Type", "Status", "Start Date", "End Date"]
SAMPLE = Path(calven_desk.__file__).parent.parent / "resources" / "sample-roster.xlsx"


def undecided(path: Path) -> Path:
    """Rows that make sense either way: 2 days or 32, and one day either way."""
    return write_csv(
        path,
        [
            HEADER,
            ["a@example.com", "Annual Leave", "Approved", "01/02/2031", "02/02/2031"],
            ["b@example.com", "Annual Leave", "Booked", "05/06/2031", "05/06/2031"],
        ],
    )


def index_of(window: MainWindow, row_number: int, name: str) -> QModelIndex:
    assert window.model is not None and window.document is not None
    position = window.document.index_of(row_number)
    assert position is not None
    return window.model.index(position, window.model.field_column(name))  # type: ignore[arg-type]


def event(window: MainWindow, row_number: int) -> dict[str, str]:
    assert window.document is not None
    position = window.document.index_of(row_number)
    assert position is not None
    found = window.document.rows[position].check.event
    assert found is not None
    return found


def test_the_window_asks_once_and_remembers_files_of_the_same_shape(
    qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    answers.date_order = MDY
    open_and_wait(qtbot, window, undecided(tmp_path / "march.csv"))
    ((name, shown, current),) = answers.date_questions
    assert (name, current) == ("march.csv", None)
    # Two of the file's own rows, read both ways, with their lengths.
    assert [(r.row, r.text, r.words(DMY), r.words(MDY)) for r in shown] == [
        (
            2,
            "01/02/2031 to 02/02/2031",
            "1 Feb \u2013 2 Feb 2031, 2 days",
            "2 Jan \u2013 2 Feb 2031, 32 days",
        ),
        (3, "05/06/2031 to 05/06/2031", "5 Jun 2031, 1 day", "6 May 2031, 1 day"),
    ]
    # Applied at once: the rows are read month-first, and the line above the table says why.
    assert window.document is not None and window.document.date_order.source == "asked"
    assert event(window, 2)["startDate"] == "2031-01-02"
    assert "Dates read month-first (12/31/2030): as you chose" in window.banner.text()
    assert "File > Read dates as… changes it." in window.banner.text()
    assert load_settings().date_orders == {shape_key(HEADER): "mdy"}
    # Next month's file, same columns: read the same way without a question.
    april = write_csv(
        tmp_path / "april.csv",
        [HEADER, ["c@example.com", "Annual Leave", "Approved", "04/01/2031", "04/03/2031"]],
    )
    open_and_wait(qtbot, window, april)
    assert len(answers.date_questions) == 1
    assert window.document.date_order.source == "remembered"
    assert event(window, 2)["startDate"] == "2031-04-01"
    assert "as chosen before for files with these columns" in window.banner.text()


def test_cancelling_the_question_opens_nothing(
    qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path, rosters: Path
) -> None:
    open_and_wait(qtbot, window, rosters / "uk-semicolon.csv")
    answers.date_order = None
    window.open_file(undecided(tmp_path / "march.csv"))
    qtbot.waitUntil(lambda: bool(answers.date_questions) and not window.busy(), timeout=20_000)
    assert window.document is not None and window.document.table.file.name == "uk-semicolon.csv"
    assert load_settings().date_orders == {}


def test_changing_the_order_rereads_the_open_file_at_once(
    qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, undecided(tmp_path / "march.csv"))
    document = window.document
    assert document is not None and event(window, 2)["startDate"] == "2031-02-01"
    assert window.model is not None
    window.model.setData(index_of(window, 3, "endDate"), "2031-06-09")
    window.model.setData(index_of(window, 2, "email"), "ann@example.com")
    answers.date_order = MDY
    with qtbot.waitSignal(window.files.dates_reread, timeout=20_000):
        window.files.act_date_order.trigger()
    assert answers.date_questions[-1][2] is DMY  # the question says how they are read now
    assert window.document is document  # not reopened: the same roster, edits and all
    assert event(window, 2) == {
        "eventId": event(window, 2)["eventId"],
        "email": "ann@example.com",
        "eventType": "scheduled",
        "startDate": "2031-01-02",
        "endDate": "2031-02-02",
        "timeOffType": "Annual Leave",
    }
    # The cell typed in the window keeps what was typed; its neighbour is read anew.
    assert (event(window, 3)["startDate"], event(window, 3)["endDate"]) == (
        "2031-05-06",
        "2031-06-09",
    )
    assert index_of(window, 2, "startDate").data() == "2031-01-02"  # the table shows it
    assert document.has_edits() and window.dirty
    assert "Dates read month-first (12/31/2030): as you chose" in window.banner.text()
    assert load_settings().date_orders == {shape_key(HEADER): "mdy"}


def test_a_new_order_in_settings_applies_to_the_open_file_at_once(
    qtbot: QtBot, window: MainWindow, answers: Answers, tmp_path: Path
) -> None:
    """The issue's file: the rows decide day-first; Settings then say month-first."""
    path = write_csv(
        tmp_path / "march.csv",
        [HEADER, ["a@example.com", "Annual Leave", "Approved", "02/03/2031", "06/03/2031"]],
    )
    open_and_wait(qtbot, window, path)
    assert answers.date_questions == []
    assert "read month-first, leave would be far longer: row 2" in window.banner.text()
    window.settings.remember_date_order("some|other|file", "dmy")
    window.settings.date_order = "mdy"
    with qtbot.waitSignal(window.files.dates_reread, timeout=20_000):
        window.sending.settings_changed.emit()
    assert window.document is not None and window.document.date_order.source == "configured"
    assert event(window, 2)["startDate"] == "2031-02-03"
    # 121 days read month-first: a warning, whatever decided the order.
    tip = index_of(window, 2, "endDate").data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "121 days of Annual Leave: check the dates."
    assert window.settings.date_orders == {}  # a setting for every file replaces the answers


def test_a_file_that_shows_its_order_is_not_asked_about(
    qtbot: QtBot, window: MainWindow, answers: Answers, rosters: Path
) -> None:
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    window.files.act_date_order.trigger()
    assert answers.date_questions == []
    assert answers.told[-1][0] == "The file shows it"
    assert "File > Read dates as" not in window.banner.text()


def test_the_event_type_column_shows_the_files_own_words(
    qtbot: QtBot, window: MainWindow, rosters: Path
) -> None:
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    tip = Qt.ItemDataRole.ToolTipRole
    assert [index_of(window, n, "eventType").data() for n in (4, 6, 10, 14)] == [
        "Approved",
        "Booked",
        "Withdrawn",
        "",
    ]
    assert index_of(window, 4, "eventType").data(tip) == "Approved: sent as scheduled."
    assert index_of(window, 10, "eventType").data(tip) == "Withdrawn: sent as cancelled."
    assert index_of(window, 14, "eventType").data(tip) == (
        "(empty): empty, so sent as scheduled.\nNo event type given, so it is sent as scheduled."
    )
    # Issue 24: a request waiting for approval is skipped, not an unknown word.
    assert index_of(window, 12, "eventType").data(tip) == (
        "Pending: waiting for approval, so not sent.\nWaiting for approval (Pending): not sent."
    )
    assert event(window, 10)["eventType"] == "cancelled"  # what Calven gets is unchanged
    # Opening the editor on "Approved" and pressing Enter changes nothing.
    delegate = window.table.itemDelegate()
    shown = window.proxy.mapFromSource(index_of(window, 4, "eventType"))
    editor = delegate.createEditor(window.table, QStyleOptionViewItem(), shown)
    assert isinstance(editor, QComboBox)
    delegate.setEditorData(editor, shown)
    assert editor.currentText() == "Approved"
    delegate.setModelData(editor, window.proxy, shown)
    assert window.model is not None and window.model.undo_stack.count() == 0


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    users = [
        line.split(",")[0] for line in (SAMPLE.parent / "sample-users.txt").read_text().splitlines()
    ]
    with Sandbox(users=users) as running:
        yield running


class EnterOnDialogs:
    """Presses Enter on each modal dialog as it opens, as a person in a hurry would, and notes
    each dialog's title."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._press)
        self.timer.start(50)

    def _press(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            self.titles.append(dialog.windowTitle())
            QTest.keyClick(dialog, Qt.Key.Key_Return)

    def stop(self) -> None:
        self.timer.stop()


def test_after_a_send_no_question_and_enter_never_overwrites_the_original(
    qtbot: QtBot, window: MainWindow, answers: Answers, sandbox: Sandbox, tmp_path: Path
) -> None:
    """The issue: after a send with no cell edited, opening another file asked "Save your edits
    first?" with Save as the default, and one Enter wrote over HR's original."""
    original = tmp_path / "sample-roster.xlsx"
    original.write_bytes(SAMPLE.read_bytes())
    open_and_wait(qtbot, window, original)
    save_profile(Profile("test sandbox", DEMO_KEY_ID, sandbox.url), None)
    use_for_session("test sandbox", DEMO_SECRET)
    window.settings.last_profile = "test sandbox"
    with qtbot.waitSignal(window.run_finished, timeout=60_000):
        window.submit_all_ready()
    asked: list[str] = []
    window.ask_unsaved = lambda name: asked.append(name) or "save"  # type: ignore[func-returns-value]
    assert window.may_discard() and asked == []  # results are in the journal: nothing to ask

    # Save as keeps HR's workbook, with each row's result or the reason it was never sent.
    answers.save_path = str(tmp_path / "checked.xlsx")
    assert window.save_as()
    workbook = load_workbook(tmp_path / "checked.xlsx")
    assert workbook.sheetnames == ["Leave"]
    sheet = workbook["Leave"]
    assert sheet["A1"].value == "Approved leave export (sample)"
    assert [c.value for c in sheet[3]] == [
        "Employee Name",
        "Work Email",
        "Leave Type",
        "Status",
        "First Day",
        "Last Day",
        "Reference",
        "Result",
        "Result code",
        "Message",
        "Sent at",
    ]
    assert sheet["E4"].is_date and sheet["D4"].value == "Approved"
    assert sheet["H4"].value == "Accepted"
    invalid = [n for n in range(4, sheet.max_row + 1) if sheet[f"H{n}"].value == "Not sent"]
    assert invalid and all(str(sheet[f"J{n}"].value).startswith("Needs fixing: ") for n in invalid)

    # With a cell edited, the question comes. Enter on it saves: to the copy saved a moment ago.
    before = original.read_bytes()
    assert window.model is not None
    window.model.setData(index_of(window, 7, "email"), "dara.quinn@example.com")
    window.ask_unsaved = partial(questions.ask_unsaved, window)
    window.ask_replace = partial(questions.ask_replace, window)
    enter = EnterOnDialogs()
    try:
        assert window.may_discard()
    finally:
        enter.stop()
    assert enter.titles == ["Unsaved edits"]
    assert load_workbook(tmp_path / "checked.xlsx")["Leave"]["B7"].value == "dara.quinn@example.com"
    assert original.read_bytes() == before
    # With no copy saved yet, Enter asks for a name (a copy is suggested); given the original's
    # name, Enter on "Replace the original?" says No.
    window.model.setData(index_of(window, 8, "endDate"), "2030-06-12")
    window.save_path = None
    suggested: list[str] = []
    window.ask_save_path = lambda suggestion: suggested.append(suggestion) or str(original)  # type: ignore[func-returns-value]
    enter = EnterOnDialogs()
    try:
        assert not window.may_discard()
    finally:
        enter.stop()
    # pytest-qt closes the window before the fixtures end: no real dialog may come then.
    window.ask_unsaved = lambda name: "discard"
    assert enter.titles == ["Unsaved edits", "Replace the original?"]
    assert suggested == [str(tmp_path / "sample-roster (checked).xlsx")]
    assert original.read_bytes() == before


def test_a_save_that_fails_says_why_in_one_sentence(
    qtbot: QtBot, window: MainWindow, answers: Answers, rosters: Path, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, rosters / "uk-semicolon.csv")
    assert window.model is not None
    window.model.setData(index_of(window, 2, "email"), "zoe@example.co.uk")
    answers.save_path = str(tmp_path / "gone" / "checked.csv")
    assert not window.save_as()
    assert answers.told[-1] == (
        "Not saved",
        "checked.csv could not be saved: No such file or directory. Try another name or folder.",
    )
    # The roster's own encoding cannot hold every character: said, and nothing written.
    window.model.setData(index_of(window, 3, "email"), "\u0142ucja@example.co.uk")
    answers.save_path = str(tmp_path / "checked.csv")
    assert not window.save_as() and not (tmp_path / "checked.csv").exists()
    assert "its own Windows-1252 encoding, which has no '\u0142'" in answers.told[-1][1]
    assert window.dirty and not window.busy()
    answers.save_path = str(tmp_path / "checked.xlsx")  # a workbook holds it
    assert window.save_as() and not window.dirty
    sheet = load_workbook(tmp_path / "checked.xlsx").active
    assert sheet is not None and sheet["B3"].value == "\u0142ucja@example.co.uk"
