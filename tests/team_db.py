"""A team memory for a test: a PostgreSQL database and role made with the README's own lines for IT.

`.ci/run` starts a throwaway cluster (`.ci/postgres`) and names its superuser's address in
CALVEN_DESK_TEST_POSTGRES; without it these tests are skipped on a developer's machine (saying how
to start one) and fail under CI, where a missing database is a broken CI, never a test quietly
counted as done.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

VARIABLE = "CALVEN_DESK_TEST_POSTGRES"
README = Path(__file__).resolve().parent.parent / "README.md"
#: The names the README's lines use; each test gets its own (a suffix added), so runs side by side
#: on one cluster never meet. The schema keeps its name: the app always works in `calven_desk`.
DATABASE, ROLE = "calven_memory", "calven_desk"


def admin_address() -> str:
    found = os.environ.get(VARIABLE, "")
    if not found:
        message = (
            f"no PostgreSQL for the team memory tests: set {VARIABLE} to a superuser's address, "
            "e.g. from `.ci/postgres start /tmp/calven-pg 55432` (Debian's postgresql package)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def readme_sql() -> list[str]:
    """The README's lines for IT, statement by statement (`\\connect` included)."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"\n((?:    .*\n)*    CREATE ROLE calven_desk[^\n]*\n(?:    .*\n)*)", text)
    assert block is not None, "the README's lines for IT are missing"
    lines = [line[4:] for line in block.group(1).splitlines() if line.strip()]
    return [line for line in lines if not line.startswith("--")]


def with_database(address: str, database: str, user: str = "", password: str = "") -> str:
    parts = urlsplit(address)
    host = parts.hostname or "127.0.0.1"
    netloc = f"{user or parts.username}{f':{password}' if password else ''}@{host}:{parts.port}"
    if not user and parts.password:
        netloc = f"{parts.username}:{parts.password}@{host}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, f"/{database}", "", ""))


@dataclass(frozen=True)
class TeamDb:
    """The team's database as IT set it up: the app's address (no password in it), the
    password (given the libpq way, PGPASSWORD), and the superuser's address for the test."""

    url: str
    password: str
    admin: str
    role: str = ROLE

    def env(self) -> dict[str, str]:
        """What a job on a team computer sets."""
        return {"CALVEN_DESK_MEMORY": self.url, "PGPASSWORD": self.password}

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def cut_sessions(self) -> int:
        """End every session of the app's role (pg_terminate_backend), as a dropped network or a
        restarted server would; returns how many."""
        found = self.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s"
            " AND pid <> pg_backend_pid()",
            (self.role,),
        )
        return len(found)


def own_names(statement: str, suffix: str) -> str:
    """A README line with this test's database and role (the schema keeps its name)."""
    statement = statement.replace(DATABASE, f"{DATABASE}_{suffix}")
    return re.sub(rf"\b(ROLE|TO|AUTHORIZATION) {ROLE}\b", rf"\1 {ROLE}_{suffix}", statement)


def create(admin: str) -> TeamDb:
    import psycopg

    password, suffix = secrets.token_urlsafe(16), secrets.token_hex(4)
    database, role = f"{DATABASE}_{suffix}", f"{ROLE}_{suffix}"
    connection = psycopg.connect(admin, autocommit=True)
    try:
        for line in readme_sql():
            statement = own_names(line, suffix)
            if statement.startswith("\\connect"):
                connection.close()
                connection = psycopg.connect(
                    with_database(admin, statement.split()[1]), autocommit=True
                )
                continue
            connection.execute(statement.replace("choose-a-long-one", password))
    finally:
        connection.close()
    url = with_database(admin, database, user=role)
    return TeamDb(url, password, with_database(admin, database), role)


def drop(admin: str, made: TeamDb) -> None:
    import psycopg

    database = made.url.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"DROP ROLE IF EXISTS {made.role}")


@pytest.fixture
def team_db() -> Iterator[TeamDb]:
    admin = admin_address()
    made = create(admin)
    try:
        yield made
    finally:
        drop(admin, made)
