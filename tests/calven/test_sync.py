"""The comparison of a roster with what Calven holds: pure rules, checked on plain data."""

from __future__ import annotations

from datetime import UTC, date, datetime

from calven_desk.calven.sync import Cancellation, RosterEvent, compare
from calven_desk.store.held import HeldEvent

SINCE = datetime(2030, 12, 1, 9, 30, tzinfo=UTC)
TODAY = date(2031, 1, 1)


def ev(event_id: str, first: str, last: str, who: str = "a@x.io", **more: str) -> dict[str, str]:
    key = "uid" if "@" not in who else "email"
    return {
        "eventId": event_id,
        key: who,
        "eventType": more.get("kind", "scheduled"),
        "startDate": first,
        "endDate": last,
        **({"timeOffType": more["type"]} if "type" in more else {}),
    }


def held(event: dict[str, str], days: list[tuple[str, str]] | None = None) -> HeldEvent:
    spans = days if days is not None else [(event["startDate"], event["endDate"])]
    ranges = tuple((date.fromisoformat(a), date.fromisoformat(b)) for a, b in spans)
    if event["eventType"] != "scheduled":
        ranges = ()
    return HeldEvent(event["eventId"], event, ranges, SINCE, 1)


def row(number: int, event: dict[str, str] | None, event_id: str = "") -> RosterEvent:
    return RosterEvent(number, event["eventId"] if event else event_id, event)


def spans(cancellations: list[Cancellation]) -> list[tuple[str, str, str, str]]:
    return [(c.retracts, c.reason, c.event["startDate"], c.event["endDate"]) for c in cancellations]


def test_new_unchanged_changed_and_invalid() -> None:
    a = ev("A", "2031-02-01", "2031-02-03", type="Annual")
    b = ev("B", "2031-02-10", "2031-02-10", type="Annual")
    result = compare(
        [
            row(2, a),
            row(3, {**b, "timeOffType": "Sick"}),
            row(4, ev("C", "2031-03-01", "2031-03-01")),
            row(5, None, "D"),
        ],
        [held(a), held(b)],
        TODAY,
    )
    assert [(c.row, c.change, c.held_since) for c in result.rows] == [
        (2, "unchanged", SINCE),
        (3, "changed", SINCE),
        (4, "new", None),
        (5, "invalid", None),
    ]
    assert result.summary() == {
        "new": 1,
        "changed": 1,
        "unchanged": 1,
        "unconfirmed": 0,
        "invalid": 1,
        "skipped": 0,
        "removed": 0,
        "moved": 0,
    }
    assert result.moved == []  # same days, another leave type: nothing to free


def test_a_shortened_event_frees_one_or_two_ranges_before_its_new_version() -> None:
    old = ev("A", "2031-02-01", "2031-02-10")
    result = compare([row(7, ev("A", "2031-02-04", "2031-02-06"))], [held(old)], TODAY)
    assert spans(result.moved) == [
        ("A", "moved", "2031-02-01", "2031-02-03"),
        ("A", "moved", "2031-02-07", "2031-02-10"),
    ]
    assert {c.before_row for c in result.moved} == {7}
    first, second = result.moved
    assert first.event["eventType"] == "cancelled" and first.event["email"] == "a@x.io"
    assert first.event_id != second.event_id
    # Derived, so a diff, a dry run, a send and a resume all name the same cancellation.
    again = compare([row(7, ev("A", "2031-02-04", "2031-02-06"))], [held(old)], TODAY)
    assert [c.event_id for c in again.moved] == [c.event_id for c in result.moved]


def test_past_days_are_left_alone() -> None:
    old = ev("A", "2031-02-01", "2031-02-10")
    moved = [row(2, ev("A", "2031-02-08", "2031-02-12"))]
    # Wholly in the past: nothing is cancelled; partly: only the days from today.
    assert compare(moved, [held(old)], date(2031, 2, 8)).moved == []
    assert spans(compare(moved, [held(old)], date(2031, 2, 5)).moved) == [
        ("A", "moved", "2031-02-05", "2031-02-07")
    ]


def test_a_cancellation_never_frees_days_another_row_books() -> None:
    old = ev("A", "2031-02-01", "2031-02-10")
    other = ev("B", "2031-02-08", "2031-02-09")
    result = compare(
        [row(2, other), row(3, ev("A", "2031-02-01", "2031-02-03"))],
        [held(old), held(other)],
        TODAY,
    )
    assert spans(result.moved) == [
        ("A", "moved", "2031-02-04", "2031-02-07"),
        ("A", "moved", "2031-02-10", "2031-02-10"),
    ]


def test_another_persons_leave_under_the_same_event_id_is_never_touched() -> None:
    """Team A sent Anna's R1; team B's roster has Ben under R1 and no Anna: Ben's row is new, and
    Anna's leave is neither changed, moved nor cancelled (an eventId names an answer, not a
    person's leave)."""
    anna = ev("R1", "2031-02-01", "2031-02-05", who="anna@x.io")
    ben = ev("R1", "2031-02-01", "2031-02-02", who="ben@x.io")
    result = compare([row(2, ben)], [held(anna)], TODAY)
    assert [(c.change, c.held_since) for c in result.rows] == [("new", None)]
    assert result.moved == [] and result.removed == [] and result.removal == []
    # With Anna in the roster too (another leave), her R1 has left the roster: proposed as
    # removed, for her alone, and only ever sent when asked (--cancel-removed).
    other = ev("R9", "2031-02-10", "2031-02-10", who="anna@x.io")
    result = compare([row(2, ben), row(3, other)], [held(anna)], TODAY)
    assert [(left.person, left.reason) for left in result.removed] == [("anna@x.io", "removed")]
    assert [c.event.get("email") for c in result.removal] == ["anna@x.io"]
    assert result.moved == []


def test_one_event_id_for_several_people_keeps_each_persons_leave_apart() -> None:
    """A company closure under one Request ID: each person's row compares with their own."""
    closure = [ev("XMAS", "2031-12-24", "2031-12-26", who=f"p{i}@x.io") for i in range(3)]
    moved = ev("XMAS", "2031-12-27", "2031-12-29", who="p2@x.io")
    result = compare(
        [row(2, closure[0]), row(3, closure[1]), row(4, moved)],
        [held(e) for e in closure],
        TODAY,
    )
    assert [c.change for c in result.rows] == ["unchanged", "unchanged", "changed"]
    assert spans(result.moved) == [("XMAS", "moved", "2031-12-24", "2031-12-26")]
    assert result.moved[0].event["email"] == "p2@x.io"


def test_removed_only_within_the_rosters_people_and_window() -> None:
    roster = [
        row(2, ev("A", "2031-03-01", "2031-03-05")),
        row(3, ev("U", "2031-03-20", "2031-03-31", who="U-17")),
    ]
    gone = ev("G", "2031-03-10", "2031-03-12")
    straddles = ev("S", "2031-02-25", "2031-03-02", who="U-17")
    other_team = ev("O", "2031-03-10", "2031-03-12", who="other@x.io")
    june = ev("J", "2031-06-01", "2031-06-05")
    withdrawn = ev("W", "2031-03-14", "2031-03-15", kind="cancelled")
    freed = ev("F", "2031-03-16", "2031-03-17")
    result = compare(
        roster,
        [
            held(ev("A", "2031-03-01", "2031-03-05")),
            held(gone),
            held(straddles),
            held(other_team),
            held(june),
            held(withdrawn),
            held(freed, days=[]),
        ],
        TODAY,
    )
    assert [(left.held.event_id, left.reason) for left in result.removed] == [
        ("G", "removed"),
        ("S", "removed"),
    ]
    # Only the days inside the roster's window (1 to 31 March) are cancelled.
    assert spans(result.removal) == [
        ("G", "removed", "2031-03-10", "2031-03-12"),
        ("S", "removed", "2031-03-01", "2031-03-02"),
    ]
    assert result.removal[1].event["uid"] == "U-17" and "email" not in result.removal[1].event
    assert all(c.before_row is None for c in result.removal)


def test_an_event_the_rosters_cancellation_frees_is_not_proposed_again() -> None:
    booked = ev("OLD", "2031-03-01", "2031-03-03")
    withdrawn = ev("NEW", "2031-03-01", "2031-03-03", kind="cancelled")
    result = compare([row(2, withdrawn)], [held(booked)], TODAY)
    assert result.removed == [] and [c.change for c in result.rows] == ["new"]


def test_a_held_event_whose_days_were_freed_is_changed_not_unchanged() -> None:
    booked = ev("A", "2031-03-01", "2031-03-05")
    shrunk = held(booked, days=[("2031-03-01", "2031-03-02")])
    assert [c.change for c in compare([row(2, booked)], [shrunk], TODAY).rows] == ["changed"]
    # ... unless the roster itself cancels those days.
    cancel = ev("C", "2031-03-03", "2031-03-05", kind="cancelled")
    result = compare([row(2, booked), row(3, cancel)], [shrunk, held(cancel)], TODAY)
    assert [c.change for c in result.rows] == ["unchanged", "unchanged"]


def test_a_row_after_a_resent_row_of_the_same_days_is_sent_again() -> None:
    """A booking and its withdrawal under one request id: Calven last got the withdrawal. When the
    booking goes again (it differs from what is held), the withdrawal must follow it, or the
    person would stay away on days the roster frees."""
    booked = ev("REQ-1", "2031-03-01", "2031-03-03")
    withdrawn = ev("REQ-1", "2031-03-01", "2031-03-03", kind="cancelled")
    other = ev("REQ-2", "2031-05-01", "2031-05-01")
    roster = [row(2, booked), row(3, withdrawn), row(4, other)]
    # Calven holds the withdrawal, as the roster ends: nothing to send, time after time.
    result = compare(roster, [held(withdrawn), held(other)], TODAY)
    assert [c.change for c in result.rows] == ["unchanged", "unchanged", "unchanged"]
    # Calven holds the booking (the withdrawal was refused): both go again, in order.
    result = compare(roster, [held(booked), held(other)], TODAY)
    assert [c.change for c in result.rows] == ["changed", "changed", "unchanged"]
    # Another booking of the same days before it, sent anew, brings the withdrawal along.
    again = ev("REQ-9", "2031-03-02", "2031-03-02")
    result = compare([row(1, again), *roster], [held(withdrawn), held(other)], TODAY)
    assert [c.change for c in result.rows] == ["new", "changed", "changed", "unchanged"]
