"""Comparing a roster with what Calven holds from us: which rows are new, changed or unchanged, which
held events the roster no longer has, and the cancellations that make Calven's calendar match.

Pure logic over plain data (the roster's events and the held events), so the command line, the
window and the tests share one answer. The rules, from issue 11:
- a row is `new` when its eventId is not held, `unchanged` when held with the identical payload
  (and Calven still keeps its days), `changed` otherwise;
- a changed event first gets a cancellation of the days its old version kept away that no row of
  the person's roster covers (past days left alone: Calven ignores them), then its new version;
- `removed` are held scheduled events with days still kept, no row in this roster, whose person is
  in this roster and whose days overlap its window (earliest start to latest end). Only those are
  ever proposed, so one department's roster never touches another's, nor March's roster June.
A cancellation never frees a day some row of this roster covers for that person: whatever order
the events then reach Calven in, the calendar ends as the roster says.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from typing import Literal

from calven_desk.roster.days import (
    DayRange,
    from_day,
    intersect,
    normalise,
    overlaps,
    parse_range,
    subtract,
)
from calven_desk.store.held import HeldEvent

Change = Literal["new", "changed", "unchanged", "invalid"]
Reason = Literal["moved", "removed"]
#: A fixed namespace, so a cancellation is the same event in a diff, a dry run, a send and a resume.
CANCELLATION_NAMESPACE = uuid.UUID("0b7d8f0e-61c4-4a9e-9f3d-5c2a7e4b1d60")


@dataclass(frozen=True, slots=True)
class RosterEvent:
    """One roster row: its sheet row, its eventId (when known) and its event, None when invalid."""

    row: int
    event_id: str
    event: Mapping[str, str] | None


@dataclass(frozen=True, slots=True)
class RowChange:
    row: int
    event_id: str
    change: Change
    held_since: datetime | None


@dataclass(frozen=True, slots=True)
class Cancellation:
    """A cancelled event this app makes to free days of an event it sent before."""

    event: dict[str, str]
    retracts: str
    reason: Reason
    #: The row whose new version follows it (moved), None for a removed event.
    before_row: int | None = None

    @property
    def event_id(self) -> str:
        return self.event["eventId"]


@dataclass(slots=True)
class Comparison:
    rows: list[RowChange]
    removed: list[HeldEvent]
    moved: list[Cancellation] = field(default_factory=list)
    removal: list[Cancellation] = field(default_factory=list)
    _summary: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def summary(self) -> dict[str, int]:
        """How many rows are new, changed, unchanged, invalid, and how many events were removed.
        Worked out once (the window's comparing thread asks first, so the window, showing it
        after every edit, does not go over 50,000 rows); the comparison is not changed after."""
        if self._summary is None:
            counts = {"new": 0, "changed": 0, "unchanged": 0, "invalid": 0}
            counts.update(Counter(map(attrgetter("change"), self.rows)))
            self._summary = {**counts, "removed": len(self.removed)}
        return dict(self._summary)

    def change_of(self) -> dict[int, RowChange]:
        return {c.row: c for c in self.rows}


def person_of(event: Mapping[str, str]) -> str:
    return event.get("email") or event.get("uid") or ""


def _span(event: Mapping[str, str]) -> DayRange | None:
    return parse_range(event.get("startDate", ""), event.get("endDate", ""))


def cancellation(
    held: HeldEvent, days: DayRange, reason: Reason, before_row: int | None
) -> Cancellation:
    """The cancelled event that frees `days` of `held`, with an eventId derived from what it retracts."""
    first, last = days[0].isoformat(), days[1].isoformat()
    name = f"cancel|{held.event_id}|{held.held_since.isoformat()}|{first}|{last}"
    event_id = str(uuid.uuid5(CANCELLATION_NAMESPACE, name)).upper()
    who = "email" if held.event.get("email") else "uid"
    event = {
        "eventId": event_id,
        who: person_of(held.event),
        "eventType": "cancelled",
        "startDate": first,
        "endDate": last,
    }
    return Cancellation(event, held.event_id, reason, before_row)


class _Roster:
    """The roster's valid events by person: every day a row covers, and the days rows cancel."""

    def __init__(self, rows: Sequence[RosterEvent]) -> None:
        self.days: dict[str, list[DayRange]] = {}
        self.cancelled: dict[str, list[DayRange]] = {}
        spans: list[DayRange] = []
        for row in rows:
            if row.event is None or (span := _span(row.event)) is None:
                continue
            who = person_of(row.event)
            self.days.setdefault(who, []).append(span)
            if row.event.get("eventType") == "cancelled":
                self.cancelled.setdefault(who, []).append(span)
            spans.append(span)
        self.window: DayRange | None = (
            (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
        )
        self.event_ids = {r.event_id for r in rows if r.event_id}

    def free_to_cancel(self, who: str, days: Sequence[DayRange], today: date) -> list[DayRange]:
        """Days that may be freed: not past, and not covered by any row of this person."""
        return from_day(subtract(days, self.days.get(who, [])), today)


def _still_whole(held: HeldEvent, event: Mapping[str, str], roster: _Roster, today: date) -> bool:
    """Whether Calven still keeps every coming day the row books (bar days the roster cancels)."""
    span = _span(event)
    if not held.scheduled or span is None:
        return True
    wanted = subtract(from_day([span], today), roster.cancelled.get(person_of(event), []))
    return not subtract(wanted, held.days)


def compare(rows: Sequence[RosterEvent], held: Sequence[HeldEvent], today: date) -> Comparison:
    """Classify every row against what Calven holds, and work out the cancellations a send needs.

    Rows sharing an eventId are unchanged when Calven holds the last of them. A row Calven holds
    unchanged still counts as changed when an earlier row of the same person
    that will be sent covers some of its days (a booking then its withdrawal, both under one
    request id, or two overlapping leaves): sending the earlier one alone would leave those days
    as the earlier row says, not as the roster ends up saying.
    """
    roster = _Roster(rows)
    held_by_id = {h.event_id: h for h in held}
    result = Comparison([], [])
    sent_days: dict[str, list[DayRange]] = {}  # per person, the days rows to be sent touch
    retracted: set[str] = set()
    # Calven keeps the last event under an id; a roster using one id twice (a booking, then its
    # withdrawal) is as Calven holds it when its last row under that id is.
    last = {r.event_id: r.event for r in rows if r.event is not None}
    for row in rows:
        known = held_by_id.get(row.event_id)
        if row.event is None:
            result.rows.append(RowChange(row.row, row.event_id, "invalid", None))
            continue
        who, span = person_of(row.event), _span(row.event)
        touched = sent_days.get(who, [])
        if known is None:
            change: Change = "new"
        elif (
            dict(known.event) == dict(last[row.event_id] or {})
            and _still_whole(known, row.event, roster, today)
            and not (span is not None and any(overlaps(span, d) for d in touched))
        ):
            change = "unchanged"
        else:
            change = "changed"
        result.rows.append(
            RowChange(row.row, row.event_id, change, known.held_since if known else None)
        )
        if change == "unchanged":
            continue
        if span is not None:
            sent_days.setdefault(who, []).append(span)
        if known is not None and known.scheduled and known.event_id not in retracted:
            retracted.add(known.event_id)
            for days in roster.free_to_cancel(known.person, known.days, today):
                result.moved.append(cancellation(known, days, "moved", row.row))
    if roster.window is None:
        return result
    for candidate in held:
        if (
            not candidate.scheduled
            or candidate.event_id in roster.event_ids
            or candidate.person not in roster.days
            or not any(overlaps(d, roster.window) for d in candidate.days)
        ):
            continue
        inside = intersect(list(candidate.days), [roster.window])
        to_free = roster.free_to_cancel(candidate.person, inside, today)
        if to_free:
            result.removed.append(candidate)
            result.removal.extend(cancellation(candidate, d, "removed", None) for d in to_free)
    return result


def day_count(comparison: Comparison) -> tuple[int, int]:
    """(people, days) the removed events' cancellations would free: what the confirmation names."""
    people = {person_of(c.event) for c in comparison.removal}
    total = 0
    for who in people:
        spans = [
            (c.event["startDate"], c.event["endDate"])
            for c in comparison.removal
            if person_of(c.event) == who
        ]
        ranges = normalise((date.fromisoformat(a), date.fromisoformat(b)) for a, b in spans)
        total += sum((last - first).days + 1 for first, last in ranges)
    return len(people), total


__all__ = [
    "Cancellation",
    "Change",
    "Comparison",
    "RosterEvent",
    "RowChange",
    "cancellation",
    "compare",
    "day_count",
    "person_of",
]
