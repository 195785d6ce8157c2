"""Ranges of whole days (first, last): the arithmetic of what a booking covers and what a cancellation frees.

Calven works in whole days only, so an event is an inclusive range of dates; a cancellation that
frees the middle of a booking leaves two ranges. Pure functions, shared by the record of what
Calven holds (store), the comparison of a roster with it (calven.sync) and the window.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TypeVar

DayRange = tuple[date, date]
#: Whatever names a booking for the caller (an eventId, a row).
K = TypeVar("K")
ONE_DAY = timedelta(days=1)


def parse_range(start: str, end: str) -> DayRange | None:
    """An event's `startDate`/`endDate` as a range; None when they are not ISO dates or run backwards."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return None
    return (first, last) if first <= last else None


def normalise(ranges: Iterable[DayRange]) -> list[DayRange]:
    """Sorted, with overlapping or touching ranges merged: one way to write each set of days."""
    merged: list[DayRange] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def subtract(ranges: Iterable[DayRange], taken: Iterable[DayRange]) -> list[DayRange]:
    """The days of `ranges` that are not in `taken` (a range loses its middle by splitting in two)."""
    left = normalise(ranges)
    for cut_first, cut_last in normalise(taken):
        kept: list[DayRange] = []
        for first, last in left:
            if cut_last < first or cut_first > last:
                kept.append((first, last))
                continue
            if first < cut_first:
                kept.append((first, cut_first - ONE_DAY))
            if cut_last < last:
                kept.append((cut_last + ONE_DAY, last))
        left = kept
    return left


def after_cancellation(
    held: Iterable[tuple[K, Sequence[DayRange]]], freed: DayRange
) -> list[tuple[K, list[DayRange]]]:
    """What a person's bookings keep once Calven accepts a cancellation of `freed`: each booking
    the cancellation touches, with the days it keeps (none: the booking is gone). Calven frees the
    person's days whatever booking they came from, so one cancellation can shrink, split or end
    several bookings; bookings it does not touch are left out."""
    changed = []
    for key, before in held:
        after = subtract(before, [freed])
        if after != normalise(before):
            changed.append((key, after))
    return changed


def intersect(ranges: Sequence[DayRange], other: Sequence[DayRange]) -> list[DayRange]:
    """The days in both."""
    found = [
        (max(a, c), min(b, d))
        for a, b in normalise(ranges)
        for c, d in normalise(other)
        if max(a, c) <= min(b, d)
    ]
    return normalise(found)


def from_day(ranges: Iterable[DayRange], today: date) -> list[DayRange]:
    """The days from `today` on: Calven ignores past days, so they are neither booked nor freed."""
    return [(max(first, today), last) for first, last in normalise(ranges) if last >= today]


def overlaps(a: DayRange, b: DayRange) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def to_json(ranges: Iterable[DayRange]) -> list[list[str]]:
    return [[first.isoformat(), last.isoformat()] for first, last in normalise(ranges)]


def from_json(data: object) -> list[DayRange]:
    """Read what `to_json` wrote; anything else (a damaged cell) reads as no days."""
    if not isinstance(data, list):
        return []
    found = []
    for item in data:
        if isinstance(item, list) and len(item) == 2:
            parsed = parse_range(str(item[0]), str(item[1]))
            if parsed is not None:
                found.append(parsed)
    return normalise(found)
