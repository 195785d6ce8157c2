"""The memory of what Calven holds, shared by a team in PostgreSQL.

Several HR computers sending to one Calven must plan from one memory, or each sees the others'
rows as "new" and cannot cancel leave another sent. This module keeps that memory in a database
the team shares: the same table and the same rules as the journal's (`store.held.Memory` runs over
this connection; only the look-up of many keys at once differs), the layout created and brought
up to date by the app (`LAYOUT`, a number kept in the database), the last operation applied from
each computer's outbox (`apply`, see `store.memory_ops`), and the one-sender claim as a session
lock: the database releases it when a sender's session ends, crashed or not.

Everything that goes wrong is one sentence naming the server by host and database
(`TeamMemoryUnavailable`): the driver's own texts may carry connection options, so none is shown or
logged, and the password (from the keyring, or libpq's PGPASSWORD and ~/.pgpass) goes nowhere but
to the driver.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from datetime import UTC, datetime
from functools import lru_cache
from hashlib import sha256
from typing import TYPE_CHECKING, Any, TypeVar

from calven_desk.logs import register_secret
from calven_desk.roster.days import DayRange
from calven_desk.store import memory_ops
from calven_desk.store.claim import Claim
from calven_desk.store.held import (
    COLUMNS,
    INSERT_ROW,
    MEMORY_SCHEMA,
    ConnectionStatus,
    Found,
    HeldEvent,
    Memory,
    MergeCounts,
    Outcome,
    Record,
    Sender,
    connection_key,
    person_of,
)
from calven_desk.store.memory_address import MemoryAddress
from calven_desk.store.unavailable import TeamMemoryUnavailable

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("calven_desk.store")

#: Every table of ours lives in this schema of the team's database (IT creates it: README).
SCHEMA = "calven_desk"
#: The layout this release writes; a database at a later one was set up by a newer release.
LAYOUT = 1
#: LAYOUT_STEPS[n] brings a database from layout n to n + 1 (0: nothing there yet).
LAYOUT_STEPS = (
    """
    CREATE TABLE memory_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE memory_events (
        base_url TEXT COLLATE "C" NOT NULL,
        key_id TEXT COLLATE "C" NOT NULL,
        person TEXT COLLATE "C" NOT NULL,
        event_id TEXT COLLATE "C" NOT NULL,
        version TEXT COLLATE "C" NOT NULL,
        event_type TEXT COLLATE "C" NOT NULL,
        payload TEXT NOT NULL,
        days TEXT COLLATE "C" NOT NULL,
        first_day TEXT COLLATE "C" NOT NULL,
        last_day TEXT COLLATE "C" NOT NULL,
        state TEXT COLLATE "C" NOT NULL,
        since TEXT COLLATE "C" NOT NULL,
        run_id BIGINT NOT NULL,
        machine TEXT NOT NULL DEFAULT '',
        sender TEXT NOT NULL DEFAULT '',
        origin TEXT COLLATE "C" NOT NULL DEFAULT '',
        PRIMARY KEY (base_url, key_id, person, event_id, version)
    );
    CREATE INDEX memory_person ON memory_events (base_url, key_id, person);
    -- Partial: only a comparison's window (first_day <> '') may use it. A whole one was
    -- chosen, before the table's first statistics, for every look-up by person and eventId,
    -- reading all of a connection's rows each time (0.15 ms a statement at 5,000).
    CREATE INDEX memory_days ON memory_events (base_url, key_id, first_day)
        WHERE first_day <> '';
    CREATE TABLE memory_origins (
        origin TEXT COLLATE "C" NOT NULL,   -- a computer's journal
        place TEXT COLLATE "C" NOT NULL,    -- this database's address as that journal names it
        last_seq BIGINT NOT NULL,           -- the last operation of its outbox applied here
        machine TEXT NOT NULL,
        sender TEXT NOT NULL,
        written TEXT NOT NULL,
        PRIMARY KEY (origin, place)
    );
    CREATE TABLE memory_senders (
        base_url TEXT COLLATE "C" NOT NULL,
        key_id TEXT COLLATE "C" NOT NULL,
        pid INTEGER NOT NULL,
        machine TEXT NOT NULL,
        sender TEXT NOT NULL,
        what TEXT NOT NULL,
        since TEXT NOT NULL,
        PRIMARY KEY (base_url, key_id)
    );
    """,
)
#: Held (inside a transaction) while the layout is checked or changed: two computers starting
#: at once must not both create the tables.
_LAYOUT_LOCK = 0x43616C76  # "Calv"
#: How long a connection attempt waits, unless the address says (`connect_timeout=`).
CONNECT_TIMEOUT_SECONDS = 5
#: A sender's session whose computer vanished (a laptop closed mid-run) is noticed by the server
#: within about a minute, and its claim released, rather than after TCP's two hours.
_SESSION_SETTINGS = (
    "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3"
)
_CLIENT_OPTIONS = {
    "connect_timeout": str(CONNECT_TIMEOUT_SECONDS),
    "application_name": "calven-desk",
    "keepalives": "1",
    "keepalives_idle": "30",
    "keepalives_interval": "10",
    "keepalives_count": "3",
}

T = TypeVar("T")
#: The columns an answer may change, all but the key (the first five of COLUMNS).
_WRITTEN = tuple(c.strip() for c in COLUMNS.split(","))[5:]


@lru_cache(maxsize=256)
def _placeholders(sql: str) -> str:
    """The memory's SQL with PostgreSQL's placeholders (none of it holds a literal ? or %)."""
    return sql.replace("?", "%s")


class PgSql:
    """A psycopg connection as `Memory` uses one: SQL with `?` placeholders."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Sequence[object] = (), /) -> Found:
        return self.connection.execute(_placeholders(sql), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[object]], /) -> object:
        with self.connection.cursor() as cursor:
            cursor.executemany(_placeholders(sql), list(rows))
        return None


class TeamRules(Memory):
    """The memory's rules over PostgreSQL: many keys are looked up in one query, as arrays,
    where SQLite fills a temporary table, and a batch's answers are worked out beside the server
    and written as what they changed (`answered`)."""

    def answered(
        self, base_url: str, key_id: str, sender: Sender, outcomes: Sequence[Outcome]
    ) -> None:
        """The same rules, run on a copy of the answered people's rows in a scratch SQLite
        memory, then written back as the rows they removed or changed. The rules read and write
        only those people's rows, but a statement at a time: a batch of 50 moved leaves made 250
        statements, each a trip to the server (46 ms on loopback; a quarter of a second at a
        LAN's 1 ms a trip); here it is one read and two writes, whatever the batch. The rows
        read are locked until the transaction ends, so nothing changes them between the read
        and the write. A row another writer adds meanwhile for the same people (another
        computer's answers written late, which needs no claim) is not seen, as it was not
        between single statements either; the sender's claim keeps new answers from coming
        from anywhere else."""
        if not outcomes:
            return
        where = (connection_key(base_url), key_id)
        people = sorted({person_of(o.event) for o in outcomes})
        before = {
            tuple(row[:5]): tuple(row)
            for row in self.db.execute(
                f"SELECT {COLUMNS} FROM memory_events WHERE base_url=? AND key_id=?"
                " AND person = ANY(?) FOR UPDATE",
                (*where, people),
            ).fetchall()
        }
        with closing(sqlite3.connect(":memory:")) as scratch:
            scratch.executescript(MEMORY_SCHEMA)
            scratch.executemany(INSERT_ROW, before.values())
            Memory(scratch).answered(base_url, key_id, sender, outcomes)
            after = {
                tuple(row[:5]): tuple(row)
                for row in scratch.execute(f"SELECT {COLUMNS} FROM memory_events")
            }
        gone = [key for key in before if key not in after]
        changed = [row for key, row in after.items() if before.get(key) != row]
        if gone:
            self.db.executemany(
                "DELETE FROM memory_events WHERE base_url=? AND key_id=? AND person=?"
                " AND event_id=? AND version=?",
                gone,
            )
        if changed:
            self.db.executemany(
                f"{INSERT_ROW} ON CONFLICT (base_url, key_id, person, event_id, version) DO UPDATE SET "
                + ", ".join(f"{c}=excluded.{c}" for c in _WRITTEN),
                changed,
            )

    def _by_keys(
        self,
        columns: str,
        where: tuple[str, str],
        elsewhere: str,
        bounds: tuple[str, ...],
        keys: set[tuple[str, str]],
    ) -> list[tuple[Any, ...]]:
        people = [person for person, _ in keys]
        ids = [event_id for _, event_id in keys]
        found: list[tuple[Any, ...]] = self.db.execute(
            f"SELECT {columns} FROM unnest(?::text[], ?::text[]) AS w(person, event_id)"
            " JOIN memory_events m ON m.base_url=? AND m.key_id=? AND m.person=w.person"
            f" AND m.event_id=w.event_id{elsewhere}",
            (people, ids, *where, *bounds),
        ).fetchall()
        return found


def lock_key(base_url: str, key_id: str) -> int:
    """The session lock that stands for a connection's one-sender claim (a signed 64-bit number)."""
    digest = sha256(f"calven-desk sender\n{connection_key(base_url)}\n{key_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class TeamMemory:
    """One computer's way into the team's memory: a session opened when first needed, kept for
    the journal's life (a sender's claim lives as long as it), closed with the journal.

    A session that breaks while it holds a claim is not reopened for the rest of that claim: the
    claim went with it, and another computer may be sending by now. Calven's answers meanwhile stay
    in this computer's outbox and are written at the next chance (`Journal` flushes it before any
    comparison, and once more when the claim is given back).
    """

    def __init__(self, address: MemoryAddress, origin: str, sender: Sender) -> None:
        self.address = address
        self.origin = origin
        self.sender = sender
        self._connection: psycopg.Connection[Any] | None = None
        self._lock = threading.RLock()
        self._claims: set[int] = set()
        self._lost = False

    @property
    def place(self) -> str:
        return self.address.url

    # --- the session ----------------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        if self._lost:
            raise TeamMemoryUnavailable(
                f"The connection to the team memory ({self.address.where}) was lost during the "
                "send, and with it the claim to send alone: nothing more is sent. Calven's answers "
                "so far are kept on this computer and written to the team memory before the next "
                "comparison or send; send again to finish."
            )
        if self._connection is not None and not self._connection.closed:
            return self._connection
        try:
            given = conninfo_to_dict(self.address.url)
        except psycopg.ProgrammingError:
            raise TeamMemoryUnavailable(
                f"The team memory's address ({self.address.where}) cannot be read; check it in "
                "Send > Connection… or --memory."
            ) from None
        options: dict[str, Any] = {k: v for k, v in _CLIENT_OPTIONS.items() if k not in given}
        if self.address.password:
            password = self.address.password.reveal()
            register_secret(password)
            options["password"] = password
        try:
            connection = psycopg.connect(self.address.url, autocommit=True, **options)
        except psycopg.Error as exc:
            raise self._unavailable(exc, connecting=True) from None
        try:
            connection.execute(_SESSION_SETTINGS)
            self._prepare(connection)
        except psycopg.Error as exc:
            connection.close()
            raise self._unavailable(exc) from None
        except TeamMemoryUnavailable:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _prepare(self, connection: psycopg.Connection[Any]) -> None:
        """Our schema, at this release's layout: created or brought up to date under a lock."""
        import psycopg

        found = connection.execute(
            "SELECT 1 FROM pg_namespace WHERE nspname = %s", (SCHEMA,)
        ).fetchone()
        if found is None:
            try:
                connection.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            except psycopg.errors.InsufficientPrivilege:
                raise TeamMemoryUnavailable(
                    f"The team memory ({self.address.where}) has no schema '{SCHEMA}', and this "
                    "user may not create one: IT creates it with the lines in the README (A "
                    "team's memory)."
                ) from None
        connection.execute(f"SET search_path TO {SCHEMA}")
        if self._layout(connection) == LAYOUT:
            return
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (_LAYOUT_LOCK,))
            layout = self._layout(connection)
            if layout > LAYOUT:
                raise TeamMemoryUnavailable(
                    f"The team memory ({self.address.where}) was set up by a newer Calven Desk "
                    f"(layout {layout}; this one knows {LAYOUT}): update Calven Desk on this "
                    "computer."
                )
            for step in LAYOUT_STEPS[layout:]:
                connection.execute(step)
            connection.execute(
                "INSERT INTO memory_meta (name, value) VALUES ('layout', %s)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (str(LAYOUT),),
            )

    @staticmethod
    def _layout(connection: psycopg.Connection[Any]) -> int:
        exists = connection.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.memory_meta",)).fetchone()
        if exists is None or exists[0] is None:
            return 0
        found = connection.execute("SELECT value FROM memory_meta WHERE name='layout'").fetchone()
        return int(found[0]) if found else 0

    def _unavailable(self, exc: Exception, connecting: bool = False) -> TeamMemoryUnavailable:
        """Our sentence for a driver error; the driver's text is never shown nor logged (it can
        carry connection options), only its class and SQLSTATE."""
        import psycopg

        state = getattr(exc, "sqlstate", None)
        log.info("Team memory: %s (SQLSTATE %s)", type(exc).__name__, state or "none")
        where = self.address.where
        text = str(exc)
        broken = (
            connecting
            or isinstance(exc, psycopg.OperationalError)
            or (self._connection is not None and self._connection.broken)
        )
        if broken:
            self._drop_session()
        if state in ("28P01", "28000") or "password authentication failed" in text:
            return TeamMemoryUnavailable(
                f"The team memory ({where}) refused the sign-in: check the user in the address and "
                "the password (Send > Connection… for a profile; PGPASSWORD or ~/.pgpass for a job)."
            )
        if "no password supplied" in text:
            return TeamMemoryUnavailable(
                f"The team memory ({where}) asks for a password and none was given: save it with "
                "the profile (Send > Connection…), or give it in PGPASSWORD or ~/.pgpass for a job."
            )
        if state == "3D000" or ("database" in text and "does not exist" in text):
            return TeamMemoryUnavailable(
                f"The team memory's database does not exist ({where}): IT creates it with the "
                "lines in the README (A team's memory)."
            )
        if state == "42501":
            return TeamMemoryUnavailable(
                f"The team memory ({where}) refused this user the rights it needs: IT gives them "
                "with the lines in the README (A team's memory)."
            )
        if connecting and ("certificate" in text or "SSL" in text):
            return TeamMemoryUnavailable(
                f"The team memory ({where}) could not be reached securely: its certificate was "
                "not accepted (check sslrootcert= in the address, or ask IT which file to use)."
            )
        if connecting:
            return TeamMemoryUnavailable(
                f"The team memory ({where}) cannot be reached: check the address and that the "
                "server is running, or ask IT."
            )
        if broken:
            return TeamMemoryUnavailable(
                f"The connection to the team memory ({where}) was lost. Nothing more was sent; "
                "Calven's answers so far are kept on this computer and written to the team memory "
                "at the next comparison or send."
            )
        return TeamMemoryUnavailable(
            f"The team memory ({where}) answered with an error (SQLSTATE {state or 'none'}); "
            "nothing was changed. Tell IT, with the time it happened."
        )

    def _drop_session(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # already gone: nothing more to close
                log.debug("Team memory session closed with an error")
        self._connection = None
        if self._claims:
            self._lost = True
            self._claims.clear()

    def _run(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        import psycopg

        with self._lock:
            connection = self._connect()
            try:
                return work(connection)
            except psycopg.Error as exc:
                raise self._unavailable(exc) from None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            self._claims.clear()

    # --- the memory -----------------------------------------------------------------------------

    def apply(self, operations: Sequence[tuple[int, str]]) -> int:
        """Apply this computer's kept operations in order, in one transaction that also records
        the last one applied: one already applied (a repeat after a crash) is skipped. Returns
        the last sequence number now applied."""
        if not operations:
            return 0
        stamp = datetime.now(UTC).isoformat()
        who = (self.origin, self.place)

        def work(connection: psycopg.Connection[Any]) -> int:
            with connection.transaction():
                connection.execute(
                    "INSERT INTO memory_origins (origin, place, last_seq, machine, sender, written)"
                    " VALUES (%s, %s, 0, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (*who, self.sender.machine, self.sender.user, stamp),
                )
                row = connection.execute(
                    "SELECT last_seq FROM memory_origins WHERE origin=%s AND place=%s FOR UPDATE",
                    who,
                ).fetchone()
                last = int(row[0]) if row else 0
                rules = TeamRules(PgSql(connection))
                for seq, body in operations:
                    if seq > last:
                        memory_ops.apply(rules, body)
                        last = seq
                connection.execute(
                    "UPDATE memory_origins SET last_seq=%s, machine=%s, sender=%s, written=%s"
                    " WHERE origin=%s AND place=%s",
                    (last, self.sender.machine, self.sender.user, stamp, *who),
                )
            return last

        return self._run(work)

    def held(
        self,
        base_url: str,
        key_id: str,
        window: DayRange | None = None,
        keys: Iterable[tuple[str, str]] | None = None,
    ) -> list[HeldEvent]:
        return self._run(lambda c: TeamRules(PgSql(c)).held(base_url, key_id, window, keys))

    def counts(self) -> list[tuple[str, str, int]]:
        return self._run(lambda c: TeamRules(PgSql(c)).counts())

    def status(self) -> list[ConnectionStatus]:
        return self._run(lambda c: TeamRules(PgSql(c)).status())

    def export(self) -> Iterator[dict[str, object]]:
        def work(connection: psycopg.Connection[Any]) -> list[dict[str, object]]:
            with connection.transaction():  # one consistent picture, however long it takes
                connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                return list(TeamRules(PgSql(connection)).export())

        return iter(self._run(work))

    def merge(self, records: Sequence[Record]) -> MergeCounts:
        def work(connection: psycopg.Connection[Any]) -> MergeCounts:
            with connection.transaction():
                return TeamRules(PgSql(connection)).merge(records)

        return self._run(work)

    # --- one sender per connection, across computers ---------------------------------------------

    def claim(self, base_url: str, key_id: str, what: str) -> Claim | None:
        """Take the connection's session lock for this process; None when taken, else who holds it
        (as its holder wrote it down when it took it)."""
        base_url, key = connection_key(base_url), lock_key(base_url, key_id)

        def work(connection: psycopg.Connection[Any]) -> Claim | None:
            # A session lock is its session's to take again: this session's own claim is busy.
            taken = (
                None
                if key in self._claims
                else connection.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
            )
            if taken is not None and taken[0]:
                self._claims.add(key)
                connection.execute(
                    "INSERT INTO memory_senders (base_url, key_id, pid, machine, sender, what, since)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (base_url, key_id) DO UPDATE"
                    " SET pid=excluded.pid, machine=excluded.machine, sender=excluded.sender,"
                    " what=excluded.what, since=excluded.since",
                    (
                        base_url,
                        key_id,
                        os.getpid(),
                        self.sender.machine,
                        self.sender.user,
                        what,
                        datetime.now(UTC).isoformat(),
                    ),
                )
                return None
            found = connection.execute(
                "SELECT what, sender, machine, pid, since FROM memory_senders"
                " WHERE base_url=%s AND key_id=%s",
                (base_url, key_id),
            ).fetchone()
            if found is None:  # taken a moment ago, not yet written down
                return Claim("a send", "", "another computer", 0, datetime.now(UTC))
            return Claim(
                found[0], found[1], found[2], int(found[3]), datetime.fromisoformat(found[4])
            )

        return self._run(work)

    def release(self, base_url: str, key_id: str) -> None:
        """Give the claim back; a claim lost with its session is only forgotten (the database has
        released it already), so the next flush may open a new session."""
        key = lock_key(base_url, key_id)
        with self._lock:
            if self._lost:
                self._lost = False
                return
            if key not in self._claims or self._connection is None:
                return

            def work(connection: psycopg.Connection[Any]) -> None:
                connection.execute(
                    "DELETE FROM memory_senders WHERE base_url=%s AND key_id=%s AND pid=%s"
                    " AND machine=%s",
                    (connection_key(base_url), key_id, os.getpid(), self.sender.machine),
                )
                connection.execute("SELECT pg_advisory_unlock(%s)", (key,))

            self._claims.discard(key)
            self._run(work)


def check_team_memory(address: MemoryAddress) -> str:
    """Sign in, set up or check the layout, and count what it holds: the Test button's and
    `profile test`'s answer, a sentence. Raises TeamMemoryUnavailable with what is wrong."""
    memory = TeamMemory(address, "", Sender(0))
    try:
        found = memory.status()
    finally:
        memory.close()
    events = sum(c.events for c in found)
    connections = len(found)
    return (
        f"The team memory ({address.where}) answers: {events:,} "
        f"{'event' if events == 1 else 'events'} held for {connections} "
        f"{'connection' if connections == 1 else 'connections'}."
    )
