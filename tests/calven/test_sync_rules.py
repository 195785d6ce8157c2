"""The sync's rules the window and the command line share: the days a removal frees, each row's
mark, and which rows Submit all ready and Retry failed choose."""

from __future__ import annotations

from calven_desk.calven.outcomes import Outcome
from calven_desk.calven.row_status import row_state
from calven_desk.calven.sync import compare, day_count
from calven_desk.calven.sync_run import apply_marks, calven_marks, failed_rows
from calven_desk.roster.document import DocumentRow
from tests.calven.test_row_status import answered, doc_row
from tests.calven.test_sync import SINCE, TODAY, ev, held, row


def test_the_days_removed_leave_frees_count_each_person_and_day_once() -> None:
    ana = ev("A", "2031-03-02", "2031-03-06")
    overlapping = ev("B", "2031-03-05", "2031-03-08")
    ben = ev("C", "2031-03-10", "2031-03-10", who="ben@x.io")
    roster = [
        row(2, ev("K", "2031-03-01", "2031-03-01")),
        row(3, ev("L", "2031-03-31", "2031-03-31", who="ben@x.io")),
    ]
    comparison = compare(roster, [held(ana), held(overlapping), held(ben)], TODAY)
    assert len(comparison.removal) == 3
    assert day_count(comparison.removal) == (2, 8)  # Ana 2-8 March (7 days), Ben 1 day


def test_marks_name_only_the_rows_whose_mark_changes() -> None:
    first, second = doc_row(2), doc_row(3, end="2031-02-05")
    event = dict(first.check.event or {})
    comparison = compare([row(2, event), row(3, second.check.event)], [held(event)], TODAY)
    marks = calven_marks([first, second], comparison)
    assert [(r.check.row, mark) for r, mark, *_ in marks] == [(2, "unchanged"), (3, "new")]
    assert marks[0][2] == f"{SINCE.astimezone():%Y-%m-%d}"
    apply_marks(marks)
    assert first.calven_state() == "unchanged" and second.calven_state() == "new"
    assert calven_marks([first, second], comparison) == []


def test_a_mark_never_outlives_an_edit_of_its_row() -> None:
    """A comparison that lands after an edit describes the row before it: no stale mark."""
    first = doc_row(2)
    event = dict(first.check.event or {})
    apply_marks(calven_marks([first], compare([row(2, event)], [held(event)], TODAY)))
    assert first.calven_state() == "unchanged"
    edited = doc_row(2, end="2031-02-09")
    first.check = edited.check  # the edit's re-check
    assert first.calven_state() is None
    assert row_state(first).word == "Ready"


def test_retry_failed_takes_rejected_unsent_and_unconfirmed_rows() -> None:
    ready = doc_row(2)
    accepted = answered(doc_row(4), Outcome.ACCEPTED, 0)
    rejected = answered(doc_row(5), Outcome.REJECTED, 2)
    unsent = answered(doc_row(6), Outcome.NOT_SENT)
    lost = answered(doc_row(7), Outcome.UNCONFIRMED)
    table: list[DocumentRow] = [ready, accepted, rejected, unsent, lost]
    assert failed_rows(table) == [5, 6, 7]
    assert row_state(lost).word == "Sent, not confirmed"
