"""The journal: every row of every run, written before it is sent and as soon as it is answered.

It is what makes a run safe to kill: after a crash or power cut each row is either answered or
still `pending`/`sending`, and a resume re-sends exactly those (with the same eventIds, so Calven sees
the same events). It holds what was sent and when, the profile's name, the host and key id; never a
secret. Beside the runs it keeps what Calven holds from us (`store.held`), updated in the transaction
that marks a batch as leaving and in the one that records its answers, and the claim that lets one
sender at a time send to a connection (`claim_sender`).

A journal opened with a team memory (`memory=`, a PostgreSQL address) keeps the runs here and the
memory there: what a batch leaving or an answer changes in the memory is written, in that same
transaction, to an outbox of operations (`memory_outbox`), then applied to the team's database
(`store.team_memory`); whatever is still in the outbox is applied before the memory is read, so no
comparison or plan is made from a memory that is behind an answer this computer recorded. The claim
to send alone is then the team database's, seen by every computer.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from calven_desk.roster.days import DayRange
from calven_desk.store.claim import Claim
from calven_desk.store.held import (
    MEMORY_SCHEMA,
    ConnectionStatus,
    HeldEvent,
    Memory,
    MergeCounts,
    Outcome,
    Record,
    Sender,
    connection_key,
    upgrade,
)
from calven_desk.store.journal_rows import (
    UNANSWERED,
    Answer,
    JournalRow,
    PlannedCancellation,
    RunInfo,
)
from calven_desk.store.memory_address import MemoryAddress
from calven_desk.store.memory_ops import answered_op, sending_op
from calven_desk.store.paths import data_dir
from calven_desk.store.processes import process_alive
from calven_desk.store.team_memory import TeamMemory
from calven_desk.store.unavailable import JournalError, TeamMemoryUnavailable

log = logging.getLogger("calven_desk.store")

__all__ = [
    "UNANSWERED",
    "Answer",
    "Claim",
    "HeldEvent",
    "Journal",
    "JournalError",
    "JournalRow",
    "PlannedCancellation",
    "RunInfo",
    "TeamMemoryUnavailable",
]

JOURNAL_FILE = "journal.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,           -- running, finished, cancelled, failed, dismissed
    source TEXT NOT NULL,
    sheet TEXT,
    profile TEXT,
    host TEXT NOT NULL,
    pid INTEGER,
    machine TEXT,
    note TEXT
);
CREATE TABLE IF NOT EXISTS rows (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    row INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    payload TEXT,
    state TEXT NOT NULL,            -- pending, sending, accepted, rejected, not_sent, skipped
    result_code INTEGER,
    message TEXT NOT NULL DEFAULT '',
    sent_at TEXT,
    answered_at TEXT,
    PRIMARY KEY (run_id, row)
);
CREATE INDEX IF NOT EXISTS rows_state ON rows(run_id, state);
CREATE TABLE IF NOT EXISTS senders (
    base_url TEXT NOT NULL,         -- normalised, as in the memory
    key_id TEXT NOT NULL,
    pid INTEGER NOT NULL,
    machine TEXT NOT NULL,
    user TEXT NOT NULL,
    what TEXT NOT NULL,             -- what is sending, in words ("calven-desk submit roster.xlsx")
    since TEXT NOT NULL,
    beat TEXT NOT NULL,             -- last sign of life (each batch), for a claim from another computer
    PRIMARY KEY (base_url, key_id)
);
CREATE TABLE IF NOT EXISTS memory_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- applied in this order, each once (memory_origins)
    place TEXT NOT NULL,            -- the team memory's address (never its password)
    body TEXT NOT NULL,             -- one operation on the memory (store.memory_ops)
    written TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
#: A claim from another computer (a journal on a shared folder) whose sender showed no sign of life
#: for this long is taken to be a crashed sender's.
CLAIM_LEASE = timedelta(minutes=5)
#: Columns added after the first release: (table, column, type), added to older journal files.
ADDED_COLUMNS = (
    ("runs", "key_id", "TEXT"),
    ("rows", "retracts", "TEXT"),  # a cancellation this app derived: the eventId it retracts
    ("rows", "reason", "TEXT"),  # ... and why: moved or removed
    ("runs", "memory", "TEXT"),  # the team memory's address, or NULL: this journal's own
    ("memory_events", "origin", "TEXT NOT NULL DEFAULT ''"),
)


def _now() -> str:
    return datetime.now(UTC).isoformat()


#: The connections this process has claimed, per journal (its file): a second claim from the same
#: process, through another Journal or the same, waits as one from another process would.
_CLAIMED: set[tuple[str, str, str]] = set()


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _alive(pid: int | None, machine: str | None) -> bool:
    """Whether another process that started a run still runs here (then it is not interrupted).

    This process's own id counts as not alive: a run it finds at start-up is one it cannot be
    sending, and a pid may be reused after a crash.
    """
    if not pid or machine != socket.gethostname() or pid == os.getpid():
        return False
    return process_alive(pid)


def _sending_now(pid: int | None, machine: str | None) -> bool:
    """Whether a `running` run may really be in progress: this process's own, or another live one."""
    return (pid == os.getpid() and machine == socket.gethostname()) or _alive(pid, machine)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this account (a container, a service)
        return ""


#: Tries at opening the file while others are opening it too (0.05 s, 0.1 s, ... between them).
OPEN_ATTEMPTS = 6


class Journal:
    """One SQLite file in WAL mode, shared safely by the submitter's threads through one lock;
    with `memory`, the memory of what Calven holds is the team's, in PostgreSQL."""

    def __init__(self, path: Path | None = None, memory: MemoryAddress | None = None) -> None:
        self.path = path or data_dir() / JOURNAL_FILE
        self._lock = threading.Lock()
        self.team: TeamMemory | None = None
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise JournalError(self._unusable(exc)) from None
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self._prepare(memory)
                break
            except sqlite3.Error as exc:
                # Several openers at once (the window's comparing thread, a run, another
                # process): switching a new file to WAL can fail at once with "database is
                # locked" rather than wait (once in 200 races of eight openers here).
                locked = isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)
                if locked and attempt + 1 < OPEN_ATTEMPTS:
                    time.sleep(0.05 * 2**attempt)
                    continue
                self._db.close()
                raise JournalError(self._unusable(exc)) from None

    def _prepare(self, memory: MemoryAddress | None) -> None:
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a batch marked `sending` is on disk before its request leaves, even across a power cut.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA + MEMORY_SCHEMA)
        origin = self._add_columns()
        self.memory = Memory(self._db)
        self.sender = Sender(0, socket.gethostname(), _user(), origin)
        if memory is not None:
            self.team = TeamMemory(memory, origin, self.sender)

    def _unusable(self, exc: sqlite3.Error) -> str:
        return (
            f"The record of past runs ({self.path}) cannot be opened ({exc}). "
            "Move that file aside to start a new one."
        )

    def _add_columns(self) -> str:
        """Bring an older file up to date, under the write lock: two processes (or the window's
        threads) opening it at once must not both add a column or move the memory. Returns the
        journal's origin (see `_origin`)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for table, column, kind in ADDED_COLUMNS:
                present = {r[1] for r in self._db.execute(f"PRAGMA table_info({table})")}
                if column not in present:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            upgrade(self._db)
            origin = self._origin()
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return origin

    def _origin(self) -> str:
        """This journal's name in a team memory: its run ids and its outbox's sequence numbers are
        its own. A journal copied to another computer (a cloned disk, a moved home folder) takes a
        new one there, so two computers never pass for one and skip each other's operations."""
        found = dict(self._db.execute("SELECT name, value FROM journal_meta").fetchall())
        here = socket.gethostname()
        if found.get("origin") and found.get("origin_machine") == here:
            return str(found["origin"])
        origin = uuid.uuid4().hex
        self._db.executemany(
            "INSERT OR REPLACE INTO journal_meta (name, value) VALUES (?, ?)",
            [("origin", origin), ("origin_machine", here)],
        )
        if not found.get("origin"):  # the memory written before origins were kept is this one's
            self._db.execute("UPDATE memory_events SET origin=? WHERE origin=''", (origin,))
        return origin

    @property
    def origin(self) -> str:
        return self.sender.origin

    def close(self) -> None:
        with self._lock:
            if self.team is not None:
                self.team.close()
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _write(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(sql, rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def start_run(
        self,
        *,
        source: str,
        sheet: str | None,
        profile: str | None,
        host: str,
        rows: Sequence[tuple[int, str, str]],
        skipped: Sequence[tuple[int, str, str]] = (),
        key_id: str | None = None,
        cancellations: Sequence[PlannedCancellation] = (),
        unchanged: Sequence[tuple[int, str, str]] = (),
    ) -> int:
        """Record a run and all its rows (`row, eventId, payload JSON`) as pending, in one transaction.

        Rows Calven already holds unchanged are kept as `unchanged` (row, eventId, message); with a
        `key_id`, what Calven accepts in this run is remembered for that connection.
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cursor = self._db.execute(
                    "INSERT INTO runs (started_at, status, source, sheet, profile, host, pid, machine,"
                    " key_id, memory) VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        _now(),
                        source,
                        sheet,
                        profile,
                        host,
                        os.getpid(),
                        socket.gethostname(),
                        key_id,
                        self.team.place if self.team is not None else None,
                    ),
                )
                run_id = int(cursor.lastrowid or 0)
                self._db.executemany(
                    "INSERT INTO rows (run_id, row, event_id, payload, state) VALUES (?, ?, ?, ?, 'pending')",
                    [(run_id, row, event_id, payload) for row, event_id, payload in rows],
                )
                self._db.executemany(
                    "INSERT INTO rows (run_id, row, event_id, state, message) VALUES (?, ?, ?, 'skipped', ?)",
                    [(run_id, row, event_id, message) for row, event_id, message in skipped],
                )
                self._db.executemany(
                    "INSERT INTO rows (run_id, row, event_id, state, message)"
                    " VALUES (?, ?, ?, 'unchanged', ?)",
                    [(run_id, row, event_id, message) for row, event_id, message in unchanged],
                )
                self._db.executemany(
                    "INSERT INTO rows (run_id, row, event_id, payload, state, retracts, reason)"
                    " VALUES (?, ?, ?, ?, 'pending', ?, ?)",
                    [
                        (run_id, c.row, c.event_id, c.payload, c.retracts, c.reason)
                        for c in cancellations
                    ],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return run_id

    def claim_run(self, run_id: int) -> bool:
        """Mark a resumed run as running in this process; False when another live process has
        already claimed it (two windows offered the same interrupted run: one resumes it)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                found = self._db.execute(
                    "SELECT status, pid, machine FROM runs WHERE id=?", (run_id,)
                ).fetchone()
                mine = found is not None and found[1] == os.getpid()
                if found is None or (
                    found[0] == "running" and not mine and _alive(found[1], found[2])
                ):
                    self._db.execute("COMMIT")
                    return False
                self._db.execute(
                    "UPDATE runs SET status='running', finished_at=NULL, pid=?, machine=? WHERE id=?",
                    (os.getpid(), socket.gethostname(), run_id),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return True

    def run_connection(self, run_id: int) -> tuple[str, str | None] | None:
        """The Calven address and key id a run was sent to (None: no such run)."""
        with self._lock:
            found = self._db.execute(
                "SELECT host, key_id FROM runs WHERE id=?", (run_id,)
            ).fetchone()
        return (found[0], found[1]) if found is not None else None

    def run_memory(self, run_id: int) -> str | None:
        """The team memory a run's answers go to (its address), or None: this journal's own."""
        with self._lock:
            found = self._db.execute("SELECT memory FROM runs WHERE id=?", (run_id,)).fetchone()
        return found[0] if found is not None else None

    def mark_sending(self, run_id: int, rows: Sequence[int]) -> None:
        """Called before a batch leaves: these rows may now reach Calven at any moment, so their
        events are remembered as unconfirmed (Calven may hold them) until it answers."""
        stamp = _now()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "UPDATE rows SET state='sending', sent_at=? WHERE run_id=? AND row=?",
                    [(stamp, run_id, row) for row in rows],
                )
                found = self._connection_of(run_id)
                place = self._place_of(run_id)
                if found is not None:
                    events = [
                        json.loads(payload)
                        for row in rows
                        for payload, retracts, _ in self._rows_sent(run_id, row)
                        if payload and retracts is None
                    ]
                    if place is None:
                        self.memory.sending(*found, self._sender(run_id), stamp, events)
                    else:
                        op = sending_op(*found, self._sender(run_id), stamp, events)
                        self._keep_op(place, op, stamp)
                    self._db.execute(
                        "UPDATE senders SET beat=? WHERE base_url=? AND key_id=? AND pid=?",
                        (stamp, connection_key(found[0]), found[1], os.getpid()),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            if found is not None and place is not None:
                # Before the batch leaves, the team knows it may reach Calven: if the team's
                # database cannot be told, the batch does not leave (TeamMemoryUnavailable).
                self._flush(place)

    def _place_of(self, run_id: int) -> str | None:
        found = self._db.execute("SELECT memory FROM runs WHERE id=?", (run_id,)).fetchone()
        return found[0] if found is not None and found[0] else None

    def _keep_op(self, place: str, op: str, stamp: str) -> None:
        self._db.execute(
            "INSERT INTO memory_outbox (place, body, written) VALUES (?, ?, ?)",
            (place, op, stamp),
        )

    def _flush(self, place: str) -> None:
        """Apply the outbox's operations for this team memory, oldest first, then forget them
        here; the caller holds the journal's lock. Raises TeamMemoryUnavailable (they stay)."""
        if self.team is None or self.team.place != place:
            return  # kept until a journal opened with that memory applies them
        ops = self._db.execute(
            "SELECT seq, body FROM memory_outbox WHERE place=? ORDER BY seq", (place,)
        ).fetchall()
        if not ops:
            return
        applied = self.team.apply(ops)
        self._db.execute("DELETE FROM memory_outbox WHERE place=? AND seq<=?", (place, applied))

    def flush_memory(self) -> None:
        """Write what this computer kept for the team memory (see `_flush`)."""
        if self.team is None:
            return
        with self._lock:
            self._flush(self.team.place)

    def waiting(self, place: str) -> int:
        """How many operations wait in this computer's outbox for that team memory."""
        with self._lock:
            found = self._db.execute(
                "SELECT COUNT(*) FROM memory_outbox WHERE place=?", (place,)
            ).fetchone()
        return int(found[0])

    def _connection_of(self, run_id: int) -> tuple[str, str] | None:
        """The run's Calven address and key id; None for a run kept without a key (no memory)."""
        found = self._db.execute("SELECT host, key_id FROM runs WHERE id=?", (run_id,)).fetchone()
        return (found[0], found[1]) if found is not None and found[1] else None

    def _rows_sent(self, run_id: int, row: int) -> list[tuple[str | None, str | None, str | None]]:
        return self._db.execute(
            "SELECT payload, retracts, answered_at FROM rows WHERE run_id=? AND row=?",
            (run_id, row),
        ).fetchall()

    def _sender(self, run_id: int) -> Sender:
        return Sender(run_id, self.sender.machine, self.sender.user, self.sender.origin)

    def record_answers(self, run_id: int, answers: Sequence[Answer]) -> None:
        """Record a batch's answers and, in the same transaction, what Calven now holds from us."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "UPDATE rows SET state=?, result_code=?, message=?, answered_at=?"
                    " WHERE run_id=? AND row=?",
                    [
                        (
                            a.state,
                            a.result_code,
                            a.message,
                            (a.answered_at or datetime.now(UTC)).isoformat(),
                            run_id,
                            a.row,
                        )
                        for a in answers
                    ],
                )
                place = self._remember(run_id, answers)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            if place is not None:
                try:
                    self._flush(place)
                except TeamMemoryUnavailable:
                    # The answers are safe here; the next batch cannot leave before they are
                    # written (mark_sending flushes first), and every comparison flushes too.
                    log.info("Answers kept for the team memory; it could not be written now")

    def _remember(self, run_id: int, answers: Sequence[Answer]) -> str | None:
        """What the answers change in the memory, in the same transaction as the answers: in
        this journal's memory, or kept for the team's (returns its address then)."""
        found = self._connection_of(run_id)
        if not answers or found is None:
            return None
        outcomes = []
        for a in answers:
            for payload, retracts, answered_at in self._rows_sent(run_id, a.row):
                if payload:
                    outcomes.append(
                        Outcome(
                            json.loads(payload), retracts is None, a.state, answered_at or _now()
                        )
                    )
        place = self._place_of(run_id)
        if place is None:
            self.memory.answered(*found, self._sender(run_id), outcomes)
            return None
        self._keep_op(place, answered_op(*found, self._sender(run_id), outcomes), _now())
        return place

    def held(
        self,
        base_url: str,
        key_id: str,
        window: DayRange | None = None,
        keys: Iterable[tuple[str, str]] | None = None,
    ) -> list[HeldEvent]:
        """What Calven holds (or may hold) from us on this connection (address and key id): all
        of it, or what can matter to a roster (`calven.sync.roster_scope` gives the window and
        keys). With a team memory, what this computer still keeps for it is written first."""
        with self._lock:
            if self.team is None:
                return self.memory.held(base_url, key_id, window, keys)
            self._flush(self.team.place)
            return self.team.held(base_url, key_id, window, keys)

    def held_counts(self) -> list[tuple[str, str, int]]:
        """Per connection, how many events the memory holds (the team's, when this journal has
        one; `history` opens the journal without, so it counts this computer's)."""
        with self._lock:
            if self.team is None:
                return self.memory.counts()
            self._flush(self.team.place)
            return self.team.counts()

    # --- the memory as a whole: status, moving in and out ------------------------------------------

    def memory_status(self) -> list[ConnectionStatus]:
        """Per connection, the memory's counts and when it was last written (the team's, when
        this journal has one: what this computer kept for it is written first)."""
        with self._lock:
            if self.team is None:
                return self.memory.status()
            self._flush(self.team.place)
            return self.team.status()

    def memory_export(self) -> Iterator[dict[str, object]]:
        with self._lock:
            if self.team is None:
                return iter(list(self.memory.export()))
            self._flush(self.team.place)
            return self.team.export()

    def memory_merge(self, records: Sequence[Record]) -> MergeCounts:
        """Merge exported versions into the memory, in one transaction (`Memory.merge`)."""
        with self._lock:
            if self.team is not None:
                self._flush(self.team.place)
                return self.team.merge(records)
            self._db.execute("BEGIN IMMEDIATE")
            try:
                counts = self.memory.merge(records)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return counts

    # --- one sender per connection ----------------------------------------------------------------

    def claim_sender(self, base_url: str, key_id: str, what: str) -> Claim | None:
        """Claim the connection for this process; None when claimed, else who holds it.

        A claim whose process has ended (crashed) is taken over: on this computer by its process
        id, from another computer (a journal on a shared folder) once it shows no sign of life
        for CLAIM_LEASE.
        """
        if self.team is not None:
            with self._lock:
                return self.team.claim(base_url, key_id, what)
        base_url = connection_key(base_url)
        now = datetime.now(UTC)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                found = self._db.execute(
                    "SELECT pid, machine, user, what, since, beat FROM senders"
                    " WHERE base_url=? AND key_id=?",
                    (base_url, key_id),
                ).fetchone()
                busy = found is not None and (
                    self._held_here(base_url, key_id) in _CLAIMED
                    or not self._stale(found[0], found[1], found[5], now)
                )
                if busy:
                    self._db.execute("COMMIT")
                    return Claim(
                        found[3], found[2], found[1], found[0], datetime.fromisoformat(found[4])
                    )
                stamp = now.isoformat()
                self._db.execute(
                    "INSERT OR REPLACE INTO senders (base_url, key_id, pid, machine, user, what,"
                    " since, beat) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        base_url,
                        key_id,
                        os.getpid(),
                        self.sender.machine,
                        self.sender.user,
                        what,
                        stamp,
                        stamp,
                    ),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            _CLAIMED.add(self._held_here(base_url, key_id))
        return None

    def _held_here(self, base_url: str, key_id: str) -> tuple[str, str, str]:
        """A claim as this process keeps it (`_CLAIMED`): per journal file, however it was named."""
        return (str(self.path.resolve()), base_url, key_id)

    @staticmethod
    def _stale(pid: int, machine: str, beat: str, now: datetime) -> bool:
        """A claim left by a process that is gone. One in this process's own id is stale unless
        this process holds it (`_CLAIMED`): then the id was a crashed process's, reused."""
        if machine == socket.gethostname():
            return pid == os.getpid() or not _alive(pid, machine)
        return now - datetime.fromisoformat(beat) > CLAIM_LEASE

    def release_sender(self, base_url: str, key_id: str) -> None:
        if self.team is not None:
            with self._lock:
                self.team.release(base_url, key_id)
                try:  # answers kept while the team memory could not be written: try once more
                    self._flush(self.team.place)
                except TeamMemoryUnavailable:
                    log.info("Answers still kept for the team memory")
            return
        with self._lock:
            self._db.execute(
                "DELETE FROM senders WHERE base_url=? AND key_id=? AND pid=? AND machine=?",
                (connection_key(base_url), key_id, os.getpid(), self.sender.machine),
            )
            _CLAIMED.discard(self._held_here(connection_key(base_url), key_id))

    def finish_run(self, run_id: int, status: str, note: str | None = None) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE runs SET status=?, finished_at=?, note=? WHERE id=?",
                (status, _now(), note, run_id),
            )

    def dismiss(self, run_id: int) -> None:
        """The person chose not to resume: stop offering it."""
        with self._lock:
            self._db.execute("UPDATE runs SET status='dismissed' WHERE id=?", (run_id,))

    def _info(
        self, where: str, params: Sequence[object], limit: int | None = None
    ) -> list[RunInfo]:
        sql = (
            "SELECT id, started_at, finished_at, status, source, sheet, profile, host, pid, machine "
            f"FROM runs {where} ORDER BY id DESC" + (f" LIMIT {int(limit)}" if limit else "")
        )
        with self._lock:
            found = self._db.execute(sql, params).fetchall()
            counts: dict[int, dict[str, int]] = {}
            for run_id, state, number in self._db.execute(
                "SELECT run_id, state, COUNT(*) FROM rows GROUP BY run_id, state"
            ):
                counts.setdefault(run_id, {})[state] = number
        return [
            RunInfo(
                r[0],
                datetime.fromisoformat(r[1]),
                _time(r[2]),
                r[3],
                r[4],
                r[5],
                r[6],
                r[7],
                counts.get(r[0], {}),
                still_running=r[3] == "running" and _alive(r[8], r[9]),
            )
            for r in found
        ]

    def runs(self, limit: int = 50) -> list[RunInfo]:
        return self._info("", (), limit)

    def run(self, run_id: int) -> RunInfo | None:
        found = self._info("WHERE id=?", (run_id,))
        return found[0] if found else None

    def interrupted_runs(self) -> list[RunInfo]:
        """Runs that stopped before every row was answered (crash, cancel) and were not dismissed."""
        candidates = self._info("WHERE status IN ('running', 'cancelled', 'failed')", ())
        return [r for r in candidates if r.unanswered and not r.still_running]

    def latest_resumable(self, source: str) -> RunInfo | None:
        for info in self.interrupted_runs():
            if info.source == source:
                return info
        return None

    def run_rows(self, run_id: int) -> list[JournalRow]:
        with self._lock:
            found = self._db.execute(
                "SELECT row, event_id, payload, state, result_code, message, sent_at, answered_at,"
                " retracts, reason FROM rows WHERE run_id=? ORDER BY row",
                (run_id,),
            ).fetchall()
        return [
            JournalRow(r[0], r[1], r[2], r[3], r[4], r[5], _time(r[6]), _time(r[7]), r[8], r[9])
            for r in found
        ]

    def unanswered(self, run_id: int) -> list[JournalRow]:
        return [r for r in self.run_rows(run_id) if r.state in UNANSWERED]

    def purge_older_than(self, age: timedelta) -> int:
        """Delete runs started before now - age; returns how many runs went.

        A run that crashed long ago goes too (it would otherwise be offered for resuming forever);
        only a run that this or another live process is still sending stays.
        """
        try:
            cutoff = (datetime.now(UTC) - age).isoformat()
        except OverflowError:  # older than the calendar: nothing can be that old
            return 0
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                old = [
                    run_id
                    for run_id, status, pid, machine in self._db.execute(
                        "SELECT id, status, pid, machine FROM runs WHERE started_at < ?", (cutoff,)
                    ).fetchall()
                    if status != "running" or not _sending_now(pid, machine)
                ]
                self._db.executemany("DELETE FROM rows WHERE run_id=?", [(i,) for i in old])
                self._db.executemany("DELETE FROM runs WHERE id=?", [(i,) for i in old])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return len(old)
