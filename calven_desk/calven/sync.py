"""Comparing a roster with what Calven holds from us: which rows are new, changed, unchanged or
unconfirmed, what Calven still keeps that the roster no longer says, and the cancellations that make
Calven's calendar match.

Pure logic over plain data (the roster's events and the held events), so the command line, the
window and the tests share one answer. Everything is per person: a row compares with, changes and
cancels only the leave of its own person (email or uid exactly as sent) under its own eventId;
another person's leave under the same eventId is theirs. The rules:
- a row is `new` when Calven holds nothing of its person under its eventId; `unchanged` when the
  version Calven accepted last is the row's exact event, Calven still keeps every coming day it
  books, and no older version keeps days the roster no longer has; `unconfirmed` when the row's
  event was sent but never answered (Calven may hold it: sending it again is harmless);
  `changed` otherwise;
- a row that is sent is preceded by cancellations of the days its event's other versions still keep
  that no row of the person's roster covers (past days left alone: Calven ignores them);
- what is left behind: `moved` are days an earlier version of a row's event still keeps after the
  row's own version was accepted (their cancellation was refused, unanswered or never sent);
  `removed` are held events with no row of their person in this roster, whose person is in this
  roster and whose days overlap its window (earliest start to latest end). Only those are ever
  proposed, so one department's roster never touches another's, nor March's roster June.
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

from calven_desk.roster import RosterCheck, Status
from calven_desk.roster.days import (
    DayRange,
    from_day,
    intersect,
    normalise,
    overlaps,
    parse_range,
    subtract,
)
from calven_desk.store.held import HeldEvent, person_of
from calven_desk.store.journal import Journal

Change = Literal["new", "changed", "unchanged", "unconfirmed", "invalid", "skipped"]
Reason = Literal["moved", "removed"]
#: A fixed namespace, so a cancellation is the same event in a diff, a dry run, a send and a resume.
CANCELLATION_NAMESPACE = uuid.UUID("0b7d8f0e-61c4-4a9e-9f3d-5c2a7e4b1d60")
#: (person, eventId): what a roster row and a held event are kept by.
Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class RosterEvent:
    """One roster row: its sheet row, its eventId (when known) and its event, None when invalid.

    `skip`: the row is not for Calven (issue 24): "pending" (its event is the booking it would be:
    what Calven holds under its person and eventId is left as it is), "refused" (its event is the
    cancellation of that booking: it frees what Calven holds, as a withdrawal does, and is
    skipped when Calven holds nothing), or "short" (nothing of it is followed)."""

    row: int
    event_id: str
    event: Mapping[str, str] | None
    skip: str | None = None


@dataclass(frozen=True, slots=True)
class RowChange:
    row: int
    event_id: str
    change: Change
    held_since: datetime | None
    #: Calven still keeps days of an earlier version of this row's event ("old days still in
    #: Calven"): the row is sent again with their cancellation.
    old_days: bool = False
    #: Who sent the version Calven holds, in words, when known.
    sent_by: str = ""


@dataclass(frozen=True, slots=True)
class Cancellation:
    """A cancelled event this app makes to free days of an event it sent before."""

    event: dict[str, str]
    retracts: str
    reason: Reason
    #: The row whose new version follows it (moved), None for a removed event.
    before_row: int | None = None
    #: Frees days left behind (listed in `Comparison.removed`), rather than the old days of a row
    #: whose change is being sent: "Cancel these in Calven…" sends these even without the row.
    left_behind: bool = False

    @property
    def event_id(self) -> str:
        return self.event["eventId"]


@dataclass(frozen=True, slots=True)
class LeftBehind:
    """Days Calven keeps that the roster no longer says: an older version of a row's event
    (`moved`: the row is `row`) or leave that left the roster (`removed`)."""

    held: HeldEvent
    reason: Reason
    #: The days a cancellation would free (coming days no row of the person covers).
    days: tuple[DayRange, ...]
    row: int | None = None

    @property
    def person(self) -> str:
        return self.held.person


@dataclass(slots=True)
class Comparison:
    rows: list[RowChange]
    removed: list[LeftBehind]
    moved: list[Cancellation] = field(default_factory=list)
    removal: list[Cancellation] = field(default_factory=list)
    _summary: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def summary(self) -> dict[str, int]:
        """How many rows are new, changed, unchanged, unconfirmed, invalid; how many held events
        left the roster (`removed`) and how many older versions still keep days (`moved`).
        Worked out once (the window's comparing thread asks first, so the window, showing it
        after every edit, does not go over 50,000 rows); the comparison is not changed after."""
        if self._summary is None:
            counts = {
                "new": 0,
                "changed": 0,
                "unchanged": 0,
                "unconfirmed": 0,
                "invalid": 0,
                "skipped": 0,
            }
            counts.update(Counter(map(attrgetter("change"), self.rows)))
            reasons = Counter(left.reason for left in self.removed)
            self._summary = {**counts, "removed": reasons["removed"], "moved": reasons["moved"]}
        return dict(self._summary)

    def change_of(self) -> dict[int, RowChange]:
        return {c.row: c for c in self.rows}

    def left_behind(self) -> list[Cancellation]:
        """The cancellations of everything listed in `removed` (moved and removed)."""
        return [*(c for c in self.moved if c.left_behind), *self.removal]


def _span(event: Mapping[str, str]) -> DayRange | None:
    return parse_range(event.get("startDate", ""), event.get("endDate", ""))


def cancellation(
    held: HeldEvent,
    days: DayRange,
    reason: Reason,
    before_row: int | None,
    left_behind: bool = False,
) -> Cancellation:
    """The cancelled event that frees `days` of `held`, with an eventId derived from what it
    retracts (the person too: two people's leave under one eventId are cancelled apart)."""
    first, last = days[0].isoformat(), days[1].isoformat()
    name = f"cancel|{held.person}|{held.event_id}|{held.held_since.isoformat()}|{first}|{last}"
    event_id = str(uuid.uuid5(CANCELLATION_NAMESPACE, name)).upper()
    who = "email" if held.event.get("email") else "uid"
    event = {
        "eventId": event_id,
        who: held.person,
        "eventType": "cancelled",
        "startDate": first,
        "endDate": last,
    }
    return Cancellation(event, held.event_id, reason, before_row, left_behind)


class _Roster:
    """The roster's valid events by person: every day a row covers, and the days it wants each
    person away, applying the rows in roster order as Calven applies events in arrival order (a
    booking, then a withdrawal of some of its days, leaves the rest away; a withdrawal, then a
    booking, leaves the booking)."""

    def __init__(self, rows: Sequence[RosterEvent]) -> None:
        self.days: dict[str, list[DayRange]] = {}
        self.keys: set[Key] = set()
        #: Each row's span of days (None: invalid, or no readable dates), by position.
        self.spans: list[DayRange | None] = []
        ordered: dict[str, list[tuple[bool, DayRange]]] = {}
        withdrawing: set[str] = set()
        first: date | None = None
        last: date | None = None
        for row in rows:
            event = row.event
            if event is None:
                self.spans.append(None)
                continue
            who = event.get("email") or event.get("uid") or ""
            self.keys.add((who, row.event_id))
            covered = self.days.setdefault(who, [])
            span = _span(event)
            self.spans.append(span)
            if span is None:
                continue
            covered.append(span)
            cancels = event.get("eventType") == "cancelled"
            if cancels:
                withdrawing.add(who)
            ordered.setdefault(who, []).append((cancels, span))
            first = span[0] if first is None or span[0] < first else first
            last = span[1] if last is None or span[1] > last else last
        self.window: DayRange | None = (first, last) if first and last else None
        self.away: dict[str, list[DayRange]] = {}
        for who, spans in ordered.items():
            if who not in withdrawing:  # no withdrawal: every day booked is wanted away
                self.away[who] = normalise(s for _, s in spans)
                continue
            away: list[DayRange] = []
            for cancels, span in spans:
                away = subtract(away, [span]) if cancels else normalise([*away, span])
            self.away[who] = away

    def free_to_cancel(self, who: str, days: Sequence[DayRange], today: date) -> list[DayRange]:
        """Days that may be freed: not past, and not covered by any row of this person (a row
        that books them keeps them; one that cancels them frees them itself)."""
        return from_day(subtract(days, self.days.get(who, [])), today)


def _within(span: DayRange, ranges: Sequence[DayRange]) -> bool:
    return any(first <= span[0] and span[1] <= last for first, last in ranges)


def _still_whole(
    event: Mapping[str, str],
    who: str,
    kept: Sequence[DayRange],
    maybe_kept: Sequence[DayRange],
    roster: _Roster,
    today: date,
) -> bool:
    """Whether Calven's calendar is as the row says for its coming days, from what it keeps of
    the person (whatever event each day came from, as Calven keeps days: `kept` by confirmed
    events, `maybe_kept` by unconfirmed ones too): a booking's days the roster wants away are all
    kept; a cancellation's days the roster wants free are kept by none (another event's leftover
    there would otherwise stay for ever)."""
    span = _span(event)
    if span is None:
        return True
    if span[1] < today:
        return True  # wholly past: Calven ignores it either way
    coming = (max(span[0], today), span[1])
    away = roster.away.get(who, [])
    if event.get("eventType") == "cancelled":
        return not intersect(subtract([coming], away), list(maybe_kept))
    if _within(coming, away):  # the usual row: all of it wanted away, in one kept booking
        return _within(coming, kept) or not subtract([coming], kept)
    return not subtract(intersect([coming], away), kept)


def _followed(row: RosterEvent, versions: Mapping[Key, Sequence[HeldEvent]]) -> RosterEvent | None:
    """The row as the sync follows it: a refused request as the withdrawal it is when Calven
    holds something under its person and eventId; None for a row the sync leaves alone (a
    pending or short absence, a refused request Calven holds nothing of)."""
    if row.skip is None:
        return row
    held = row.event is not None and versions.get((person_of(row.event), row.event_id))
    if row.skip == "refused" and row.event is not None and held:
        return RosterEvent(row.row, row.event_id, row.event)
    return None


def _keeps_it_all(
    current: HeldEvent, span: DayRange | None, away: Sequence[DayRange], today: date
) -> bool:
    """The usual unchanged row, told at once: a booking whose every coming day the roster wants
    away, all still kept by the version Calven holds (else `_still_whole` looks at the person)."""
    if span is None or not current.confirmed or not current.scheduled:
        return False
    coming = (max(span[0], today), span[1])
    return coming[0] > coming[1] or (_within(coming, away) and _within(coming, current.days))


def _latest(versions: Sequence[HeldEvent]) -> HeldEvent | None:
    """The version Calven accepted last: what it holds under this person and eventId now."""
    confirmed = [v for v in versions if v.confirmed]
    return max(confirmed, key=attrgetter("held_since"), default=None)


def compare(rows: Sequence[RosterEvent], held: Sequence[HeldEvent], today: date) -> Comparison:
    """Classify every row against what Calven holds, and work out the cancellations a send needs.

    Rows of one person sharing an eventId are unchanged when Calven holds the last of them. A row
    Calven holds unchanged still counts as changed when an earlier row of the same person that
    will be sent covers some of its days (a booking then its withdrawal under one request id, or
    two overlapping leaves): sending the earlier one alone would leave those days as the earlier
    row says, not as the roster ends up saying.
    """
    versions: dict[Key, list[HeldEvent]] = {}
    by_person: dict[str, list[HeldEvent]] = {}
    for h in held:
        who = h.person
        versions.setdefault((who, h.event_id), []).append(h)
        by_person.setdefault(who, []).append(h)
    followed = [_followed(r, versions) for r in rows]
    roster = _Roster([r for r in followed if r is not None])
    # A pending request keeps what Calven holds under its id; its person counts.
    for waiting in rows:
        if waiting.skip == "pending" and waiting.event is not None:
            who = person_of(waiting.event)
            roster.keys.add((who, waiting.event_id))
            roster.days.setdefault(who, [])
    kept_of: dict[str, tuple[list[DayRange], list[DayRange]]] = {}

    def kept(who: str) -> tuple[list[DayRange], list[DayRange]]:
        """The days Calven keeps of the person: by confirmed events, and by any."""
        found = kept_of.get(who)
        if found is None:
            theirs = [v for v in by_person.get(who, ()) if v.scheduled]
            found = kept_of[who] = (
                normalise(d for v in theirs if v.confirmed for d in v.days),
                normalise(d for v in theirs for d in v.days),
            )
        return found

    result = Comparison([], [])
    sent_days: dict[str, list[DayRange]] = {}  # per person, the days rows to be sent touch
    retracted: set[tuple[str, str, str]] = set()  # (person, eventId, version) already freed
    # Calven keeps the last event under a person's id; a roster using one id twice for a person (a
    # booking, then its withdrawal) is as Calven holds it when its last row under that id is.
    last: dict[Key, Mapping[str, str]] = {
        (person_of(r.event), r.event_id): r.event
        for r in followed
        if r is not None and r.event is not None
    }
    row_spans = iter(roster.spans)
    for original, row in zip(rows, followed, strict=True):
        if row is None:
            if original.skip is None:
                result.rows.append(RowChange(original.row, original.event_id, "invalid", None))
                continue
            key = (person_of(original.event or {}), original.event_id)
            current = _latest(versions.get(key, []))
            result.rows.append(
                RowChange(
                    original.row,
                    original.event_id,
                    "skipped",
                    current.held_since if current else None,
                    sent_by=current.sent_by if current else "",
                )
            )
            continue
        span = next(row_spans)
        if row.event is None:
            result.rows.append(RowChange(row.row, row.event_id, "invalid", None))
            continue
        who = person_of(row.event)
        key = (who, row.event_id)
        mine = versions.get(key, [])
        current = _latest(mine)
        wanted = last[key]
        mine_sent = sent_days.get(who)
        touched = (
            span is not None and mine_sent is not None and any(overlaps(span, d) for d in mine_sent)
        )
        older = [
            (v, days)
            for v in mine
            if v is not current and v.scheduled and v.event != wanted
            if (days := roster.free_to_cancel(who, v.days, today))
        ]
        change: Change
        if not mine:
            change = "new"
        elif (
            current is not None
            and current.event == wanted
            and not touched
            and (
                _keeps_it_all(current, span, roster.away.get(who, ()), today)
                or _still_whole(row.event, who, *kept(who), roster, today)
            )
        ):
            change = "changed" if older else "unchanged"
        elif not touched and any(not v.confirmed and v.event == wanted for v in mine):
            change = "unconfirmed"
        else:
            change = "changed"
        left = change == "changed" and current is not None and current.event == wanted
        result.rows.append(
            RowChange(
                row.row,
                row.event_id,
                change,
                current.held_since if current else None,
                old_days=left,
                sent_by=current.sent_by if current else "",
            )
        )
        if left:
            for version, days in older:
                result.removed.append(LeftBehind(version, "moved", tuple(days), row.row))
        if change == "unchanged":
            continue
        if span is not None:
            sent_days.setdefault(who, []).append(span)
        for version in mine:
            mark = (who, version.event_id, version.version)
            if not version.scheduled or mark in retracted:
                continue
            retracted.add(mark)
            for span_freed in roster.free_to_cancel(who, version.days, today):
                result.moved.append(cancellation(version, span_freed, "moved", row.row, left))
    if roster.window is None:
        return result
    window_first, window_last = window = roster.window
    for (who, event_id), mine in versions.items():
        if who not in roster.days or (who, event_id) in roster.keys:
            continue
        for candidate in mine:
            spans = candidate.days  # sorted: the first and last day tell whether any overlaps
            if not spans or spans[0][0] > window_last or spans[-1][1] < window_first:
                continue
            if not candidate.scheduled or not any(overlaps(d, window) for d in spans):
                continue
            inside = intersect(list(candidate.days), [window])
            to_free = roster.free_to_cancel(who, inside, today)
            if to_free:
                result.removed.append(LeftBehind(candidate, "removed", tuple(to_free)))
                result.removal.extend(cancellation(candidate, d, "removed", None) for d in to_free)
    result.removed.sort(key=lambda left: left.held.held_since)
    return result


def roster_events(check: RosterCheck) -> list[RosterEvent]:
    """The roster's rows as plain data for `compare`: invalid rows carry no event, skipped ones
    the event HR's decision stands for."""
    found = []
    for row in check.rows:
        event = row.event
        event_id = (event or {}).get("eventId", "")
        if row.skip is not None:
            found.append(RosterEvent(row.row, event_id, event, row.skip))
            continue
        sendable = event if event is not None and row.status is not Status.INVALID else None
        found.append(RosterEvent(row.row, event_id, sendable))
    return found


def compare_roster(
    check: RosterCheck, held: list[HeldEvent], today: date | None = None
) -> Comparison:
    return compare(roster_events(check), held, today or date.today())


def roster_scope(check: RosterCheck) -> tuple[DayRange | None, set[Key]]:
    """What of the memory can matter to this roster: its window (first to last day of its rows)
    and the (person, eventId) of every row that is compared. `Journal.held(..., *roster_scope(check))`
    reads only that, and `compare` gives the same answer as with the whole memory."""
    first, last = "9999-12-31", ""
    keys: set[Key] = set()
    for row in check.rows:
        event = row.event
        if event is None or row.status is Status.INVALID:  # compared with nothing
            continue
        keys.add((event.get("email") or event.get("uid") or "", event.get("eventId", "")))
        start, end = event.get("startDate", ""), event.get("endDate", "")
        if start and end:  # ISO dates compare as text: none is parsed here
            first, last = min(first, start), max(last, end)
    window = parse_range(first, last) if last else None
    return window, keys


def held_for(journal: Journal, base_url: str, key_id: str, check: RosterCheck) -> list[HeldEvent]:
    """What the memory keeps on the connection that can matter to this roster."""
    return journal.held(base_url, key_id, *roster_scope(check))


def day_count(cancellations: Sequence[Cancellation]) -> tuple[int, int]:
    """(people, days) the cancellations would free: what the confirmation names. Grouped by
    person in one pass (going over every cancellation for each person took 2 s for 5,000 people,
    on the window's thread as it asked)."""
    spans: dict[str, list[DayRange]] = {}
    for c in cancellations:
        event = c.event
        first, last = date.fromisoformat(event["startDate"]), date.fromisoformat(event["endDate"])
        spans.setdefault(person_of(event), []).append((first, last))
    total = sum(
        (last - first).days + 1 for found in spans.values() for first, last in normalise(found)
    )
    return len(spans), total


__all__ = [
    "Cancellation",
    "Change",
    "Comparison",
    "LeftBehind",
    "RosterEvent",
    "RowChange",
    "cancellation",
    "compare",
    "compare_roster",
    "day_count",
    "held_for",
    "person_of",
    "roster_events",
    "roster_scope",
]
