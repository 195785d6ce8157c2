"""What Calven holds from us: per connection, person and eventId, each version Calven kept and its days.

Calven offers no way to read time off back, so this record is the only memory of what a send left
there. Calven keeps each person's days (a scheduled event makes them away, a cancelled one frees
them, whatever the eventId), and an eventId names an answer, not a person's leave: its own docs
send Bob's booking and Mary's cancellation under one eventId. So the memory is kept per
connection, **person** (the email or uid exactly as sent) and eventId, and a row only ever
compares with, changes or cancels its own person's leave.

Days are forgotten only when Calven accepted their cancellation. A booking moved from 6-10 April
to 20-24 April is two versions of one event: the new one is remembered when Calven accepts it,
and the old one keeps 6-10 April until a cancellation of those days is accepted (refused,
unanswered or unsent, they stay). A version sent but never answered (the connection dropped after
the request left, the process was killed) is kept as `unconfirmed`: Calven may or may not hold it.

It lives in the journal's SQLite file and is written by the journal in the transaction that
records each answer (and each batch about to leave), so a crash can never leave an answer recorded
and its effect forgotten; or, for a team, in a PostgreSQL database (`store.team_memory`), where the
same rules run over the same SQL (`Memory` takes either connection: one implementation of them).
It has no foreign key to the runs: purging old runs must never forget what Calven still shows. A
connection is the Calven address (normalised: `connection_key`) and the key id, not a profile's
name: a scheduled job with `--base-url` and a person's profile for the same key see the same
calendar.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from hashlib import sha1
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit, urlunsplit

from calven_desk.roster.days import DayRange, after_cancellation, from_json, parse_range, to_json

#: The memory's layout; older journals are brought up to it when first opened (`upgrade`).
MEMORY_VERSION = 2

MEMORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS memory_events (
    base_url TEXT NOT NULL,         -- normalised (connection_key)
    key_id TEXT NOT NULL,
    person TEXT NOT NULL,           -- the email or uid exactly as sent (Calven matches it exactly)
    event_id TEXT NOT NULL,
    version TEXT NOT NULL,          -- a digest of the payload: one row per version of the event
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,          -- the exact JSON object sent
    days TEXT NOT NULL,             -- JSON [[first, last], ...]: days still away because of it
    first_day TEXT NOT NULL,        -- the first and last of those days ('' for none): a
    last_day TEXT NOT NULL,         -- comparison reads only what can touch its roster's dates
    state TEXT NOT NULL,            -- held (Calven accepted it) or unconfirmed (answer never came)
    since TEXT NOT NULL,            -- when Calven accepted it (held), or when it left (unconfirmed)
    run_id INTEGER NOT NULL,        -- no foreign key on purpose: purged runs leave this alone
    machine TEXT NOT NULL DEFAULT '',
    sender TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '', -- the journal the run is in: run ids are per journal
    PRIMARY KEY (base_url, key_id, person, event_id, version)
);
CREATE INDEX IF NOT EXISTS memory_person ON memory_events(base_url, key_id, person);
CREATE INDEX IF NOT EXISTS memory_days ON memory_events(base_url, key_id, first_day);
"""

#: The memory's columns, in the order its inserts name them and an export writes them.
COLUMNS = (
    "base_url, key_id, person, event_id, version, event_type, payload, days, first_day, last_day,"
    " state, since, run_id, machine, sender, origin"
)
#: A whole version's row written as it is (an import, the team's write of a batch worked out aside).
INSERT_ROW = (
    f"INSERT INTO memory_events ({COLUMNS}) VALUES ({', '.join('?' * len(COLUMNS.split(',')))})"
)
HELD, UNCONFIRMED = "held", "unconfirmed"
State = Literal["held", "unconfirmed"]
_DEFAULT_PORTS = {"https": 443, "http": 80}


def connection_key(base_url: str) -> str:
    """One spelling per Calven address, so the memory is found however the address was typed:
    scheme and host in lower case, no default port, no trailing slash (`HTTPS://API.calven.com:443/`
    is `https://api.calven.com`)."""
    text = base_url.strip()
    parts = urlsplit(text)
    if not parts.scheme or not parts.hostname:
        return text.rstrip("/")
    scheme, host = parts.scheme.lower(), parts.hostname.lower()
    try:
        port = parts.port
    except ValueError:  # not a number: left as written
        return text.rstrip("/")
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))


def person_of(event: Mapping[str, str]) -> str:
    """Who an event is about, exactly as sent: its email, else its uid."""
    return event.get("email") or event.get("uid") or ""


def version_of(event: Mapping[str, str]) -> str:
    """A short digest of the exact event, the same for the same JSON object however it is ordered."""
    text = json.dumps(dict(event), sort_keys=True, ensure_ascii=False)
    return sha1(text.encode()).hexdigest()[:20]


def _span_days(event: Mapping[str, str]) -> list[DayRange]:
    span = parse_range(event.get("startDate", ""), event.get("endDate", ""))
    return [span] if span is not None and event.get("eventType") == "scheduled" else []


def _version_row(
    base_url: str, key_id: str, sender: Sender, at: str, event: Mapping[str, str]
) -> tuple[object, ...]:
    """A version's columns, in the order the memory's inserts name them (state aside)."""
    return (
        base_url,
        key_id,
        person_of(event),
        event.get("eventId", ""),
        version_of(event),
        event.get("eventType", ""),
        json.dumps(dict(event), ensure_ascii=False),
        *_stored(_span_days(event)),
        at,
        sender.run_id,
        sender.machine,
        sender.user,
        sender.origin,
    )


def _stored(days: Sequence[DayRange]) -> tuple[str, str, str]:
    """The days column and its first and last day, as written."""
    ranges = to_json(days)
    if not ranges:
        return "[]", "", ""
    return json.dumps(ranges), ranges[0][0], ranges[-1][1]


@dataclass(slots=True, eq=False)
class HeldEvent:
    """One version of an event Calven holds from us (or may hold: `confirmed` False), as it was
    sent, and the days it still keeps away. Not frozen, and told apart by identity: a memory of
    50,000 of them is made at every comparison, and a frozen dataclass takes five times as long to
    make. Nothing changes one once read."""

    event_id: str
    #: The event exactly as sent, or its JSON text as the memory keeps it, read when first asked
    #: for (`event`): a comparison reads few of a big memory's events, only their days.
    sent: Mapping[str, str] | str
    days: tuple[DayRange, ...]
    held_since: datetime
    run_id: int
    version: str = ""
    #: False: sent, but Calven's answer never came; it may or may not hold it.
    confirmed: bool = True
    #: Who sent it, in words ("anna on HR-PC-3"), when known.
    sent_by: str = ""
    #: Its person and whether it books days, as the memory stores them (worked out when not given).
    who: str = ""
    books: bool | None = None

    @property
    def event(self) -> Mapping[str, str]:
        if isinstance(self.sent, str):
            self.sent = json.loads(self.sent)
        assert not isinstance(self.sent, str)
        return self.sent

    @property
    def person(self) -> str:
        return self.who or person_of(self.event)

    @property
    def scheduled(self) -> bool:
        if self.books is None:
            return self.event.get("eventType") == "scheduled"
        return self.books


@dataclass(frozen=True, slots=True)
class Sender:
    """Where a send comes from: the run, and the computer and person sending (for "sent by")."""

    run_id: int
    machine: str = ""
    user: str = ""
    #: The journal the run is in (run ids are per journal: a team memory has many).
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one event of a run ended, as the memory needs it.

    `own`: a roster row's event (its versions are kept); False for a cancellation this app derived
    to free days (it only frees them). `result`: accepted, rejected, not_sent (it never reached
    Calven) or unconfirmed (it may have: the answer was lost).
    """

    event: Mapping[str, str]
    own: bool
    result: str
    at: str


class Found(Protocol):
    """What a query gives back, the same from SQLite and from psycopg."""

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...


class Sql(Protocol):
    """The little of a database connection the memory uses: SQL with `?` placeholders (the
    PostgreSQL side turns them into its own)."""

    def execute(self, sql: str, params: Sequence[object] = ..., /) -> Found: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[object]], /) -> object: ...


@dataclass(frozen=True, slots=True)
class ConnectionStatus:
    """One connection's share of a memory, for `calven-desk memory status`."""

    base_url: str
    key_id: str
    #: Versions Calven holds (bookings that still keep days, and cancellations).
    events: int
    #: Versions sent whose answer never came.
    unconfirmed: int
    last_written: datetime | None
    last_by: str


class Memory:
    """The memory's reads and writes over one connection (SQLite here; PostgreSQL through
    `store.team_memory`, which only changes how many keys are looked up at once); the caller
    holds the transaction."""

    def __init__(self, db: Sql) -> None:
        self.db = db

    # --- writing -----------------------------------------------------------------------------

    def sending(
        self,
        base_url: str,
        key_id: str,
        sender: Sender,
        at: str,
        events: Iterable[Mapping[str, str]],
    ) -> None:
        """Roster events about to leave: remembered as unconfirmed until Calven answers, so a
        crash or a lost answer leaves them "may be held" rather than forgotten."""
        base_url = connection_key(base_url)
        self.db.executemany(
            f"INSERT INTO memory_events ({COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unconfirmed', ?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [_version_row(base_url, key_id, sender, at, event) for event in events],
        )

    def answered(
        self, base_url: str, key_id: str, sender: Sender, outcomes: Sequence[Outcome]
    ) -> None:
        """Apply a batch's answers in the order Calven got them. Acceptances are written together
        (`_keep_all`: two statements for a run of them rather than two each; a batch's answers are
        mostly these, and a team memory pays for every statement), each run ending before anything
        else touches the memory, so the order is the one Calven answered in."""
        base_url = connection_key(base_url)
        keeping: list[tuple[str, Mapping[str, str]]] = []
        keys: set[tuple[str, str]] = set()

        def write_kept() -> None:
            if keeping:
                self._keep_all(base_url, key_id, sender, keeping)
                keeping.clear()
                keys.clear()

        for item, at in zip(outcomes, _in_order(outcomes), strict=True):
            event = item.event
            who, event_id, version = person_of(event), event.get("eventId", ""), version_of(event)
            if item.result == "accepted":
                if event.get("eventType") == "cancelled":
                    write_kept()
                    self._free(base_url, key_id, who, event)
                if item.own:
                    if (who, event_id) in keys:
                        write_kept()
                    keeping.append((at, event))
                    keys.add((who, event_id))
            elif item.own and item.result == "rejected":
                write_kept()
                # Calven answered no: whatever an earlier lost answer left, it does not hold it.
                self.db.execute(
                    "DELETE FROM memory_events WHERE base_url=? AND key_id=? AND person=? AND"
                    " event_id=? AND version=? AND state='unconfirmed'",
                    (base_url, key_id, who, event_id, version),
                )
            elif item.own and item.result == "not_sent":
                write_kept()
                # Never reached Calven: forgotten, unless an earlier run's lost answer left it.
                self.db.execute(
                    "DELETE FROM memory_events WHERE base_url=? AND key_id=? AND person=? AND"
                    " event_id=? AND version=? AND state='unconfirmed' AND run_id=? AND origin=?",
                    (base_url, key_id, who, event_id, version, sender.run_id, sender.origin),
                )
        write_kept()

    def _keep_all(
        self,
        base_url: str,
        key_id: str,
        sender: Sender,
        accepted: Sequence[tuple[str, Mapping[str, str]]],
    ) -> None:
        """Calven accepted these versions (when, and the event; one per person and eventId):
        each is held from now on. Older versions keep the days they still hold (only an accepted
        cancellation frees them); those with none left go."""
        self.db.executemany(
            f"INSERT INTO memory_events ({COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'held', ?, ?, ?, ?, ?)"
            " ON CONFLICT (base_url, key_id, person, event_id, version) DO UPDATE SET"
            " days=excluded.days, first_day=excluded.first_day, last_day=excluded.last_day,"
            " state='held', since=excluded.since, run_id=excluded.run_id,"
            " machine=excluded.machine, sender=excluded.sender, origin=excluded.origin",
            [_version_row(base_url, key_id, sender, at, event) for at, event in accepted],
        )
        self.db.executemany(
            "DELETE FROM memory_events WHERE base_url=? AND key_id=? AND person=? AND event_id=?"
            " AND version<>? AND days='[]'",
            [
                (base_url, key_id, person_of(e), e.get("eventId", ""), version_of(e))
                for _, e in accepted
            ],
        )

    def _free(self, base_url: str, key_id: str, who: str, event: Mapping[str, str]) -> None:
        """A cancellation was accepted: the person's bookings lose those days (shrink, split or
        go), whichever event they came from, held or unconfirmed."""
        freed = parse_range(event.get("startDate", ""), event.get("endDate", ""))
        if freed is None:
            return
        found = self.db.execute(
            "SELECT event_id, version, days FROM memory_events WHERE base_url=? AND key_id=?"
            " AND person=? AND event_type='scheduled'",
            (base_url, key_id, who),
        ).fetchall()
        kept = [((e, v), from_json(json.loads(d))) for e, v, d in found]
        latest = self._latest(base_url, key_id, who)
        for (event_id, version), after in after_cancellation(kept, freed):
            where = (base_url, key_id, who, event_id, version)
            if after or latest.get(event_id) == version:
                # The version Calven accepted last under an id stays, even with no days left: a
                # booking then its withdrawal in one roster is then "unchanged", not sent again.
                self.db.execute(
                    "UPDATE memory_events SET days=?, first_day=?, last_day=? WHERE base_url=?"
                    " AND key_id=? AND person=? AND event_id=? AND version=?",
                    (*_stored(after), *where),
                )
            else:
                self.db.execute(
                    "DELETE FROM memory_events WHERE base_url=? AND key_id=? AND person=?"
                    " AND event_id=? AND version=?",
                    where,
                )

    def _latest(self, base_url: str, key_id: str, who: str) -> dict[str, str]:
        """The version Calven accepted last, per eventId of this person."""
        latest: dict[str, str] = {}
        for event_id, version in self.db.execute(
            "SELECT event_id, version FROM memory_events WHERE base_url=? AND key_id=? AND"
            " person=? AND state='held' ORDER BY since",
            (base_url, key_id, who),
        ):
            latest[event_id] = version
        return latest

    # --- reading -----------------------------------------------------------------------------

    def held(
        self,
        base_url: str,
        key_id: str,
        window: DayRange | None = None,
        keys: Iterable[tuple[str, str]] | None = None,
    ) -> list[HeldEvent]:
        """What the memory keeps for the connection: everything, or, for a roster, only what can
        matter to it (`window`: events keeping a day between its first and last; `keys`: every
        version of its rows' (person, eventId), wherever their days are). A memory that grows
        month after month then costs a comparison only the roster's own share."""
        columns = (
            "m.event_id, m.payload, m.days, m.since, m.run_id, m.version, m.state, m.machine,"
            " m.sender, m.person, m.event_type"
        )
        where = (connection_key(base_url), key_id)
        if window is None and keys is None:
            found = self.db.execute(
                f"SELECT {columns} FROM memory_events m WHERE m.base_url=? AND m.key_id=?", where
            ).fetchall()
        else:
            found = self._scoped(columns, where, window, set(keys or ()))
        when = datetime.fromisoformat
        return [
            HeldEvent(
                event_id,
                payload,
                days_of(days),
                when(since),
                run_id,
                version,
                state == HELD,
                sent_by(sender, machine) if sender or machine else "",
                person,
                kind == "scheduled",
            )
            for (
                event_id,
                payload,
                days,
                since,
                run_id,
                version,
                state,
                machine,
                sender,
                person,
                kind,
            ) in found
        ]

    def _scoped(
        self,
        columns: str,
        where: tuple[str, str],
        window: DayRange | None,
        keys: set[tuple[str, str]],
    ) -> list[tuple[Any, ...]]:
        """The rows a roster's comparison needs: those keeping a day in its window (found by
        their first day's index) and every version of its keys kept elsewhere or with no days.
        Few keys are looked up one by one through the memory's own key (a temporary table of
        them, joined); many are told apart in one pass over the memory instead, as writing them
        all down costs more (50,000 keys of a 50,000-event memory: 0.37 s joined, 0.10 s in one
        pass; 9,000 of them: 0.01 s joined)."""
        inside = "m.first_day<>'' AND m.first_day<=? AND m.last_day>=?"
        bounds = (window[1].isoformat(), window[0].isoformat()) if window is not None else ()
        found: list[tuple[Any, ...]] = []
        if window is not None:
            found += self.db.execute(
                f"SELECT {columns} FROM memory_events m WHERE m.base_url=? AND m.key_id=?"
                f" AND {inside}",
                (*where, *bounds),
            ).fetchall()
        if not keys:
            return found
        elsewhere = f" AND NOT ({inside})" if window is not None else ""
        total = self.db.execute(
            "SELECT COUNT(*) FROM memory_events WHERE base_url=? AND key_id=?", where
        ).fetchone()[0]
        if len(keys) * 5 > total:
            rows = self.db.execute(
                f"SELECT {columns}, m.person, m.event_id FROM memory_events m"
                f" WHERE m.base_url=? AND m.key_id=?{elsewhere}",
                (*where, *bounds),
            ).fetchall()
            return found + [r[:-2] for r in rows if (r[-2], r[-1]) in keys]
        return found + self._by_keys(columns, where, elsewhere, bounds, keys)

    def _by_keys(
        self,
        columns: str,
        where: tuple[str, str],
        elsewhere: str,
        bounds: tuple[str, ...],
        keys: set[tuple[str, str]],
    ) -> list[tuple[Any, ...]]:
        """Every version of these (person, eventId) keys, found through the memory's own key."""
        self.db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS wanted (person TEXT, event_id TEXT,"
            " PRIMARY KEY (person, event_id)) WITHOUT ROWID"
        )
        self.db.execute("DELETE FROM temp.wanted")
        self.db.executemany("INSERT INTO temp.wanted VALUES (?, ?)", keys)
        # CROSS JOIN: the roster's keys outside, each found through the memory's key.
        found: list[tuple[Any, ...]] = self.db.execute(
            f"SELECT {columns} FROM temp.wanted w CROSS JOIN memory_events m"
            " ON m.base_url=? AND m.key_id=? AND m.person=w.person AND m.event_id=w.event_id"
            f"{elsewhere}",
            (*where, *bounds),
        ).fetchall()
        self.db.execute("DELETE FROM temp.wanted")
        return found

    def counts(self) -> list[tuple[str, str, int]]:
        """(address, key id, events held) per connection, for `history`: bookings that still keep
        days and cancellations; unconfirmed ones are counted too (Calven may hold them)."""
        return [
            (r[0], r[1], int(r[2]))
            for r in self.db.execute(
                "SELECT base_url, key_id, COUNT(*) FROM memory_events"
                " WHERE days<>'[]' OR event_type<>'scheduled'"
                " GROUP BY base_url, key_id ORDER BY base_url, key_id"
            )
        ]

    def status(self) -> list[ConnectionStatus]:
        """Per connection: how many versions Calven holds and how many are unconfirmed, and when
        and by whom the memory was last written (the latest acceptance or send)."""
        found = self.db.execute(
            "SELECT base_url, key_id,"
            " SUM(CASE WHEN state='held' AND (days<>'[]' OR event_type<>'scheduled')"
            " THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN state='unconfirmed' THEN 1 ELSE 0 END), MAX(since)"
            " FROM memory_events GROUP BY base_url, key_id ORDER BY base_url, key_id"
        ).fetchall()
        result = []
        for base_url, key_id, events, unconfirmed, last in found:
            by = self.db.execute(
                "SELECT sender, machine FROM memory_events WHERE base_url=? AND key_id=?"
                " AND since=? LIMIT 1",
                (base_url, key_id, last),
            ).fetchone()
            result.append(
                ConnectionStatus(
                    base_url,
                    key_id,
                    int(events or 0),
                    int(unconfirmed or 0),
                    datetime.fromisoformat(last) if last else None,
                    sent_by(*by) if by else "",
                )
            )
        return result

    # --- moving in and out ---------------------------------------------------------------------

    def export(self) -> Iterator[dict[str, object]]:
        """Every version the memory keeps, as `memory export` writes them (one JSON line each)."""
        for row in self.db.execute(
            f"SELECT {COLUMNS} FROM memory_events"
            " ORDER BY base_url, key_id, person, event_id, since, version"
        ):
            record = dict(zip(RECORD_FIELDS, row, strict=True))
            record["event"] = json.loads(str(record["event"]))
            record["days"] = json.loads(str(record["days"]))
            yield record

    def merge(self, records: Sequence[Record]) -> MergeCounts:
        """Merge exported versions in: per connection, person and eventId, the side whose latest
        acceptance is later keeps all its versions (leftover old days included); a key only one
        side has is kept. Importing the same file twice changes nothing."""
        groups: dict[tuple[str, str, str, str], list[Record]] = {}
        for record in records:
            groups.setdefault(record.group, []).append(record)
        ours: dict[tuple[str, str, str, str], str] = {}
        for base_url, key_id in sorted({(g[0], g[1]) for g in groups}):
            for person, event_id, last in self.db.execute(
                "SELECT person, event_id, MAX(CASE WHEN state='held' THEN since ELSE '' END)"
                " FROM memory_events WHERE base_url=? AND key_id=? GROUP BY person, event_id",
                (base_url, key_id),
            ):
                ours[(base_url, key_id, person, event_id)] = last or ""
        counts = MergeCounts()
        taken: list[Record] = []
        replaced: list[tuple[str, str, str, str]] = []
        for group, theirs in groups.items():
            latest = max((r.since for r in theirs if r.state == HELD), default="")
            if group not in ours:
                counts.added += 1
            elif _later(latest, ours[group]):
                counts.replaced += 1
                replaced.append(group)
            else:
                counts.kept += 1
                continue
            taken += theirs
        self.db.executemany(
            "DELETE FROM memory_events WHERE base_url=? AND key_id=? AND person=? AND event_id=?",
            replaced,
        )
        self.db.executemany(
            f"{INSERT_ROW} ON CONFLICT DO NOTHING",
            [r.row() for r in taken],
        )
        return counts


#: The names an exported line gives the memory's columns (COLUMNS, in order).
RECORD_FIELDS = (
    "base_url",
    "key_id",
    "person",
    "eventId",
    "version",
    "eventType",
    "event",
    "days",
    "first_day",
    "last_day",
    "state",
    "since",
    "run_id",
    "machine",
    "sender",
    "origin",
)


def _in_order(outcomes: Sequence[Outcome]) -> list[str]:
    """When each outcome was accepted, strictly later for each answer after the first: a batch's
    answers all carry the batch's time, and which version of an event Calven accepted last
    (`_latest`, by that time) must not hang on how a database returns rows of equal times (this
    journal and the team's PostgreSQL returned them differently). A time already later than the
    one before is kept as written."""
    stamps: list[str] = []
    last: datetime | None = None
    for item in outcomes:
        try:
            at = datetime.fromisoformat(item.at)
        except ValueError:  # not a time of ours: kept as it is, ordering nothing
            stamps.append(item.at)
            continue
        if last is not None and at.tzinfo is not None and last.tzinfo is not None and at <= last:
            at = last + timedelta(microseconds=1)
            stamps.append(at.isoformat(timespec="microseconds"))
        else:
            stamps.append(item.at)
        last = at
    return stamps


def _later(theirs: str, ours: str) -> bool:
    if not theirs:
        return False
    if not ours:
        return True
    return datetime.fromisoformat(theirs) > datetime.fromisoformat(ours)


@dataclass(slots=True)
class MergeCounts:
    """What an import did, counted per connection, person and eventId."""

    added: int = 0
    replaced: int = 0
    kept: int = 0


class RecordError(ValueError):
    """An exported line that is not a memory record; says what is wrong with it."""


@dataclass(frozen=True, slots=True)
class Record:
    """One version read from an export, checked: its person, eventId and version are worked out
    from the event itself, and its first and last day from its days, so a line edited by hand
    cannot file a version under another person's key."""

    base_url: str
    key_id: str
    event: Mapping[str, str]
    days: tuple[DayRange, ...]
    state: State
    since: str
    run_id: int
    machine: str
    sender: str
    origin: str

    @property
    def group(self) -> tuple[str, str, str, str]:
        return (self.base_url, self.key_id, person_of(self.event), self.event.get("eventId", ""))

    def row(self) -> tuple[object, ...]:
        return (
            self.base_url,
            self.key_id,
            person_of(self.event),
            self.event.get("eventId", ""),
            version_of(self.event),
            self.event.get("eventType", ""),
            json.dumps(dict(self.event), ensure_ascii=False),
            *_stored(self.days),
            self.state,
            self.since,
            self.run_id,
            self.machine,
            self.sender,
            self.origin,
        )

    @classmethod
    def read(cls, line: Mapping[str, Any]) -> Record:
        """A record from one exported line; raises RecordError saying what is missing."""
        try:
            event = line["event"]
            if not isinstance(event, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in event.items()
            ):
                raise RecordError("its event is not the JSON object that was sent")
            if not person_of(event) or not event.get("eventId"):
                raise RecordError("its event names no person or no eventId")
            state = line["state"]
            if state not in (HELD, UNCONFIRMED):
                raise RecordError(f"its state is {state!r}, not held or unconfirmed")
            since = str(line["since"])
            datetime.fromisoformat(since)
            days = tuple(from_json(line["days"]))
            return cls(
                connection_key(str(line["base_url"])),
                str(line["key_id"]),
                event,
                days,
                state,
                since,
                int(line.get("run_id") or 0),
                str(line.get("machine") or ""),
                str(line.get("sender") or ""),
                str(line.get("origin") or ""),
            )
        except KeyError as exc:
            raise RecordError(f"it has no {exc.args[0]}") from None
        except (TypeError, ValueError) as exc:
            if isinstance(exc, RecordError):
                raise
            raise RecordError("a date, a time or a number in it cannot be read") from None


_NO_DAYS: tuple[DayRange, ...] = ()


def days_of(text: str) -> tuple[DayRange, ...]:
    """The days column as ranges: one booking's single range read at once (the usual case),
    anything else through `from_json`, which also mends what is not as it wrote it."""
    if text == "[]":
        return _NO_DAYS
    if len(text) == 30 and text[:3] == '[["' and text[13:17] == '", "' and text[27:] == '"]]':
        try:
            first, last = date.fromisoformat(text[3:13]), date.fromisoformat(text[17:27])
        except ValueError:
            return tuple(from_json(json.loads(text)))
        if first <= last:
            return ((first, last),)
    return tuple(from_json(json.loads(text)))


def sent_by(user: str, machine: str) -> str:
    if user and machine:
        return f"{user} on {machine}"
    return user or machine


def upgrade(db: sqlite3.Connection) -> None:
    """Bring a journal written by an earlier release up to the memory's layout, forgetting
    nothing; the caller holds the write transaction. Release 0.1.0 kept one row per connection and
    eventId (`held`), with the address as typed: each becomes a held version of its person's event,
    under the normalised address (two spellings of one address merge; the later acceptance wins)."""
    old = db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='held'").fetchone()
    if old is None:
        return
    rows = db.execute(
        "SELECT base_url, key_id, event_id, person, event_type, payload, days, held_since, run_id"
        " FROM held ORDER BY held_since"
    ).fetchall()
    for base_url, key_id, event_id, person, event_type, payload, days, since, run_id in rows:
        event = json.loads(payload)
        db.execute(
            "INSERT INTO memory_events (base_url, key_id, person, event_id, version, event_type,"
            " payload, days, first_day, last_day, state, since, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'held', ?, ?)"
            " ON CONFLICT (base_url, key_id, person, event_id, version) DO UPDATE SET"
            " days=excluded.days, first_day=excluded.first_day, last_day=excluded.last_day,"
            " since=excluded.since, run_id=excluded.run_id"
            " WHERE excluded.since >= memory_events.since",
            (
                connection_key(base_url),
                key_id,
                person,
                event_id,
                version_of(event),
                event_type,
                payload,
                *_stored(from_json(json.loads(days))),
                since,
                run_id,
            ),
        )
    db.execute("DROP TABLE held")
