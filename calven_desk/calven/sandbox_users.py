"""The sandbox's users file: who it knows, and the user list it serves as Calven's warehouse would.

A line is an email or uid, optionally followed (comma or tab) by first name, last name, status
(default active) and userId (default a fixed UUID made from the email):
`Ben.Okafor@example.com, Ben, Okafor` or `old.hand@example.com, Old, Hand, deactivated`.
A file of bare emails, the older form, still works: its people simply have no names.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

__all__ = ["person_from_line", "read_users_file"]


def person_from_line(line: str) -> dict[str, Any] | None:
    """One users-file line as a user of Calven's list; None for a bare uid (no email)."""
    parts = [p.strip() for p in line.replace("\t", ",").split(",")]
    email = parts[0]
    if "@" not in email:
        return None
    first, last, status, user_id = [*parts[1:], "", "", "", ""][:4]
    return {
        "email": email,
        "firstName": first,
        "lastName": last,
        "onboarded": True,
        "status": status or "active",
        "userId": user_id or str(uuid.uuid5(uuid.NAMESPACE_URL, email.casefold())).upper(),
        "userName": email,
    }


def read_users_file(
    lines: Iterable[str] | None,
) -> tuple[set[str] | None, list[dict[str, Any]]]:
    """Who the sandbox knows (each line's email or uid, and each person's userId; None when there
    is no file, so everyone is known) and the people of its user list."""
    if lines is None:
        return None, []
    stripped = [line.strip() for line in lines if line.strip()]
    people = [p for p in map(person_from_line, stripped) if p is not None]
    known = {line.replace("\t", ",").split(",")[0].strip() for line in stripped}
    return known | {p["userId"] for p in people}, people
