"""Calven's user list (GET /v1/analytics/users): fetched with the right key, kept for a day, explained.

The one code path behind `calven-desk directory`, `validate --directory`, `submit --directory` and
the window's name column. The list is fetched with the connection's directory key when it has one,
else with its sending key; a key without the Data Warehouse role gets a 403, and the check is then
skipped with a sentence saying so while everything else goes on as before.

Calven does not document paging: the answer is read as the documented plain array, and a list
wrapped in an object (`{"users": [...]}`, `data`, `items`, `results`) is accepted too. No further
pages are asked for; if Calven ever pages, people past the first page would show as "not known"
(a warning, never an error).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from calven_desk.roster.directory_check import DirectoryUser, users_from_json
from calven_desk.store.directory import (
    forget_directory,
    load_directory,
    save_directory,
)

# httpx (0.1-0.2 s to import) and the client load only when the list is fetched, not when a kept
# copy is used: validate --directory on a kept list pays for the check alone.
if TYPE_CHECKING:
    import httpx

    from calven_desk.calven.client import CalvenClient

log = logging.getLogger("calven_desk.calven")

USERS_PATH = "/v1/analytics/users"
#: Keys under which a wrapped answer might hold the list (not documented; tolerated, cheaply).
WRAPPERS = ("users", "data", "items", "results")


@dataclass(frozen=True, slots=True)
class DirectoryAccess:
    """Who reads the list: `key_id`/`secret` (the directory key, else the sending key).

    The kept copy is named by host and this key id, so two organisations never share one.
    """

    base_url: str
    auth: str
    key_id: str
    secret: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class DirectoryState:
    """The list to check against, or the reason there is none; `note` tells of a stale copy used."""

    users: list[DirectoryUser] | None
    fetched_at: datetime | None = None
    reason: str | None = None
    refreshed: bool = False
    note: str | None = None

    @property
    def checked(self) -> bool:
        return self.users is not None

    def as_of(self) -> str:
        """The fetch time in this computer's time zone, as "as of <time>" says it."""
        return self.fetched_at.astimezone().strftime("%Y-%m-%d %H:%M") if self.fetched_at else "now"

    def as_json(self) -> dict[str, Any]:
        if self.users is None or self.fetched_at is None:
            return {"checked": False, "reason": self.reason or "No user list."}
        return {
            "checked": True,
            "users": len(self.users),
            "fetched_at": self.fetched_at.isoformat(),
        }

    def by_status(self) -> dict[str, int]:
        return dict(Counter(u["status"] for u in self.users or ()).most_common())


def unwrap_users(answer: object) -> list[Any]:
    """The list out of Calven's answer: a plain array as documented, or one wrapped in an object."""
    from calven_desk.calven.errors import UnexpectedAnswer

    if isinstance(answer, list):
        return answer
    if isinstance(answer, dict):
        for key in WRAPPERS:
            if isinstance(answer.get(key), list):
                return list(answer[key])
    raise UnexpectedAnswer("Calven's user list did not come as a list of people.")


def fetch_users(client: CalvenClient) -> list[DirectoryUser]:
    """GET the whole list; DirectoryNotAllowed (a WrongKeyRole) on 403, other CalvenErrors as usual."""
    return users_from_json(unwrap_users(client.get_json(USERS_PATH, reading_directory=True)))


def kept_directory(
    base_url: str, key_id: str, max_age: timedelta, now: datetime | None = None
) -> DirectoryState | None:
    """The kept list of this host and key when it is young enough, else None.

    Needs no secret: a run on a list kept from earlier today never touches the keyring.
    """
    kept = load_directory(base_url, key_id)
    if kept is None or kept.age_seconds(now) > max_age.total_seconds():
        return None
    return DirectoryState(users_from_json(kept.users), kept.fetched_at)


def obtain_directory(
    access: DirectoryAccess,
    *,
    refresh: bool = False,
    max_age: timedelta = timedelta(hours=24),
    timeout: float = 30.0,
    ca_bundle: str | None = None,
    transport: httpx.BaseTransport | None = None,
    now: datetime | None = None,
) -> DirectoryState:
    """The kept list when it is young enough, else a fresh one (kept for next time).

    When Calven cannot be reached or fails on its side, an older kept copy is used rather than
    none, with a note; a refusal (403, wrong key) skips the check, since the key's rights changed.
    """
    moment = now or datetime.now(UTC)
    if not refresh and (fresh := kept_directory(access.base_url, access.key_id, max_age, moment)):
        return fresh
    kept = load_directory(access.base_url, access.key_id)
    from calven_desk.calven.auth import Credentials
    from calven_desk.calven.client import CalvenClient
    from calven_desk.calven.errors import CalvenError

    try:
        with CalvenClient(
            access.base_url,
            Credentials(access.key_id, access.secret, access.auth),
            timeout=timeout,
            ca_bundle=ca_bundle,
            transport=transport,
        ) as client:
            users = fetch_users(client)
    except CalvenError as exc:
        if exc.retryable and kept is not None:
            return DirectoryState(
                users_from_json(kept.users),
                kept.fetched_at,
                note=f"{exc} The user list kept from {_local(kept.fetched_at)} was used.",
            )
        return DirectoryState(None, reason=str(exc))
    except (ValueError, OSError) as exc:  # a bad address or an unreadable CA file
        return DirectoryState(None, reason=str(exc) or "The connection settings are not usable.")
    stored = save_directory(access.base_url, access.key_id, [dict(u) for u in users], moment)
    log.info("Calven's user list fetched from %s", access.base_url)  # never the list itself
    return DirectoryState(users, stored.fetched_at, refreshed=True)


def forget(access: DirectoryAccess) -> bool:
    """Delete the kept list of this account; True when there was one."""
    return forget_directory(access.base_url, access.key_id)


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
