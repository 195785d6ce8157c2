"""The Timeline's layout: lanes of people, bars of leave by day, overlaps and the count of people away.

Pure Python (no Qt) so the window lays out 50,000 rows in a worker thread, the command line renders
the same picture, and the rules are tested without a screen. Everything here is O(n log n): one
sort of the rows by person and start, then a pass per person.

The count of people away on a day is the number of different people with a *scheduled* bar shown
on that day. Cancellations do not count, and neither does a scheduled row that a cancellation row
of the same roster takes back (same person, same event ID), since Calven will not show that leave
once both are sent, nor a ghost (leave sent earlier that the roster no longer has), nor a row that
is not for Calven (a request waiting for approval, a refused one, an absence shorter than half a
day). Only the rows shown count, so the filter buttons and Search change it too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

#: A lane shows at most this many bookings side by side; more overlapping ones share the last
#: track. A pathological roster (thousands of overlapping rows for one person) would otherwise
#: make one lane thousands of tracks tall and the track search quadratic.
MAX_TRACKS = 6


@dataclass(slots=True)
class TimelineRow:
    """One roster row as the Timeline needs it; `word` and `colour` are the table's for the row.

    Not frozen, though never changed: a frozen dataclass is built through `object.__setattr__`,
    which made turning 50,000 rows into these take twice as long.
    """

    row: int
    #: Who the leave is for: the email or uid as the roster has it (Calven matches it exactly).
    person: str
    start: date
    end: date
    cancelled: bool
    word: str
    colour: str
    #: The name the roster gives the person; "" when it has none (the lane shows `person`).
    name: str = ""
    event_id: str = ""
    kind: str = ""
    #: "error" for a row that needs fixing, "warning" for one sent with a warning, else "".
    severity: str = ""
    #: Not a roster row but leave Calven holds from an earlier send that the roster no longer has
    #: (a send that cancels removed events takes it back); `row` is then negative.
    ghost: bool = False
    #: The row ends before it starts: drawn as its first day only, and marked (`end` is then
    #: that day; `ends` the end the roster gives).
    reversed: bool = False
    ends: date | None = None
    #: A row that is not for Calven (pending, refused, shorter than half a day): drawn faded,
    #: counted nowhere, taking nothing back.
    skipped: bool = False


@dataclass(slots=True)
class Bar:
    """A row's bar: days counted from the layout's first day, `last` included."""

    source: TimelineRow
    lane: int
    first: int
    last: int
    track: int = 0
    #: Overlaps another scheduled booking of the same person.
    overlaps: bool = False
    #: Row number of a cancellation row that takes this scheduled leave back, if any.
    cancelled_by: int | None = None


@dataclass(slots=True)
class Lane:
    """One person's bars, sorted by first day; `top` is the lane's first track from the top."""

    person: str
    name: str
    bars: list[Bar] = field(default_factory=list)
    tracks: int = 1
    top: int = 0
    #: The longest bar in days, so the bars on screen are found by bisecting `firsts`.
    longest: int = 1
    firsts: list[int] = field(default_factory=list)

    def bars_between(self, first_day: int, last_day: int) -> list[Bar]:
        """The bars with a day in [first_day, last_day], without looking at the others."""
        from bisect import bisect_left, bisect_right

        low = bisect_left(self.firsts, first_day - self.longest)
        high = bisect_right(self.firsts, last_day)
        return [b for b in self.bars[low:high] if b.last >= first_day]


@dataclass(slots=True)
class TimelineLayout:
    origin: date
    days: int
    lanes: list[Lane]
    #: People away on each day (see the module docstring for who counts).
    away: list[int]
    by_row: dict[int, Bar]
    #: Track count of all lanes together: the height of the picture in tracks.
    tracks: int
    #: Rows left out because a date of theirs cannot be read.
    undated: int = 0
    #: Each lane's `top`, for finding the lane at a height by bisection.
    tops: list[int] = field(default_factory=list)
    #: The first and the last day of leave shown (None when no row is shown): the roster's own
    #: dates, without the whole weeks the layout pads them to.
    span: tuple[date, date] | None = None

    def day(self, offset: int) -> date:
        return self.origin + timedelta(days=offset)

    def offset(self, day: date) -> int:
        return (day - self.origin).days

    def lane_at_track(self, track: int) -> int:
        """The lane holding a track (a row of the picture), or -1 past the end."""
        from bisect import bisect_right

        if track < 0 or track >= self.tracks:
            return -1
        return bisect_right(self.tops, track) - 1


def read_day(text: str) -> date | None:
    """The roster's normalised ISO date, or None when the cell could not be read as a date."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def lay_out(
    rows: Iterable[TimelineRow],
    visible: Collection[int] | None = None,
    *,
    first: date | None = None,
    last: date | None = None,
    sort_key: Callable[[str], Any] = str.casefold,
) -> TimelineLayout:
    """Lanes (one per person with a row shown, sorted by name), bars, overlaps and the away count.

    `visible` holds the row numbers the filter and Search let through (None: all, ghosts too;
    with a filter, ghosts are left out). `first`/`last`
    fix the date range (the command line's --from/--to); otherwise it runs from the Monday before
    the earliest leave to the Sunday after the latest.
    """
    every = list(rows)
    takes_back: dict[tuple[str, str], int] = {}
    for item in every:
        if item.cancelled and item.event_id and not item.skipped:
            takes_back.setdefault((item.person, item.event_id), item.row)
    shown = [
        r
        for r in every
        if (visible is None or (r.row in visible and not r.ghost))
        and (first is None or r.end >= first)
        and (last is None or r.start <= last)
    ]
    if not shown:
        start_day = first or last or date.today()
        end_day = last or start_day
        days = max(1, (end_day - start_day).days + 1)
        return TimelineLayout(start_day, days, [], [0] * days, {}, 0)
    low = first or _monday(min(r.start for r in shown))
    high = last or _monday(max(r.end for r in shown)) + timedelta(days=6)
    days = (high - low).days + 1
    people: dict[str, list[TimelineRow]] = {}
    for item in shown:
        people.setdefault(item.person, []).append(item)
    lanes: list[Lane] = []
    for person, items in people.items():
        name = (
            next((r.name for r in items if r.name), "") or person or "(no email or Calven user ID)"
        )
        lanes.append(Lane(person, name))
        lanes[-1].bars = [
            Bar(
                r,
                0,
                (r.start - low).days,
                (r.end - low).days,
                cancelled_by=_taken_back(r, takes_back),
            )
            for r in sorted(items, key=lambda r: (r.start, r.end, r.row))
        ]
    lanes.sort(key=lambda lane: (sort_key(lane.name), lane.person))
    by_row: dict[int, Bar] = {}
    changes = [0] * (days + 1)
    top = 0
    for number, lane in enumerate(lanes):
        lane.top = top
        _place(lane)
        top += lane.tracks
        for bar in lane.bars:
            bar.lane = number
            by_row.setdefault(bar.source.row, bar)
        _count_away(lane.bars, changes, days)
    away, running = [0] * days, 0
    for day in range(days):
        running += changes[day]
        away[day] = running
    span = (min(r.start for r in shown), max(r.end for r in shown))
    return TimelineLayout(
        low, days, lanes, away, by_row, top, tops=[lane.top for lane in lanes], span=span
    )


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _taken_back(row: TimelineRow, takes_back: dict[tuple[str, str], int]) -> int | None:
    if row.cancelled or row.skipped or not row.event_id:
        return None
    return takes_back.get((row.person, row.event_id))


def _counts(bar: Bar) -> bool:
    """Whether a bar is leave Calven will show: scheduled and not taken back by a cancellation (a
    ghost is leave a send may take back: it is drawn but counted nowhere)."""
    source = bar.source
    return (
        not source.cancelled
        and bar.cancelled_by is None
        and not source.ghost
        and not source.skipped
    )


def _place(lane: Lane) -> None:
    """Tracks for overlapping bars (greedy, in start order) and the overlap marks, in one pass."""
    ends: list[int] = []
    reach, holder = -1, None
    longest = 1
    for bar in lane.bars:
        longest = max(longest, bar.last - bar.first + 1)
        for track, end in enumerate(ends):
            if end < bar.first:
                ends[track] = bar.last
                bar.track = track
                break
        else:
            if len(ends) < MAX_TRACKS:
                ends.append(bar.last)
                bar.track = len(ends) - 1
            else:
                bar.track = MAX_TRACKS - 1
                ends[-1] = max(ends[-1], bar.last)
        if not _counts(bar):
            continue
        # The booking reaching furthest so far overlaps this one if it reaches its first day; every
        # booking that overlaps any other is marked this way (the later of the two finds it).
        if holder is not None and reach >= bar.first:
            bar.overlaps = holder.overlaps = True
        if bar.last > reach:
            reach, holder = bar.last, bar
    lane.tracks = max(1, len(ends))
    lane.longest = longest
    lane.firsts = [bar.first for bar in lane.bars]


def _count_away(bars: list[Bar], changes: list[int], days: int) -> None:
    """Adds one person's days away (their counted bars merged, so a person counts once a day)."""
    run_first, run_last = 0, -2
    for bar in bars:  # sorted by first day
        if not _counts(bar):
            continue
        first, last = max(bar.first, 0), min(bar.last, days - 1)
        if first > last:
            continue
        if first > run_last + 1:
            _add_run(changes, run_first, run_last)
            run_first, run_last = first, last
        else:
            run_last = max(run_last, last)
    _add_run(changes, run_first, run_last)


def _add_run(changes: list[int], first: int, last: int) -> None:
    if last >= first:
        changes[first] += 1
        changes[last + 1] -= 1
