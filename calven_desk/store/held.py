"""What Calven holds from us: per connection and eventId, the last event it accepted and the days it keeps.

Calven offers no way to read time off back, so this record is the only memory of what a send left
there. It lives in the journal's SQLite file, in its own table, and is written by the journal in the
same transaction that records Calven's answer, so a crash can never leave an answer recorded and
its effect forgotten (or the other way round). It has no foreign key to the runs: purging old runs
(`history --purge-older-than`, the retention setting) must never forget what Calven still shows.

A connection is the Calven address and the key id, not a profile's name: a scheduled job with
`--base-url` and a person's profile for the same key see the same calendar.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from calven_desk.roster.days import DayRange, after_cancellation, from_json, parse_range, to_json

HELD_SCHEMA = """
CREATE TABLE IF NOT EXISTS held (
    base_url TEXT NOT NULL,
    key_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    person TEXT NOT NULL,           -- the email or uid exactly as sent (Calven matches it exactly)
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,          -- the exact JSON object Calven accepted
    days TEXT NOT NULL,             -- JSON [[first, last], ...]: days still away because of it
    held_since TEXT NOT NULL,
    run_id INTEGER NOT NULL,        -- no foreign key on purpose: purged runs leave this alone
    PRIMARY KEY (base_url, key_id, event_id)
);
CREATE INDEX IF NOT EXISTS held_person ON held(base_url, key_id, person);
"""


def connection_key(base_url: str) -> str:
    """One spelling per address, so `https://x/` and `https://x` are one connection."""
    return base_url.strip().rstrip("/")


@dataclass(frozen=True, slots=True)
class HeldEvent:
    """One event Calven accepted from us, as it was sent, and the days it still keeps away."""

    event_id: str
    event: Mapping[str, str]
    days: tuple[DayRange, ...]
    held_since: datetime
    run_id: int

    @property
    def person(self) -> str:
        return self.event.get("email") or self.event.get("uid") or ""

    @property
    def scheduled(self) -> bool:
        return self.event.get("eventType") == "scheduled"


@dataclass(frozen=True, slots=True)
class Accepted:
    """An event Calven accepted: `own` when it is a roster row's event (kept), False for a
    cancellation this app derived (it only frees days)."""

    event: Mapping[str, str]
    own: bool
    at: str


def _person(event: Mapping[str, str]) -> str:
    return event.get("email") or event.get("uid") or ""


def _free(db: sqlite3.Connection, base_url: str, key_id: str, event: Mapping[str, str]) -> None:
    """A cancellation was accepted: the person's scheduled events lose those days (shrink, split, go)."""
    freed = parse_range(event.get("startDate", ""), event.get("endDate", ""))
    if freed is None:
        return
    found = db.execute(
        "SELECT event_id, days FROM held WHERE base_url=? AND key_id=? AND person=? "
        "AND event_type='scheduled'",
        (base_url, key_id, _person(event)),
    ).fetchall()
    kept = [(event_id, from_json(json.loads(days))) for event_id, days in found]
    for event_id, after in after_cancellation(kept, freed):
        if after:
            db.execute(
                "UPDATE held SET days=? WHERE base_url=? AND key_id=? AND event_id=?",
                (json.dumps(to_json(after)), base_url, key_id, event_id),
            )
        else:
            db.execute(
                "DELETE FROM held WHERE base_url=? AND key_id=? AND event_id=?",
                (base_url, key_id, event_id),
            )


def record_accepted(
    db: sqlite3.Connection, base_url: str, key_id: str, run_id: int, accepted: Sequence[Accepted]
) -> None:
    """Apply accepted events in the order Calven got them; the caller holds the transaction."""
    base_url = connection_key(base_url)
    for item in accepted:
        event = item.event
        if event.get("eventType") == "cancelled":
            _free(db, base_url, key_id, event)
        if not item.own:
            continue
        span = parse_range(event.get("startDate", ""), event.get("endDate", ""))
        days = [span] if span is not None and event.get("eventType") == "scheduled" else []
        db.execute(
            "INSERT OR REPLACE INTO held (base_url, key_id, event_id, person, event_type, payload,"
            " days, held_since, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                base_url,
                key_id,
                event.get("eventId", ""),
                _person(event),
                event.get("eventType", ""),
                json.dumps(dict(event), ensure_ascii=False),
                json.dumps(to_json(days)),
                item.at,
                run_id,
            ),
        )


def held_events(db: sqlite3.Connection, base_url: str, key_id: str) -> list[HeldEvent]:
    found = db.execute(
        "SELECT event_id, payload, days, held_since, run_id FROM held "
        "WHERE base_url=? AND key_id=? ORDER BY held_since, event_id",
        (connection_key(base_url), key_id),
    ).fetchall()
    return [
        HeldEvent(
            r[0],
            json.loads(r[1]),
            tuple(from_json(json.loads(r[2]))),
            datetime.fromisoformat(r[3]),
            int(r[4]),
        )
        for r in found
    ]


def held_counts(db: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """(address, key id, events held) per connection, for `history`."""
    return [
        (r[0], r[1], int(r[2]))
        for r in db.execute(
            "SELECT base_url, key_id, COUNT(*) FROM held GROUP BY base_url, key_id "
            "ORDER BY base_url, key_id"
        )
    ]
