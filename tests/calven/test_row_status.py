"""What a row's status says, how rows are counted and which rows each filter shows: pure rules."""

from __future__ import annotations

from datetime import date

from calven_desk.calven.outcomes import Outcome, RowOutcome
from calven_desk.calven.row_status import (
    ALL_FILTERS,
    NOT_IN_CALVEN,
    add_row,
    count_rows,
    matches_filter,
    row_state,
)
from calven_desk.roster import DateOrder, Field
from calven_desk.roster.check import check_values
from calven_desk.roster.directory_check import UNKNOWN
from calven_desk.roster.document import DocumentRow
from calven_desk.roster.model import DirectoryProblem

TODAY = date(2031, 1, 1)


def doc_row(
    number: int, email: str = "a@example.com", end: str = "2031-02-03", status: str = "scheduled"
) -> DocumentRow:
    values: dict[Field, str] = {
        "email": email,
        "eventType": status,
        "startDate": "2031-02-01",
        "endDate": end,
    }
    check = check_values(number, values, order=DateOrder.DMY, today=TODAY, mapped=set(values))
    return DocumentRow(check, ())


def answered(row: DocumentRow, outcome: Outcome, code: int | None = None) -> DocumentRow:
    row.result = RowOutcome(row.check.row, "E", outcome, code, "said")
    row.sent_event = row.check.event
    return row


def rows() -> list[DocumentRow]:
    ready = doc_row(2)
    broken = doc_row(3, end="2031-01-15")  # ends before it starts
    accepted = answered(doc_row(4), Outcome.ACCEPTED, 0)
    rejected = answered(doc_row(5), Outcome.REJECTED, 2)
    unsent = answered(doc_row(6), Outcome.NOT_SENT)
    held = doc_row(7)
    held.calven, held.calven_since, held.calven_check = "unchanged", "2030-12-01", held.check
    stranger = doc_row(8, email="who@example.com")
    stranger.check.directory = [DirectoryProblem("email", "warning", "unknown", UNKNOWN)]
    pending = doc_row(9, status="beantragt")  # issue 24: not for Calven
    return [ready, broken, accepted, rejected, unsent, held, stranger, pending]


def test_each_row_says_its_state_in_words_with_a_colour_and_an_icon() -> None:
    words = [(s.word, s.colour, s.icon) for s in map(row_state, rows())]
    assert words == [
        ("Ready", "ready", "ready"),
        ("Needs fixing", "invalid", "invalid"),
        ("Accepted", "accepted", "accepted"),
        ("Rejected (code 2)", "code2", "rejected"),
        ("Not sent", "not_sent", "not_sent"),
        ("Already in Calven since 2030-12-01", "accepted", "accepted"),
        ("Ready, with a warning", "warning", "warning"),
        ("Skipped: waiting for approval (beantragt)", "skipped", "skipped"),
    ]
    assert row_state(rows()[0], sending=True).word == "Sending…"


def test_an_edit_after_sending_makes_an_answered_row_ready_again() -> None:
    row = answered(doc_row(4), Outcome.ACCEPTED, 0)
    row.sent_event = {**(row.check.event or {}), "endDate": "2031-02-09"}
    row.compare_with_sent()
    assert row_state(row).word == "Ready (changed since sent)"


def test_counts_add_up_and_move_with_each_row() -> None:
    table = rows()
    counts = count_rows(table)
    # The skipped row is neither ready nor a problem: it is counted as skipped only.
    assert counts == {
        "rows": 8,
        "ready": 6,
        "problems": 2,
        "problem items": 2,
        "Accepted": 1,
        "Rejected": 1,
        "Not sent": 1,
        "skipped": 1,
    }
    add_row(counts, table[1], -1)
    assert counts["rows"] == 7 and counts["problems"] == 1 and counts["ready"] == 6
    add_row(counts, table[7], -1)
    assert counts["rows"] == 6 and counts["skipped"] == 0 and counts["ready"] == 6


def test_each_filter_shows_its_rows() -> None:
    table = rows()
    shown = {
        name: [r.check.row for r in table if matches_filter(row_state(r), r, name)]
        for name in ALL_FILTERS
    }
    assert shown == {
        "All": [2, 3, 4, 5, 6, 7, 8, 9],
        "Problems": [3, 8],
        "Ready": [2, 6, 8],
        "Not sent": [6],
        "Accepted": [4],
        "Rejected": [5],
        "New": [],
        "Changed since sent": [],
        "Already in Calven": [7],
        "Skipped": [9],
        NOT_IN_CALVEN: [8],
    }
