"""The calendar a roster says each person should have, worked out independently of the app's sync code.

Rows are applied in roster order, as Calven applies events in arrival order: an approved row sets
its days away, a withdrawn one frees them. All test dates are in the future, so none is ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from tests.roster.files import write_csv

HEADER = ["Email", "First Day", "Last Day", "Leave Type", "Status"]
HEADER_WITH_ID = [*HEADER, "Request ID"]

#: One roster row: email, first day, last day, leave type, status (Approved or Withdrawn), request id.
Row = tuple[str, str, str, str, str, str]


def days(first: str, last: str) -> set[str]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return {(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)}


def roster_calendar(rows: Sequence[Row]) -> dict[str, list[str]]:
    away: dict[str, set[str]] = {}
    for email, first, last, _, status, _ in rows:
        mine = away.setdefault(email, set())
        if status == "Approved":
            mine |= days(first, last)
        else:
            mine -= days(first, last)
    return {person: sorted(found) for person, found in away.items()}


def write_roster(path: Path, rows: Sequence[Row], with_ids: bool) -> Path:
    header = HEADER_WITH_ID if with_ids else HEADER
    body = [list(r) if with_ids else list(r[:5]) for r in rows]
    return write_csv(path, [header, *body])
