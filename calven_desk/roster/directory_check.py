"""Checks roster rows against Calven's user list: wrong capitals, unknown people, near misses, uids.

Pure: it takes the rows and a plain list of users (Calven's JSON objects) and knows nothing of how
the list was fetched or kept. Calven matches addresses exactly, so a capital letter out of place is
an error (the row would be refused); everything else it finds is a warning, with a `suggestion`
when exactly one person fits.

Speed matters (50,000 rows against 20,000 people within half a second): known addresses are one
dict look-up each, and the search for near misses (roster/near_miss.py) runs only for unknown
addresses, through an index built the first time one is needed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from calven_desk.roster.mapping import normalise_header
from calven_desk.roster.model import DirectoryProblem, Field, RosterCheck, RowCheck, SourceTable
from calven_desk.roster.near_miss import NearMisses
from calven_desk.roster.vocabulary import NAME_HEADERS, all_words, fold

ACTIVE = "active"
CASE, UNKNOWN, INACTIVE, UID = "case", "unknown", "inactive", "uid"

#: Headers of a roster column holding the whole name, or the first and the last name, folded,
#: in every language (roster/vocabulary.py), best first.
FULL_NAME_HEADERS, FIRST_NAME_HEADERS, LAST_NAME_HEADERS = (
    tuple(dict.fromkeys(fold(word) for word in all_words(NAME_HEADERS[kind])))
    for kind in ("fullName", "firstName", "lastName")
)

_NOT_LETTER = re.compile(r"[^\w]+|_|\d", re.UNICODE)


class DirectoryUser(TypedDict):
    """One person in Calven's user list, as GET /v1/analytics/users gives them (fields we use)."""

    email: str
    userId: str
    firstName: str
    lastName: str
    status: str


def users_from_json(raw: object) -> list[DirectoryUser]:
    """Calven's answer (or the stored copy) as users; entries that are not people are left out."""
    users: list[DirectoryUser] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        email, user_id, first, last, status = map(
            _text, map(item.get, ("email", "userId", "firstName", "lastName", "status"))
        )
        if email or user_id:
            users.append(
                DirectoryUser(
                    email=email,
                    userId=user_id,
                    firstName=first,
                    lastName=last,
                    status=status.casefold() or ACTIVE,
                )
            )
    return users


def _text(value: object) -> str:
    """A field as text: Calven's strings as they are (trimmed), a number as its digits, null as ""."""
    if isinstance(value, str):
        return value.strip()
    return "" if value is None else str(value).strip()


def fold_name(text: str) -> list[str]:
    """`Zoë  O'Brien-Dupont` -> ['zoe', 'o', 'brien', 'dupont']: no case, no accents, words only."""
    if not text.isascii():  # most names are: skip the per-letter work for them
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NOT_LETTER.sub(" ", text.casefold()).split()


def name_key(first: str, last: str) -> tuple[str, str] | None:
    """First word of the first name and last word of the last name, folded; None if either is empty."""
    if first.isalpha() and last.isalpha() and first.isascii() and last.isascii():
        return first.casefold(), last.casefold()  # one plain word each: most names, 20,000 of them
    firsts, lasts = fold_name(first), fold_name(last)
    return (firsts[0], lasts[-1]) if firsts and lasts else None


def roster_name_key(full: str) -> tuple[str, str] | None:
    """A roster's whole-name cell as a key: `Ben Okafor` and `Okafor, Ben` both give (ben, okafor)."""
    if "," in full:
        last, _, first = full.partition(",")
        return name_key(first, last)
    words = fold_name(full)
    return (words[0], words[-1]) if len(words) >= 2 else None


def name_columns(headers: Sequence[str]) -> tuple[int, ...]:
    """The roster's name column (one index), or its first- and last-name columns (two), or ()."""
    normalised = [normalise_header(h) for h in headers]

    def find(names: tuple[str, ...]) -> int | None:
        for name in names:
            if name in normalised:
                return normalised.index(name)
        return None

    first, last = find(FIRST_NAME_HEADERS), find(LAST_NAME_HEADERS)
    if first is not None and last is not None:
        return (first, last)
    full = find(FULL_NAME_HEADERS)
    return (full,) if full is not None else ()


def roster_name(cells: Sequence[object], columns: tuple[int, ...]) -> str:
    """The person's name as the roster writes it ("" when it has no name column)."""
    parts = [
        str(cells[i]).strip() if i < len(cells) and cells[i] is not None else "" for i in columns
    ]
    if len(parts) == 2:
        first, last = parts
        return f"{last}, {first}" if first and last else ""
    return parts[0] if parts else ""


def names_by_row(table: SourceTable) -> dict[int, str]:
    """Each row's name from the roster's name column(s), by sheet row number; {} without one."""
    columns = name_columns(table.headers)
    if not columns:
        return {}
    return {source.row: roster_name(source.cells, columns) for source in table.rows}


@dataclass(slots=True)
class Finding:
    """What the list says about one row: the person's name in Calven, and any problems."""

    name: str | None
    problems: list[DirectoryProblem] = field(default_factory=list)


class DirectoryIndex:
    """Calven's user list arranged for look-ups by exact address, address in any case, uid and name."""

    def __init__(self, users: Sequence[DirectoryUser], as_of: str) -> None:
        #: How old the list is, in words, for "Calven does not know ... as of <time>".
        self.as_of = as_of
        self.users = users
        self.by_email: dict[str, int] = {}
        self.by_folded: dict[str, list[int]] = {}
        self.by_uid: dict[str, int] = {}
        self._by_name: dict[tuple[str, str], list[int]] | None = None
        self._near_misses: NearMisses | None = None
        #: Near misses by address: a person misspelt once is usually misspelt on all their rows.
        self._near_cache: dict[str, set[int]] = {}
        for index, user in enumerate(users):
            email = user["email"]
            if email:
                self.by_email.setdefault(email, index)
                self.by_folded.setdefault(email.casefold(), []).append(index)
            if user["userId"]:
                self.by_uid.setdefault(user["userId"], index)
        #: Each person's name as Calven has it (their address when Calven has no name).
        self.names = [
            f"{u['firstName']} {u['lastName']}".strip() or u["email"] or u["userId"] for u in users
        ]

    def name_of(self, index: int) -> str:
        return self.names[index]

    def check_event(self, event: Mapping[str, str] | None, name: str = "") -> Finding:
        """The finding for a row's event (None for an invalid row): by its email, or its uid."""
        event = event or {}
        return self.check(event.get("email", ""), event.get("uid", ""), name)

    def check(self, email: str, uid: str = "", name: str = "") -> Finding:
        """The finding for one row sent by `email`, or by `uid` when it has no email."""
        if email:
            return self._check_email(email, name)
        if uid:
            found = self.by_uid.get(uid)
            if found is None:
                return Finding(
                    None,
                    [
                        DirectoryProblem(
                            "uid",
                            "warning",
                            f"No one in Calven's user list (as of {self.as_of}) has the Calven user ID "
                            f"'{uid}'; check it with your Calven administrator.",
                            kind=UID,
                        )
                    ],
                )
            return Finding(self.name_of(found), self._inactive("uid", found))
        return Finding(None)

    def _check_email(self, email: str, name: str) -> Finding:
        found = self.by_email.get(email)
        if found is not None:
            return Finding(self.name_of(found), self._inactive("email", found))
        same = self.by_folded.get(email.casefold())
        if same:
            spellings = sorted({self.users[i]["email"] for i in same})
            if len(spellings) == 1:
                message = (
                    f"Calven has this person as {spellings[0]}; Calven matches addresses exactly."
                )
                suggestion: str | None = spellings[0]
            else:
                message = (
                    f"Calven has this address only as {' or '.join(spellings)}; Calven matches "
                    "addresses exactly, so choose the right one."
                )
                suggestion = None
            return Finding(
                self.name_of(same[0]),
                [DirectoryProblem("email", "error", message, kind=CASE, suggestion=suggestion)],
            )
        folded = email.casefold()
        near = self._near_cache.get(folded)
        if near is None:
            if self._near_misses is None:
                self._near_misses = NearMisses([u["email"] for u in self.users])
            near = self._near_cache[folded] = self._near_misses.find(folded)
        fits = self._by_roster_name(name) | near
        message = f"Calven does not know {email} as of {self.as_of}."
        suggestion = None
        if len(fits) == 1:
            (only,) = fits
            suggestion = self.users[only]["email"]
            message += f" Did you mean {suggestion} ({self.name_of(only)})?"
        return Finding(
            None,
            [DirectoryProblem("email", "warning", message, kind=UNKNOWN, suggestion=suggestion)],
        )

    def _inactive(self, where: Field, index: int) -> list[DirectoryProblem]:
        status = self.users[index]["status"]
        if status == ACTIVE:
            return []
        return [
            DirectoryProblem(
                where,
                "warning",
                f"Calven lists {self.name_of(index)} as {status}, not active; Calven may not "
                "record leave for them.",
                kind=INACTIVE,
            )
        ]

    def _by_roster_name(self, name: str) -> set[int]:
        key = roster_name_key(name) if name else None
        if key is None:
            return set()
        if self._by_name is None:
            self._by_name = {}
            for index, user in enumerate(self.users):
                user_key = name_key(user["firstName"], user["lastName"])
                if user_key is not None and user["email"]:
                    self._by_name.setdefault(user_key, []).append(index)
        return set(self._by_name.get(key, ()))


def check_rows(
    index: DirectoryIndex,
    rows: Iterable[RowCheck],
    names: Mapping[int, str] | Callable[[int], str] | None = None,
) -> dict[int, str]:
    """Set every row's `directory` problems; returns Calven's name for each row whose person it knows.

    `names` gives the roster's own name for a sheet row number (for suggestions by name): a
    mapping, or a function asked only for the few rows whose address Calven does not know.
    Rows with no usable email or uid (already an error of their own) are left alone, and so are
    skipped rows (pending, refused, shorter than half a day): nothing of theirs is sent.
    """
    name_for = names if callable(names) else (names or {}).get
    known: dict[int, str] = {}
    by_email, users, people = index.by_email, index.users, index.names
    for row in rows:
        if row.skip is not None:
            if row.directory:
                row.directory = []
            continue
        event = row.event or {}
        email = event.get("email", "")
        # The usual row, an active person at the exact address, takes the short way (50,000 rows).
        found = by_email.get(email) if email else None
        if found is not None and users[found]["status"] == ACTIVE:
            if row.directory:
                row.directory = []
            known[row.row] = people[found]
            continue
        finding = index.check_event(event, name_for(row.row) or "")
        row.directory = finding.problems
        if finding.name:
            known[row.row] = finding.name
    return known


def roster_names(table: SourceTable) -> Callable[[int], str]:
    """The roster's own name for a sheet row, looked up only when asked (most rows never are)."""
    columns = name_columns(table.headers)
    cells: dict[int, Sequence[object]] = {}

    def name_for(row: int) -> str:
        if not columns:
            return ""
        if not cells:
            cells.update((source.row, source.cells) for source in table.rows)
        found = cells.get(row)
        return roster_name(found, columns) if found is not None else ""

    return name_for


def check_roster(check: RosterCheck, users: Sequence[DirectoryUser], as_of: str) -> dict[int, str]:
    """Check a whole read roster against the list; returns Calven's name by sheet row number."""
    return check_rows(DirectoryIndex(users, as_of), check.rows, roster_names(check.table))
