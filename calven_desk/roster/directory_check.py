"""Checks roster rows against Calven's user list: wrong capitals, unknown people, near misses, uids.

Pure: it takes the rows and a plain list of users (Calven's JSON objects) and knows nothing of how
the list was fetched or kept. Calven matches addresses exactly, so a capital letter out of place is
an error (the row would be refused); everything else it finds is a warning, with a `suggestion`
when exactly one person fits.

Speed matters (50,000 rows against 20,000 people within half a second): known addresses are one
dict look-up each, and the search for near misses (within two edits) runs only for unknown
addresses, through an index of address pieces built the first time one is needed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from calven_desk.roster.mapping import normalise_header
from calven_desk.roster.model import DirectoryProblem, Field, RosterCheck, RowCheck, SourceTable

#: How many edits apart a roster address and a Calven address may be to count as a near miss.
MAX_EDITS = 2
#: Past this many distinct domains the list is no single organisation's; near misses are then
#: looked for in the row's own domain only, so a huge list of public-mail users stays fast.
MAX_FUZZY_DOMAINS = 200
ACTIVE = "active"
CASE, UNKNOWN, INACTIVE, UID = "case", "unknown", "inactive", "uid"

#: Headers of a roster column holding the whole name, or the first and the last name.
FULL_NAME_HEADERS = (
    "name",
    "fullname",
    "employeename",
    "employee",
    "staffname",
    "personname",
    "displayname",
    "employeefullname",
    "staff",
    "person",
)
FIRST_NAME_HEADERS = ("firstname", "givenname", "forename", "first")
LAST_NAME_HEADERS = ("lastname", "surname", "familyname", "last")

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
        text = {
            key: str(item.get(key) or "").strip()
            for key in ("email", "userId", "firstName", "lastName", "status")
        }
        if text["email"] or text["userId"]:
            users.append(
                DirectoryUser(
                    email=text["email"],
                    userId=text["userId"],
                    firstName=text["firstName"],
                    lastName=text["lastName"],
                    status=text["status"].casefold() or ACTIVE,
                )
            )
    return users


def fold_name(text: str) -> list[str]:
    """`Zoë  O'Brien-Dupont` -> ['zoe', 'o', 'brien', 'dupont']: no case, no accents, words only."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _NOT_LETTER.sub(" ", plain.casefold()).split()


def name_key(first: str, last: str) -> tuple[str, str] | None:
    """First word of the first name and last word of the last name, folded; None if either is empty."""
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


def edits_within(a: str, b: str, limit: int) -> bool:
    """Whether a and b are at most `limit` insertions, deletions or substitutions apart.

    Stops as soon as every cell of a row of the table exceeds the limit, and works only on what
    is left after a shared beginning and end, so near-identical addresses cost a few steps.
    """
    if abs(len(a) - len(b)) > limit:
        return False
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    a, b = a[start:end_a], b[start:end_b]
    if not a or not b:
        return max(len(a), len(b)) <= limit
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _pieces(length: int) -> tuple[tuple[int, int], ...]:
    """Three pieces (start, size) of a string: with at most two edits one of them survives intact."""
    one, two = length // 3, 2 * length // 3
    return ((0, one), (one, two - one), (two, length - two))


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
        self._pieces: dict[str, dict[tuple[int, int, str], list[int]]] | None = None
        for index, user in enumerate(users):
            email = user["email"]
            if email:
                self.by_email.setdefault(email, index)
                self.by_folded.setdefault(email.casefold(), []).append(index)
            if user["userId"]:
                self.by_uid.setdefault(user["userId"], index)

    def name_of(self, index: int) -> str:
        user = self.users[index]
        return f"{user['firstName']} {user['lastName']}".strip() or user["email"]

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
                            f"No one in Calven's user list (as of {self.as_of}) has the uid "
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
        fits = self._by_roster_name(name) | self._near(email)
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

    def _piece_index(self) -> dict[str, dict[tuple[int, int, str], list[int]]]:
        """Per domain: (local part length, piece number, piece text) -> users; built once, on demand."""
        if self._pieces is None:
            self._pieces = {}
            for index, user in enumerate(self.users):
                local, at, domain = user["email"].casefold().rpartition("@")
                if not at:
                    continue
                table = self._pieces.setdefault(domain, {})
                size = len(local)
                for number, (start, length) in enumerate(_pieces(size)):
                    table.setdefault((size, number, local[start : start + length]), []).append(
                        index
                    )
        return self._pieces

    def _near(self, email: str) -> set[int]:
        """Users whose address is within MAX_EDITS of this one (ignoring case)."""
        folded = email.casefold()
        local, at, domain = folded.rpartition("@")
        if not at:
            return set()
        index = self._piece_index()
        domains = [(domain, 0)] if domain in index else []
        if len(index) <= MAX_FUZZY_DOMAINS:  # a misspelt domain too, when there are few
            for other in index:
                if other != domain and edits_within(domain, other, MAX_EDITS):
                    domains.append((other, 1 if edits_within(domain, other, 1) else MAX_EDITS))
        fits: set[int] = set()
        for other, spent in domains:
            budget = MAX_EDITS - spent
            table = index[other]
            candidates: set[int] = set()
            size = len(local)
            for length in range(max(0, size - budget), size + budget + 1):
                for number, (start, piece) in enumerate(_pieces(length)):
                    for shift in range(-budget, budget + 1):
                        at_ = start + shift
                        if at_ < 0 or at_ + piece > size:
                            continue
                        candidates.update(table.get((length, number, local[at_ : at_ + piece]), ()))
            fits.update(
                c
                for c in candidates
                if edits_within(folded, self.users[c]["email"].casefold(), MAX_EDITS)
            )
        return fits


def check_rows(
    index: DirectoryIndex, rows: Iterable[RowCheck], names: Mapping[int, str] | None = None
) -> dict[int, str]:
    """Set every row's `directory` problems; returns Calven's name for each row whose person it knows.

    `names` maps a row number to the roster's own name for that row (for suggestions by name).
    Rows with no usable email or uid (already an error of their own) are left alone.
    """
    known: dict[int, str] = {}
    for row in rows:
        event = row.event or {}
        email = event.get("email", "")
        uid = "" if email else event.get("uid", "")
        finding = index.check(email, uid, names.get(row.row, "") if names else "")
        row.directory = finding.problems
        if finding.name:
            known[row.row] = finding.name
    return known


def check_roster(check: RosterCheck, users: Sequence[DirectoryUser], as_of: str) -> dict[int, str]:
    """Check a whole read roster against the list; returns Calven's name by sheet row number."""
    return check_rows(DirectoryIndex(users, as_of), check.rows, names_by_row(check.table))
