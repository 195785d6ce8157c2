"""The sync's rules the window and the command line share: the days a removal frees, each row's
mark, and which rows Submit all ready and Retry failed choose."""

from __future__ import annotations

from calven_desk.calven.outcomes import Outcome
from calven_desk.calven.sync import compare, day_count
from calven_desk.calven.sync_run import calven_marks, failed_rows, ready_rows
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
    assert day_count(comparison) == (2, 8)  # Ana 2-8 March (7 days), Ben 1 day


def test_marks_name_only_the_rows_whose_mark_changes() -> None:
    first, second = doc_row(2), doc_row(3, end="2031-02-05")
    event = dict(first.check.event or {})
    comparison = compare([row(2, event), row(3, second.check.event)], [held(event)], TODAY)
    marks = calven_marks([first, second], comparison)
    assert [(r.check.row, mark) for r, mark, _ in marks] == [(2, "unchanged"), (3, "new")]
    assert marks[0][2] == f"{SINCE.astimezone():%Y-%m-%d}"
    first.calven, first.calven_since = marks[0][1], marks[0][2]
    second.calven = "new"
    assert calven_marks([first, second], comparison) == []


def test_submit_all_ready_leaves_out_what_calven_has_and_what_needs_fixing() -> None:
    ready, broken = doc_row(2), doc_row(3, end="2031-01-15")
    accepted = answered(doc_row(4), Outcome.ACCEPTED, 0)
    rejected = answered(doc_row(5), Outcome.REJECTED, 2)
    unchanged = doc_row(6)
    unchanged.calven = "unchanged"
    table: list[DocumentRow] = [ready, broken, accepted, rejected, unchanged]
    assert ready_rows(table) == [2, 5]
    assert failed_rows(table) == [5]
    assert ready_rows([accepted, unchanged]) is None  # everything ready is already in Calven
    assert ready_rows([accepted]) == []
