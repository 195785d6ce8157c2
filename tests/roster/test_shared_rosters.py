"""The project brief's test rosters give exactly what their README promises."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from calven_desk.roster import Status, load_roster

TODAY = date(2026, 11, 24)


def statuses(path: Path) -> dict[int, Status]:
    return {r.row: r.status for r in load_roster(path, today=TODAY).rows}


def test_seed_example(shared_rosters: Path) -> None:
    check = load_roster(shared_rosters / "seed-example.csv", today=TODAY)
    assert statuses(shared_rosters / "seed-example.csv") == {2: Status.WARNING, 3: Status.INVALID}
    row3 = check.rows[1]
    assert any("already used by row 2" in p.message for p in row3.problems)
    assert check.summary() == {"rows": 2, "valid": 0, "warning": 1, "invalid": 1}


def test_hr_export(shared_rosters: Path) -> None:
    check = load_roster(shared_rosters / "hr-export.xlsx", today=TODAY)
    assert check.table.header_row == 3
    assert check.mapping.as_json() == {
        "email": "Work Email",
        "timeOffType": "Leave Type",
        "eventType": "Status",
        "startDate": "First Day",
        "endDate": "Last Day",
        "eventId": "Reference",
    }
    assert check.date_order.order.value == "dmy" and check.date_order.source == "file"
    rows = {r.row: r for r in check.rows}
    assert sorted(rows) == [
        4,
        5,
        6,
        7,
        8,
        10,
        11,
        12,
        13,
        14,
    ]  # row 9 is blank: skipped, not listed
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
    assert rows[12].status is Status.INVALID and rows[12].problems_for("eventType")
    assert rows[13].status is Status.INVALID
    assert "row 5" in rows[13].problems[0].message
    assert rows[14].status is Status.WARNING
    assert (rows[14].event or {})["startDate"] == "2029-09-02"
    assert (rows[14].event or {})["endDate"] == "2029-09-06"
    assert check.summary() == {"rows": 10, "valid": 3, "warning": 3, "invalid": 4}


def test_uk_semicolon(shared_rosters: Path) -> None:
    check = load_roster(shared_rosters / "uk-semicolon.csv", today=TODAY)
    assert check.summary() == {"rows": 3, "valid": 3, "warning": 0, "invalid": 0}
    events = [r.event or {} for r in check.rows]
    assert events[0]["timeOffType"] == "Congé"
    assert (events[2]["startDate"], events[2]["endDate"]) == ("2031-04-01", "2031-04-30")
    assert check.table.rows[0].cells[0] == "Zoë Brontë"  # names arrive intact, though never sent
