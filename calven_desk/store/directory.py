"""The copy of Calven's user list kept in the data folder, one file per Calven account, with its age.

Calven asks clients not to pull warehouse data often, so the list is fetched once and kept (24
hours by default, a setting). The file holds people's names and addresses: it is written owner-only
(like the journal), never logged, and `calven-desk directory --forget` deletes it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from calven_desk.store.atomic import write_text_atomically
from calven_desk.store.paths import data_dir

log = logging.getLogger("calven_desk.store")

FORMAT = 1


@dataclass(frozen=True, slots=True)
class StoredDirectory:
    """The users as Calven sent them (plain JSON objects) and when they were fetched (UTC)."""

    users: list[dict[str, Any]]
    fetched_at: datetime
    base_url: str

    def age_seconds(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.fetched_at).total_seconds()


def directory_path(base_url: str, key_id: str) -> Path:
    """One file per Calven host and sending key: two organisations on api.calven.com never share one.

    The name is a hash, so neither the host nor the key id shows in a folder listing.
    """
    digest = hashlib.sha256(f"{base_url.rstrip('/')}\n{key_id}".encode()).hexdigest()[:20]
    return data_dir() / f"directory-{digest}.json"


def save_directory(
    base_url: str, key_id: str, users: list[dict[str, Any]], fetched_at: datetime
) -> StoredDirectory:
    path = directory_path(base_url, key_id)
    body = {
        "format": FORMAT,
        "base_url": base_url,
        "fetched_at": fetched_at.astimezone(UTC).isoformat(),
        "users": users,
    }
    write_text_atomically(path, json.dumps(body, ensure_ascii=False))  # owner-only
    return StoredDirectory(users, fetched_at.astimezone(UTC), base_url)


def load_directory(base_url: str, key_id: str) -> StoredDirectory | None:
    """The kept list, or None when there is none or it cannot be read (it is then fetched again)."""
    path = directory_path(base_url, key_id)
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
        fetched_at = datetime.fromisoformat(raw["fetched_at"])
        users = raw["users"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("The kept user list %s could not be read; it will be fetched again", path.name)
        return None
    if not isinstance(users, list) or fetched_at.tzinfo is None:
        return None
    return StoredDirectory(users, fetched_at, str(raw.get("base_url", base_url)))


def forget_directory(base_url: str, key_id: str) -> bool:
    """Delete the kept list; True when there was one."""
    path = directory_path(base_url, key_id)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed
