"""Row rules: identity, event types, dates, ids, and the clashes between rows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from calven_desk.roster import (
    DateOrder,
    Status,
    check_values,
    cross_check,
)
from calven_desk.roster.identity import derive_event_id, is_valid_email

TODAY = date(2026, 11, 24)


def row(number: int = 2, **cells: Any) -> Any:
    base: dict[str, Any] = {
        "email": "a@example.com",
        "startDate": "2030-01-02",
        "endDate": "2030-01-03",
    }
    base.update(cells)
    return check_values(number, base, order=DateOrder.DMY, today=TODAY)


@pytest.mark.parametrize(
    "address",
    ["a@example.com", "First.Last+tag@sub.example.co.uk", "o'neil@example.ie", "x_y@ex-ample.org"],
)
def test_valid_emails(address: str) -> None:
    assert is_valid_email(address)


@pytest.mark.parametrize(
    "address",
    [
        "dara.quinn@example",
        "a@@example.com",
        "a b@example.com",
        "@example.com",
        "a@.com",
        "a..b@example.com",
        ".a@example.com",
        "a@example.c",
        "a@-x.com",
    ],
)
def test_invalid_emails(address: str) -> None:
    assert not is_valid_email(address)


def test_email_is_trimmed_but_its_case_kept() -> None:
    check = row(email="  Ben.Okafor@Example.com ")
    assert check.values["email"] == "Ben.Okafor@Example.com"
    assert (check.event or {})["email"] == "Ben.Okafor@Example.com"


def test_uid_instead_of_email_and_neither() -> None:
    check = check_values(
        2,
        {"uid": " U123 ", "startDate": "2030-01-02", "endDate": "2030-01-02"},
        order=DateOrder.DMY,
        today=TODAY,
    )
    assert check.status is Status.VALID and (check.event or {})["uid"] == "U123"
    none = row(email="")
    assert none.status is Status.INVALID and "whose leave" in none.problems[0].message


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Approved", "scheduled"),
        ("BOOKED", "scheduled"),
        ("taken", "scheduled"),
        ("planned", "scheduled"),
        ("Confirmed", "scheduled"),
        ("Canceled", "cancelled"),
        ("withdrawn", "cancelled"),
        ("deleted", "cancelled"),
        ("scheduled", "scheduled"),
        ("CANCELLED", "cancelled"),
    ],
)
def test_event_type_synonyms(given: str, expected: str) -> None:
    check = row(eventType=given)
    assert check.status is Status.VALID and (check.event or {})["eventType"] == expected


def test_event_type_empty_missing_and_unknown() -> None:
    assert row(eventType="").status is Status.WARNING
    assert (row().event or {})["eventType"] == "scheduled"  # no column: scheduled, no warning
    assert row().status is Status.VALID
    assert row(eventType="Unknown word").status is Status.INVALID


@pytest.mark.parametrize("word", ["Pending", "Requested", "awaiting approval"])
def test_pending_is_skipped_not_an_error(word: str) -> None:
    """Issue 24: a request nobody approved yet is not leave; HR has nothing to fix."""
    check = row(eventType=word)
    assert check.status is Status.SKIPPED and check.skip == "pending"
    assert check.sendable_event is None
    assert [p.severity for p in check.problems] == ["info"]
    assert check.problems[0].message == f"Waiting for approval ({word}): not sent."


@pytest.mark.parametrize("word", ["Rejected", "declined", "Denied"])
def test_refused_is_skipped_not_sent_as_a_cancellation(word: str) -> None:
    """Issue 24: `rejected` was sent as a cancellation; a refused request is no leave either."""
    check = row(eventType=word)
    assert check.status is Status.SKIPPED and check.skip == "refused"
    assert check.sendable_event is None
    assert check.problems[0].message == f"Refused ({word}): not sent."


def test_time_off_type_only_on_scheduled() -> None:
    assert (row(timeOffType=" Sick ").event or {})["timeOffType"] == "Sick"
    assert "timeOffType" not in (row(timeOffType="Sick", eventType="withdrawn").event or {})


def test_dates() -> None:
    assert row(endDate="2030-01-01").problems_for("endDate")[0].severity == "error"
    assert row(startDate="").status is Status.INVALID
    past = row(startDate="2019-01-01", endDate="2019-01-02")
    assert past.status is Status.WARNING and "past" in past.problems[0].message
    timed = row(startDate="2030-01-02 13:00")
    assert timed.status is Status.WARNING and timed.values["startDate"] == "2030-01-02"


def test_missing_date_column_is_an_error_on_every_row() -> None:
    check = check_values(
        2, {"email": "a@example.com", "startDate": "2030-01-02"}, order=DateOrder.DMY, today=TODAY
    )
    assert "no end date column" in check.problems_for("endDate")[0].message


def test_derived_event_id_is_stable_upper_case_and_depends_on_the_event() -> None:
    first, again = row(), row(number=9)
    event_id = (first.event or {})["eventId"]
    assert event_id == (again.event or {})["eventId"] == event_id.upper()
    assert len(event_id) == 36
    assert event_id == derive_event_id("a@example.com", "scheduled", "2030-01-02", "2030-01-03")
    assert (row(endDate="2030-01-04").event or {})["eventId"] != event_id
    assert (row(eventId=" REQ-1 ").event or {})["eventId"] == "REQ-1"
    assert (row(eventId=1001.0).event or {})["eventId"] == "1001"


def test_duplicates_ids_and_overlaps() -> None:
    rows = [
        row(2),
        row(3),  # duplicate of 2
        row(4, eventId="R1", startDate="2030-02-01", endDate="2030-02-10"),
        row(5, eventId="R1", email="b@example.com", startDate="2030-03-01", endDate="2030-03-02"),
        row(6, eventId="R1", eventType="withdrawn", startDate="2030-02-01", endDate="2030-02-10"),
        row(7, startDate="2030-02-05", endDate="2030-02-06"),  # overlaps 4
        row(8, email="b@example.com", startDate="2030-01-02", endDate="2030-01-03"),
    ]
    cross_check(rows)
    by = {r.row: r for r in rows}
    assert by[2].status is Status.VALID
    assert by[3].status is Status.INVALID and by[3].cross[0].message.startswith(
        "Duplicate of row 2"
    )
    assert len(by[3].cross) == 1  # a duplicate is reported as a duplicate only
    # One eventId for two people is valid (Calven's own example does it): a warning, said once.
    assert by[5].status is Status.WARNING
    assert by[5].cross[0].message == "R1 is shared by 2 people; each person's leave is kept apart."
    assert by[4].cross[-1] is by[5].cross[0] and by[6].cross[-1] is by[5].cross[0]
    assert by[6].status is Status.WARNING and "same person" in by[6].cross[0].message
    assert "Overlaps the leave in row 7" in by[4].cross[0].message
    assert "Overlaps the leave in row 4" in by[7].cross[0].message
    assert by[8].status is Status.VALID  # another person's same dates are no clash
    # An edit that removes the clash clears it on the next pass.
    rows[1] = row(3, startDate="2031-01-01", endDate="2031-01-01")
    cross_check(rows)
    assert by[2].status is Status.VALID and rows[1].status is Status.VALID
