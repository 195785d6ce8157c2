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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
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


def edits_within(a: str, b: str, limit: int) -> bool:
    """Whether a and b are at most `limit` insertions, deletions or substitutions apart.

    Stops as soon as every cell of a row of the table exceeds the limit, and works only on what
    is left after a shared beginning and end, so near-identical addresses cost a few steps.
    """
    if abs(len(a) - len(b)) > limit:
        return False
    # The shared beginning and end, found by halving with C-speed slice comparisons.
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    start = low
    low, high = 0, min(len(a), len(b)) - start
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    end_a, end_b = len(a) - low, len(b) - low
    a, b = a[start:end_a], b[start:end_b]
    if not a or not b:
        return max(len(a), len(b)) <= limit
    # Only cells within `limit` of the diagonal can stay within the limit: a band, not the table.
    width = len(b)
    over = limit + 1
    previous = [j if j <= limit else over for j in range(width + 1)]
    for i, char in enumerate(a, 1):
        low, high = max(1, i - limit), min(width, i + limit)
        current = [over] * (width + 1)
        current[0] = i if i <= limit else over
        best = current[0]
        for j in range(low, high + 1):
            cost = previous[j - 1] + (char != b[j - 1])
            cost = min(cost, previous[j] + 1, current[j - 1] + 1, over)
            current[j] = cost
            if cost < best:
                best = cost
        if best > limit:
            return False
        previous = current
    return previous[width] <= limit


#: Most pieces each indexed address is cut into. With at most MAX_EDITS edits at most MAX_EDITS
#: pieces are broken, so any MAX_EDITS + 1 of them include one that survives intact: a search looks
#: only through the rarest MAX_EDITS + 1, which keeps a prefix every address shares ("emp00",
#: "john.") from making every person a candidate.
MAX_PIECES = 5
#: Pieces shorter than this match too many people to narrow anything down.
PIECE_SIZE = 3


@lru_cache(maxsize=256)
def _pieces(length: int) -> tuple[tuple[int, int], ...]:
    """Consecutive pieces (start, size) covering a string of this length: at least MAX_EDITS + 1,
    at most MAX_PIECES, each of about PIECE_SIZE characters or more."""
    count = max(MAX_EDITS + 1, min(MAX_PIECES, length // PIECE_SIZE))
    cuts = [length * i // count for i in range(count + 1)]
    return tuple((cuts[i], cuts[i + 1] - cuts[i]) for i in range(count))


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
        self._folded: list[str] = []  # each user's address in lower case
        self._pairs: dict[int, frozenset[str]] = {}  # letter pairs of candidates met so far
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
        folded = email.casefold()
        near = self._near_cache.get(folded)
        if near is None:
            near = self._near_cache[folded] = self._near(folded)
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

    def _piece_index(self) -> dict[str, dict[tuple[int, int, str], list[int]]]:
        """Per domain: (local part length, piece number, piece text) -> users; built once, on demand."""
        if self._pieces is None:
            self._pieces = {}
            for index, user in enumerate(self.users):
                folded = user["email"].casefold()
                self._folded.append(folded)
                local, at, domain = folded.rpartition("@")
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
            candidates: set[int] = set()
            for length in range(max(0, len(local) - budget), len(local) + budget + 1):
                candidates.update(_piece_hits(index[other], local, length, budget))
            # Each edit destroys at most two of the query's letter pairs, so a real near miss
            # shares all but 2 * MAX_EDITS of them: one C-speed set intersection turns away most
            # candidates before the edit count is made.
            pairs = _pairs(folded)
            needed = len(pairs) - 2 * MAX_EDITS
            known = self._pairs
            for c in candidates:
                theirs = known.get(c)
                if theirs is None:
                    theirs = known[c] = _pairs(self._folded[c])
                if len(pairs & theirs) >= needed and edits_within(
                    folded, self._folded[c], MAX_EDITS
                ):
                    fits.add(c)
        return fits


def _pairs(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _piece_hits(
    table: dict[tuple[int, int, str], list[int]], local: str, length: int, budget: int
) -> set[int]:
    """Users whose local part has this length and shares one of its rarest pieces with `local`.

    Each piece of such a user sits at a known place; after `budget` edits it is found in `local`
    within `budget` characters of that place. The budget + 1 pieces with the fewest users are
    looked through (one of them must have survived), the others only counted.
    """
    size = len(local)
    # A piece moved by `shift` took |shift| edits before it and |difference - shift| after it.
    difference = size - length
    shifts = [s for s in range(-budget, budget + 1) if abs(s) + abs(difference - s) <= budget]
    per_piece: list[list[list[int]]] = []
    for number, (start, piece) in enumerate(_pieces(length)):
        lists = []
        for shift in shifts:
            at = start + shift
            if at >= 0 and at + piece <= size:
                found = table.get((length, number, local[at : at + piece]))
                if found:
                    lists.append(found)
        per_piece.append(lists)
    per_piece.sort(key=lambda lists: sum(map(len, lists)))
    hits: set[int] = set()
    for lists in per_piece[: budget + 1]:
        for found in lists:
            hits.update(found)
    return hits


def check_rows(
    index: DirectoryIndex,
    rows: Iterable[RowCheck],
    names: Mapping[int, str] | Callable[[int], str] | None = None,
) -> dict[int, str]:
    """Set every row's `directory` problems; returns Calven's name for each row whose person it knows.

    `names` gives the roster's own name for a sheet row number (for suggestions by name): a
    mapping, or a function asked only for the few rows whose address Calven does not know.
    Rows with no usable email or uid (already an error of their own) are left alone.
    """
    name_for = names if callable(names) else (names or {}).get
    known: dict[int, str] = {}
    by_email, users, people = index.by_email, index.users, index.names
    for row in rows:
        event = row.event or {}
        email = event.get("email", "")
        # The usual row, an active person at the exact address, takes the short way (50,000 rows).
        found = by_email.get(email) if email else None
        if found is not None and users[found]["status"] == ACTIVE:
            if row.directory:
                row.directory = []
            known[row.row] = people[found]
            continue
        uid = "" if email else event.get("uid", "")
        finding = index.check(email, uid, name_for(row.row) or "")
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
