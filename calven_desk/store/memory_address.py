"""Where the memory of what Calven holds lives: this computer's journal, or a PostgreSQL database
the team shares, named by an address such as `postgresql://calven@db.example.com/calven_memory`.

The address is a setting of the connection (a profile's `memory`, or `--memory` /
`CALVEN_DESK_MEMORY` for jobs without one) and is kept, shown and logged without its password: a
profile's password lives in the OS keyring, a job's comes the ways libpq looks for one
(`PGPASSWORD`, `~/.pgpass`). An address that carries a password is refused where it would be
written down or seen in a process list, so it never reaches a file of ours.

The errors here are sentences for a person; they name the server by host, port and database only,
never by the whole address (the driver's own texts can carry connection options, so none is shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from calven_desk.store.secrets import Secret

#: For jobs without a profile: the team memory's address (no password in it).
MEMORY_VARIABLE = "CALVEN_DESK_MEMORY"
SCHEMES = ("postgresql", "postgres")


class MemoryAddressError(ValueError):
    """An address that cannot be used as typed; a sentence for the person."""


@dataclass(frozen=True, slots=True)
class MemoryAddress:
    """A team memory's address without its password, and the password when a profile keeps one
    in the keyring (None: libpq's own ways, PGPASSWORD or ~/.pgpass)."""

    url: str
    password: Secret | None = field(default=None, compare=False)

    @property
    def where(self) -> str:
        """The server in words, for sentences: host, port and database, nothing else."""
        return describe(self.url)


def describe(url: str) -> str:
    """`PostgreSQL at db.example.com:5432, database calven_memory`: host and database only."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    try:
        host = parts.hostname or query.get("host", "") or "this computer"
        port = parts.port or query.get("port", "")
    except ValueError:
        host, port = parts.netloc.rpartition("@")[2] or "this computer", ""
    database = unquote(parts.path.lstrip("/")) or query.get("dbname", "") or "(the default)"
    return f"PostgreSQL at {host}{f':{port}' if port else ''}, database {database}"


def parse_memory_address(text: str, *, allow_password: bool = False) -> tuple[str, str | None]:
    """The address as kept (stripped, without a password) and the password it carried, if allowed.

    Only URLs (`postgresql://user@host:port/database?sslmode=verify-full`): TLS and the other
    options go in the query as libpq takes them. A password in the address is refused unless
    `allow_password` (a profile being saved, which moves it to the keyring): a command line or an
    environment variable is seen by other programs and kept in shell histories.
    """
    address = text.strip()
    parts = urlsplit(address)
    if parts.scheme.lower() not in SCHEMES or not address.lower().startswith(
        tuple(f"{s}://" for s in SCHEMES)
    ):
        raise MemoryAddressError(
            "The team memory's address must start with postgresql:// (for example "
            "postgresql://calven@db.example.com/calven_memory)."
        )
    query = parse_qsl(parts.query, keep_blank_values=True)
    in_query = [value for name, value in query if name == "password"]
    password = parts.password or (in_query[0] if in_query else None)
    if password is None:
        return address, None
    if not allow_password:
        raise MemoryAddressError(
            "Leave the password out of the team memory's address: give it in PGPASSWORD or "
            "~/.pgpass for a job, or save the address in a profile, which keeps the password in "
            "the system keyring."
        )
    netloc = parts.netloc
    if parts.password is not None:
        credentials, _, hostpart = netloc.rpartition("@")
        netloc = f"{credentials.split(':', 1)[0]}@{hostpart}"
    kept_query = "&".join(f"{n}={v}" for n, v in query if n != "password")
    rebuilt = f"{parts.scheme}://{netloc}{parts.path}" + (f"?{kept_query}" if kept_query else "")
    return rebuilt, unquote(password)
