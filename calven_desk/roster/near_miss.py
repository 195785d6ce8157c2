"""Finding the addresses within two typing slips of one: "ben.okafr@" for "ben.okafor@".

An address within MAX_EDITS edits of another, cut into pieces, keeps all but MAX_EDITS of them
intact (each edit breaks at most one), each within MAX_EDITS characters of its place. So every
Calven address is indexed by its pieces (a handful of entries a person, built once, on demand),
and a search looks up the rarest MAX_EDITS + 1 pieces of each possible length, then turns most
candidates away with one set intersection of letter pairs before counting edits exactly. On
50,000 rows against 20,000 people it costs a fraction of a millisecond an unknown address
(bench/bench_directory.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

#: How many edits apart a roster address and a Calven address may be to count as a near miss.
MAX_EDITS = 2
#: Past this many distinct domains the list is no single organisation's; near misses are then
#: looked for in the row's own domain only, so a huge list of public-mail users stays fast.
MAX_FUZZY_DOMAINS = 200


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


class NearMisses:
    """Calven's addresses (in lower case) arranged for finding near misses of an unknown one."""

    def __init__(self, emails: Sequence[str]) -> None:
        self.folded = [email.casefold() for email in emails]
        self._pieces: dict[str, dict[tuple[int, int, str], list[int]]] | None = None
        self._pairs: dict[int, frozenset[str]] = {}  # letter pairs of candidates met so far

    def _index(self) -> dict[str, dict[tuple[int, int, str], list[int]]]:
        """Per domain: (local part length, piece number, piece text) -> users; built once, on demand."""
        if self._pieces is None:
            self._pieces = {}
            for index, folded in enumerate(self.folded):
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

    def find(self, email: str) -> set[int]:
        """Users whose address is within MAX_EDITS of this one (ignoring case)."""
        folded = email.casefold()
        local, at, domain = folded.rpartition("@")
        if not at:
            return set()
        index = self._index()
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
                    theirs = known[c] = _pairs(self.folded[c])
                if len(pairs & theirs) >= needed and edits_within(
                    folded, self.folded[c], MAX_EDITS
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
