"""The editable document remembers what each row's run sent, so "changed since sent" is honest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from calven_desk.roster import document as document_module
from calven_desk.roster import load_roster
from calven_desk.roster.document import RosterDocument
from tests.roster.files import write_csv


@dataclass(frozen=True)
class Answer:
    row: int
    outcome: object = "accepted"


def document(tmp_path: Path) -> RosterDocument:
    roster = write_csv(
        tmp_path / "r.csv",
        [
            ["Email", "Start", "End"],
            ["ana.lima@example.com", "2030-01-01", "2030-01-02"],
            ["bo.chen@example.com", "2030-02-01", "2030-02-02"],
        ],
    )
    return RosterDocument(load_roster(roster, today=date(2026, 1, 1)), today=date(2026, 1, 1))


def sent_now(doc: RosterDocument) -> dict[int, dict[str, str]]:
    return {r.check.row: dict(r.check.event or {}) for r in doc.rows}


def test_an_edit_after_the_answer_is_a_change_and_undoing_it_is_not(tmp_path: Path) -> None:
    doc = document(tmp_path)
    doc.record_results([Answer(2), Answer(3)], sent_now(doc))
    assert not doc.rows[0].changed_since_sent
    doc.set_value(0, "endDate", "2030-01-05")
    assert doc.rows[0].changed_since_sent and not doc.rows[1].changed_since_sent
    doc.set_value(0, "endDate", "2030-01-02")
    assert not doc.rows[0].changed_since_sent


def test_an_edit_made_while_the_row_was_on_its_way_survives_its_answer(tmp_path: Path) -> None:
    doc = document(tmp_path)
    sent = sent_now(doc)  # the run takes the rows as they are...
    doc.set_value(
        1, "startDate", "2030-02-02"
    )  # ...then the person edits one before Calven answers
    doc.record_results([Answer(2), Answer(3)], sent)
    assert [r.changed_since_sent for r in doc.rows] == [False, True]
    # The end of the run records every answer again: the edit still counts.
    doc.record_results([Answer(2), Answer(3)], sent)
    assert [r.changed_since_sent for r in doc.rows] == [False, True]


def test_a_skipped_row_keeps_what_an_earlier_run_sent(tmp_path: Path) -> None:
    doc = document(tmp_path)
    first = sent_now(doc)
    doc.record_results([Answer(2)], {2: first[2]})  # row 3 was skipped: never sent
    doc.record_results([Answer(3, "skipped")], {})
    assert doc.rows[1].sent_event is None
    doc.set_value(1, "endDate", "2030-02-03")
    assert not doc.rows[1].changed_since_sent  # fixed, but Calven never had it: just "Ready"
    # Row 2 was accepted, then edited and skipped by the next run: Calven still has the first.
    doc.set_value(0, "endDate", "2030-01-04")
    doc.record_results([Answer(2, "skipped")], {})
    assert doc.rows[0].sent_event == first[2] and doc.rows[0].changed_since_sent


def test_a_bulk_change_waits_for_its_check_when_the_caller_defers_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window on a large roster checks pasted rows in a worker: the text is there at once,
    the problems come with `put_checked`, and a row changed again keeps its newer check."""
    doc = document(tmp_path)
    doc.defer_cross = True
    changes = [(0, "email", "not-an-address"), (1, "email", "ana.lima@example.com")]
    monkeypatch.setattr(document_module, "RECHECK_LATER", len(changes) - 1)
    doc.set_values(changes)  # type: ignore[arg-type]
    assert doc.cross_pending
    assert [r.check.values["email"] for r in doc.rows] == ["not-an-address", "ana.lima@example.com"]
    assert [r.check.own for r in doc.rows] == [[], []]  # not checked yet
    waiting = doc.take_unchecked()
    assert [row.check.row for row, _ in waiting] == [2, 3]
    doc.set_value(1, "email", "bo.chen@example.com")  # changed again before the check is back
    doc.put_checked([(row, old, doc.checked(old.row, old.values)) for row, old in waiting])
    assert doc.rows[0].check.own  # the bad address, found by the deferred check
    assert doc.rows[1].check.values["email"] == "bo.chen@example.com"  # the newer edit stays


def test_changed_since_names_the_rows_given_a_new_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the user-list check visits after a change instead of every row: edited, pasted,
    added and restored rows; a deletion alone changes no row's check."""
    doc = document(tmp_path)
    start = doc.changes
    doc.set_value(0, "email", "new.person@example.com")
    assert doc.changed_since(start) == [doc.rows[0]]
    mark = doc.changes
    removed = doc.remove_rows([0])
    assert doc.changed_since(mark) == []
    doc.restore_rows(removed)
    doc.set_values([(0, "email", "a@example.com"), (1, "email", "b@example.com")])
    doc.insert_row(0)
    first, second = doc.rows[1], doc.rows[2]
    assert doc.changed_since(mark) == [first, first, second, doc.rows[0]]
    monkeypatch.setattr(document_module, "CHANGE_LOG", 1)
    doc.set_value(1, "email", "c@example.com")
    doc.set_value(1, "email", "d@example.com")
    assert doc.changed_since(start) is None  # too long ago: look at every row
    assert doc.changed_since(doc.changes) == []


def test_edited_cells_are_told_from_the_files_own(tmp_path: Path) -> None:
    """Issue 19: only edited cells change when the roster is saved, and only edits are unsaved."""
    doc = document(tmp_path)
    assert not doc.has_edits() and doc.edited_fields(doc.rows[0]) == []
    doc.record_results([Answer(2)], sent_now(doc))  # a run's answer is no edit
    assert not doc.has_edits()
    doc.set_value(0, "endDate", "2030-01-05")
    assert doc.has_edits() and doc.edited_fields(doc.rows[0]) == ["endDate"]
    doc.set_value(0, "endDate", "2030-01-02")  # back as the file has it
    assert not doc.has_edits()
    removed = doc.remove_rows([1])
    assert doc.has_edits()
    doc.restore_rows(removed)
    assert not doc.has_edits()
    doc.insert_row(2)
    assert doc.has_edits() and doc.edited_fields(doc.rows[2]) == ["email", "startDate", "endDate"]


def test_recovered_edits_are_still_edits(tmp_path: Path) -> None:
    doc = document(tmp_path)
    doc.set_value(1, "email", "bo.chen@example.org")
    again = document_module.from_snapshot(document_module.snapshot(doc), today=date(2026, 1, 1))
    assert [again.edited_fields(r) for r in again.rows] == [[], ["email"]]
    # A recovery file from before issue 19 does not say what the file had: all of it counts.
    old = document_module.snapshot(doc)
    for row in old["rows"]:  # type: ignore[attr-defined]
        del row["read"]
    legacy = document_module.from_snapshot(old, today=date(2026, 1, 1))
    assert legacy.edited_fields(legacy.rows[0]) == ["email", "startDate", "endDate"]


def test_reading_the_dates_again_keeps_edits_and_findings(tmp_path: Path) -> None:
    from calven_desk.roster import DateOrder, DateOrderDecision, OrderChoices
    from calven_desk.roster.model import DirectoryProblem

    roster = write_csv(
        tmp_path / "r.csv",
        [
            ["Email", "Start", "End"],
            ["a@example.com", "01/02/2031", "02/02/2031"],
            ["b@example.com", "03/04/2031", "05/04/2031"],
        ],
    )
    today = date(2026, 1, 1)
    doc = RosterDocument(
        load_roster(roster, today=today, date_order=OrderChoices(DateOrder.DMY, "asked")), today
    )
    doc.set_value(1, "endDate", "2031-04-09")
    finding = DirectoryProblem("email", "warning", "Calven does not know a@example.com.")
    doc.rows[0].check.directory = [finding]
    done = doc.reread_dates(DateOrderDecision(DateOrder.MDY, "asked"))
    assert doc.rows[0].check.values["startDate"] == "2031-02-01"  # nothing changed yet
    doc.put_reread(DateOrderDecision(DateOrder.MDY, "asked"), done)
    assert doc.date_order.order is DateOrder.MDY
    assert (doc.rows[0].check.values["startDate"], doc.rows[0].check.values["endDate"]) == (
        "2031-01-02",
        "2031-02-02",
    )
    assert doc.rows[0].check.directory == [finding]
    # The edited end date stays as typed; the start beside it is read the new way.
    assert (doc.rows[1].check.values["startDate"], doc.rows[1].check.values["endDate"]) == (
        "2031-03-04",
        "2031-04-09",
    )
    assert doc.edited_fields(doc.rows[1]) == ["endDate"] and doc.edited_fields(doc.rows[0]) == []
