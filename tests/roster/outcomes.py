"""What each test roster must give, as the shared rosters' README documents it.

The checks run twice: on the project's own rosters (tests/roster/test_rosters.py, always) and on
the team's shared ones in ../shared/rosters (tests/roster/test_shared_rosters.py, when present).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from calven_desk.roster import Status, load_roster

#: Any day after 2026-11-23 and before 2029-01-01 gives the documented outcomes.
TODAY = date(2026, 11, 24)


def check_seed_example(path: Path) -> None:
    """Row 2 is in the past (warning); row 3, also past, shares row 2's eventId with another
    person, as Calven's own example does: valid, each person's leave kept apart (a warning).

    The shared rosters' README still calls row 3 invalid; Calven's API digest (updated) shows one
    eventId for Bob's and Mary's events in one request, and issue 18 made that valid.
    """
    check = load_roster(path, today=TODAY)
    assert {r.row: r.status for r in check.rows} == {2: Status.WARNING, 3: Status.WARNING}
    row3 = check.rows[1]
    assert any("is shared by 2 people" in p.message for p in row3.problems)
    assert not any(p.severity == "error" for p in row3.problems)
    assert check.summary() == {"rows": 2, "valid": 0, "warning": 2, "invalid": 0, "skipped": 0}


def check_hr_export(path: Path) -> None:
    """Title rows above the header, every kind of date cell, and one row for each rule."""
    check = load_roster(path, today=TODAY)
    assert check.table.header_row == 3
    assert check.mapping.as_json() == {
        "email": "Work Email",
        "timeOffType": "Leave Type",
        "eventType": "Status",
        "startDate": "First Day",
        "endDate": "Last Day",
        # Read since issue 24 (half days, hours); every one-day row of this file says 1 day.
        "days": "Days",
        "eventId": "Reference",
    }
    assert check.date_order.order.value == "dmy" and check.date_order.source == "file"
    rows = {r.row: r for r in check.rows}
    # Row 9 is blank: skipped, not listed.
    assert sorted(rows) == [4, 5, 6, 7, 8, 10, 11, 12, 13, 14]
    assert rows[4].sendable_event == {
        "eventId": "REQ-1001",
        "email": "ana.lima@example.com",
        "eventType": "scheduled",
        "startDate": "2030-03-02",
        "endDate": "2030-03-06",
        "timeOffType": "Annual Leave",
    }
    assert rows[5].status is Status.VALID and rows[5].event["email"] == "Ben.Okafor@example.com"  # type: ignore[index]
    assert rows[6].status is Status.VALID
    assert rows[6].event == {
        "eventId": "REQ-1003",
        "email": "chen.wei@example.com",
        "eventType": "scheduled",
        "startDate": "2030-03-25",
        "endDate": "2030-04-12",
        "timeOffType": "Parental",
    }
    assert rows[7].status is Status.INVALID and rows[7].problems_for("email")
    assert rows[8].status is Status.INVALID and rows[8].problems_for("endDate")
    assert rows[10].status is Status.WARNING
    assert rows[10].event is not None and rows[10].event["eventType"] == "cancelled"
    assert "timeOffType" not in rows[10].event
    assert rows[11].status is Status.WARNING
    assert "past" in rows[11].problems[0].message
    # Issue 24: a request waiting for approval is skipped, not an error (the shared README, written
    # before, calls it invalid).
    assert rows[12].status is Status.SKIPPED and rows[12].skip == "pending"
    assert [p.message for p in rows[12].problems] == ["Waiting for approval (Pending): not sent."]
    assert rows[12].sendable_event is None
    assert rows[13].status is Status.INVALID
    assert "row 5" in rows[13].problems[0].message
    assert rows[14].status is Status.WARNING
    assert (rows[14].event or {})["startDate"] == "2029-09-02"
    assert (rows[14].event or {})["endDate"] == "2029-09-06"
    assert check.summary() == {"rows": 10, "valid": 3, "warning": 3, "invalid": 3, "skipped": 1}


def check_uk_semicolon(path: Path) -> None:
    """Windows-1252 with `;` and day-first dates: all valid, accents intact."""
    check = load_roster(path, today=TODAY)
    assert check.summary() == {"rows": 3, "valid": 3, "warning": 0, "invalid": 0, "skipped": 0}
    events = [r.event or {} for r in check.rows]
    assert events[0]["timeOffType"] == "Congé"
    assert (events[2]["startDate"], events[2]["endDate"]) == ("2031-04-01", "2031-04-30")
    assert check.table.rows[0].cells[0] == "Zoë Brontë"  # names arrive intact, though never sent
