"""What a row's half-day, time-of-day and amount columns say about the part of a day it covers.

Calven takes whole days only. A person away for two hours is not away for the day, so a one-day
row that covers less than half a working day is skipped (not sent), unless a team's setting sends
such absences as whole days; a half day, or any other part of a day, is sent as a whole day with
a warning that says so. Nothing here is ever silent.

The thresholds, in hours of one day (a working day is 7 to 8 hours across these countries):
- at least 7 hours (09:00-16:00, or an amount of 7.5 hours) is the day;
- from 3.5 hours up to 7 is part of the day, sent whole with a warning ("Half a day on 19 May"
  from 3.5 to 4.5 hours, as 0.5 days or 08:00-12:00 is);
- under 3.5 hours (14:00-16:00, 2 hours, 0.25 days) is shorter than half a day: skipped.
An amount of days counts 8 hours a day. The times of a one-day row win over an amount of hours,
which wins over an amount of days; half-day marks matter when nothing more precise says less.
On a leave of several days, a half first or last day (a mark, a start at noon or later, an end at
1 pm or earlier) and a fraction of a day in the amount are warnings: every day is sent whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from calven_desk.roster.cells import cell_text
from calven_desk.roster.model import CellValue, Field, Problem
from calven_desk.roster.vocabulary import (
    HALF_DAY_WORDS,
    UNIT_WORDS,
    HalfDayMeaning,
    Unit,
    all_words,
    fold,
)

#: At least this many hours of a day away is the day.
WHOLE_DAY_HOURS = 7.0
#: Under this many hours away is shorter than half a day: not leave for Calven.
SHORT_HOURS = 3.5
#: Up to this many hours (from SHORT_HOURS) is called half a day.
HALF_DAY_UPTO = 4.5
#: An amount of days in hours (0.5 days is 4 hours).
HOURS_PER_DAY = 8.0
#: On a leave of several days, starting at or after this (minutes after midnight) leaves only part
#: of the first day, and ending at or before `LAST_DAY_BY` only part of the last.
FIRST_DAY_FROM = 12 * 60
LAST_DAY_BY = 13 * 60
MIDNIGHT, DAY_END = 0, 24 * 60

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

HALF_DAY: dict[str, HalfDayMeaning] = {
    fold(word): meaning
    for meaning, languages in HALF_DAY_WORDS.items()
    for word in all_words(languages)
}
UNITS: dict[str, Unit] = {
    fold(word): unit for unit, languages in UNIT_WORDS.items() for word in all_words(languages)
}

WHOLE_ONLY = "Calven has whole days only"

#: A half-day cell: its text, what it says (None: nothing, an empty cell), and a problem.
HalfVerdict = tuple[str, HalfDayMeaning | None, Problem | None]
#: A time-of-day cell: its text, minutes after midnight (None: empty or unreadable), a problem.
TimeVerdict = tuple[str, int | None, Problem | None]
#: An amount cell: its text, the amount and its unit (None: empty or unreadable), a problem.
AmountVerdict = tuple[str, tuple[float, Unit] | None, Problem | None]


def day_words(day: date | str) -> str:
    """`19 May`: how the messages name a day, given as a date or ISO text (the row shows the
    year)."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return f"{day.day} {MONTHS[day.month - 1]}"


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _number(value: float) -> str:
    return f"{value:g}"


def amount_words(value: float, unit: Unit) -> str:
    """`6 hours`, `1 hour`, `0.75 days`."""
    word = "day" if unit == "days" else "hour"
    return f"{_number(value)} {word}{'' if value == 1 else 's'}"


# --- reading the cells ----------------------------------------------------------------------------


def read_half_day(field: Field, raw: CellValue) -> HalfVerdict:
    """A half-day mark: yes/no, morning/afternoon, in any of the six languages."""
    text = cell_text(raw)
    if not text:
        return "", None, None
    meaning = HALF_DAY.get(fold(text))
    if meaning is None and isinstance(raw, bool):
        meaning = "half" if raw else "whole"
    if meaning is None:
        return (
            text,
            None,
            Problem(
                field,
                "warning",
                f"'{text}' does not say whether this is half a day (write yes, no, morning or "
                "afternoon, in any language); the days are sent whole.",
            ),
        )
    return text, meaning, None


_TIME = re.compile(
    r"(?:(?:ore|h)\s*)?(?P<h>\d{1,2})(?:\s*[:.h]\s*(?P<m>\d{2}))?(?:\s*:\s*(?P<s>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?\s*m\.?)?\s*(?:uhr|uur|h|hrs|heures?)?",
    re.IGNORECASE,
)
_DATE_PART = re.compile(r"\d{4}-\d{1,2}-\d{1,2}[ T]+|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\s+")


def _minutes_of(value: time) -> int:
    return value.hour * 60 + value.minute


def parse_time(raw: CellValue) -> int | None:
    """Minutes after midnight for a time of day (`14:00`, `2:30 PM`, `14h30`, `14.00 Uhr`, an Excel
    time cell or fraction of a day, a date-time's time); None when the cell is no time."""
    if isinstance(raw, datetime):
        return _minutes_of(raw.time())
    if isinstance(raw, time):
        return _minutes_of(raw)
    if isinstance(raw, timedelta):
        seconds = raw.total_seconds()
        return round(seconds / 60) if 0 <= seconds <= 86_400 else None
    if isinstance(raw, bool) or raw is None or isinstance(raw, date):
        return None
    if isinstance(raw, int | float):
        if 0 <= raw < 1:  # Excel's time of day: a fraction of the day
            return round(raw * DAY_END)
        return int(raw) * 60 if float(raw).is_integer() and 0 <= raw <= 24 else None
    text = _DATE_PART.sub("", raw.strip(), count=1).strip()
    match = _TIME.fullmatch(text)
    if not match:
        return None
    hour, minute = int(match.group("h")), int(match.group("m") or 0)
    ampm = (match.group("ampm") or "").lower()[:1]
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        return None
    return hour * 60 + minute


def read_time(field: Field, raw: CellValue) -> TimeVerdict:
    text = cell_text(raw)
    if not text:
        return "", None, None
    minutes = parse_time(raw)
    if minutes is None:
        return (
            text,
            None,
            Problem(
                field,
                "error",
                f"'{text}' is not a time of day Calven Desk can read; write it like 14:00, or "
                "leave it empty.",
            ),
        )
    return text, minutes, None


_AMOUNT = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?|[.,]\d+)\s*(?P<unit>[^\W\d_][^\W\d]*\.?)?"
    r"(?:\s*(?P<m>\d{1,2})\s*(?:min|m)?\.?)?"
)
_CLOCK_AMOUNT = re.compile(r"(?P<h>\d{1,3}):(?P<m>\d{2})(?::\d{2})?")


def parse_amount(raw: CellValue, unit: Unit) -> tuple[float, Unit] | None:
    """An amount of time off: `0.5`, `0,5 Tage`, `4 hours`, `4 Std.`, `4h30`, `30 min`, `4:00` (a
    duration), an Excel duration cell; a bare number is in `unit`. None when it is none."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, date):
        return None
    if isinstance(raw, timedelta):
        return raw.total_seconds() / 3600, "hours"
    if isinstance(raw, time):
        return raw.hour + raw.minute / 60, "hours"
    if isinstance(raw, int | float):
        return (float(raw), unit) if raw >= 0 else None
    text = raw.strip().replace("½", ".5")
    if clock_match := _CLOCK_AMOUNT.fullmatch(text):
        return int(clock_match.group("h")) + int(clock_match.group("m")) / 60, "hours"
    match = _AMOUNT.fullmatch(text)
    if not match:
        return None
    value = float(match.group("n").replace(",", "."))
    written = match.group("unit")
    if written:
        found = UNITS.get(fold(written))
        if found is None:
            return None
        unit = found
    if match.group("m"):
        if unit != "hours":
            return None
        value += int(match.group("m")) / 60
    if unit == "minutes":
        return value / 60, "hours"
    return value, unit


def read_amount(field: Field, raw: CellValue) -> AmountVerdict:
    text = cell_text(raw)
    if not text:
        return "", None, None
    found = parse_amount(raw, "hours" if field == "hours" else "days")
    if found is None:
        return (
            text,
            None,
            Problem(
                field,
                "error",
                f"'{text}' is not an amount of time Calven Desk can read; write it like 0.5 or "
                "4 hours, or leave it empty.",
            ),
        )
    return text, found, None


# --- what the parts say about the row ---------------------------------------------------------------


@dataclass(slots=True)
class Parts:
    """What a row's part-of-day columns hold, read (None: empty, or no such column)."""

    half: HalfDayMeaning | None = None
    half_start: HalfDayMeaning | None = None
    half_end: HalfDayMeaning | None = None
    start_time: int | None = None
    end_time: int | None = None
    days: tuple[float, Unit] | None = None
    hours: tuple[float, Unit] | None = None
    #: The columns the times come from: the time columns, or the date columns' own date-times.
    time_fields: tuple[Field, Field] = ("startTime", "endTime")


@dataclass(frozen=True, slots=True)
class PartVerdict:
    """A row's part-of-day verdict: why it is skipped as shorter than half a day (`skip`, the
    info problem, with `reason` in a few words), or the warnings and errors it has."""

    skip: Problem | None = None
    reason: str = ""
    problems: tuple[Problem, ...] = ()


NOTHING = PartVerdict()
HALVES = frozenset({"half", "morning", "afternoon"})


def _sent_whole(
    field: Field, what: str, *, short_as_whole: bool = False, every_day: bool = False
) -> Problem:
    tail = "every day is sent as a whole day" if every_day else "sent as a whole day"
    if short_as_whole:
        tail += ", as the setting for short absences asks"
    return Problem(field, "warning", f"{what}: {WHOLE_ONLY}; {tail}.")


def judge(start: str, end: str, parts: Parts, *, short_as_whole: bool = False) -> PartVerdict:
    """What the parts say about a row from `start` to `end` (ISO days, readable, in order).

    Called for every row of a file with such columns (an export with a Days column on each of its
    50,000 rows): what says nothing returns before any day is formatted for a message.
    """
    days = parts.days
    if (
        days is not None
        and days[1] == "days"
        and days[0] >= 1
        and float(days[0]).is_integer()
        and parts.hours is None
        and parts.start_time is None
        and parts.end_time is None
        and parts.half not in HALVES
        and parts.half_start not in HALVES
        and parts.half_end not in HALVES
    ):
        return NOTHING  # whole days and nothing else: an export's usual row
    if start == end:
        return _one_day(start, parts, short_as_whole)
    return _several_days(start, end, parts)


def _measured(day: str, parts: Parts) -> tuple[float, Field, str] | Problem | None:
    """How long the one day's absence is, from the most precise column that says: its hours, the
    column, and how it was written; a Problem when its times contradict each other."""
    first, last = parts.start_time, parts.end_time
    if first is not None and last is not None and (first, last) != (MIDNIGHT, MIDNIGHT):
        until = DAY_END if last == MIDNIGHT else last
        if until <= first:
            return Problem(
                parts.time_fields[1],
                "error",
                f"The end time ({clock(last)}) is not after the start time ({clock(first)}) on "
                f"{day_words(day)}; check the times.",
            )
        return (until - first) / 60, parts.time_fields[0], f"from {clock(first)} to {clock(until)}"
    for name, amount in (("hours", parts.hours), ("days", parts.days)):
        if amount is not None and amount[0] > 0:
            value, unit = amount
            hours = value * HOURS_PER_DAY if unit == "days" else value
            field: Field = "hours" if name == "hours" else "days"
            return hours, field, amount_words(value, unit)
    return None


def _half_field(parts: Parts) -> Field | None:
    """The half-day column that marks a half day, if one does."""
    marks: tuple[tuple[Field, HalfDayMeaning | None], ...] = (
        ("halfDay", parts.half),
        ("halfDayStart", parts.half_start),
        ("halfDayEnd", parts.half_end),
    )
    for field, meaning in marks:
        if meaning in HALVES:
            return field
    return None


def _one_day(day: str, parts: Parts, short_as_whole: bool) -> PartVerdict:
    measured = _measured(day, parts)
    if isinstance(measured, Problem):
        return PartVerdict(problems=(measured,))
    half = _half_field(parts)
    first, last = parts.start_time, parts.end_time
    if (
        (measured is None or measured[0] >= WHOLE_DAY_HOURS)
        and half is None
        and (measured is not None or (first in (None, MIDNIGHT) and last in (None, MIDNIGHT)))
    ):
        return NOTHING  # the whole day, as most rows are
    on = day_words(day)
    if measured is not None:
        hours, field, written = measured
        timed = field == parts.time_fields[0]
        what = f"Away {written} on {on}" if timed else f"{written.capitalize()} on {on}"
        if hours < SHORT_HOURS:
            if short_as_whole:
                return PartVerdict(problems=(_sent_whole(field, what, short_as_whole=True),))
            reason = f"{what}, less than half a day"
            message = f"{reason}: not sent ({WHOLE_ONLY})."
            return PartVerdict(Problem(field, "info", message), reason)
        if hours <= HALF_DAY_UPTO:
            return PartVerdict(problems=(_sent_whole(field, f"Half a day on {on}"),))
        if hours < WHOLE_DAY_HOURS:
            return PartVerdict(problems=(_sent_whole(field, what),))
    if half is not None:
        return PartVerdict(problems=(_sent_whole(half, f"Half a day on {on}"),))
    if measured is None:
        # One time alone: away from or until then, for an unknown part of the day.
        if first is not None and first != MIDNIGHT:
            what = f"Away from {clock(first)} on {on}"
            return PartVerdict(problems=(_sent_whole(parts.time_fields[0], what),))
        if last is not None and last != MIDNIGHT:
            what = f"Away until {clock(last)} on {on}"
            return PartVerdict(problems=(_sent_whole(parts.time_fields[1], what),))
    return NOTHING


def _several_days(start: str, end: str, parts: Parts) -> PartVerdict:
    days = parts.days
    if (
        parts.half_start not in HALVES
        and parts.half_end not in HALVES
        and parts.half not in HALVES
        and (parts.start_time is None or parts.start_time < FIRST_DAY_FROM)
        and (parts.end_time is None or not MIDNIGHT < parts.end_time <= LAST_DAY_BY)
        and (days is None or days[1] != "days" or float(days[0]).is_integer())
    ):
        return NOTHING  # whole days, as most rows are
    found: list[Problem] = []
    first, last = day_words(start), day_words(end)
    if parts.half_start in HALVES:
        found.append(_sent_whole("halfDayStart", f"Half a day on {first}, the first day"))
    elif parts.start_time is not None and parts.start_time >= FIRST_DAY_FROM:
        what = f"Away from {clock(parts.start_time)} on {first}, the first day"
        found.append(_sent_whole(parts.time_fields[0], what))
    if parts.half_end in HALVES:
        found.append(_sent_whole("halfDayEnd", f"Half a day on {last}, the last day"))
    elif parts.end_time is not None and MIDNIGHT < parts.end_time <= LAST_DAY_BY:
        what = f"Away until {clock(parts.end_time)} on {last}, the last day"
        found.append(_sent_whole(parts.time_fields[1], what))
    if not found and parts.half in HALVES:
        what = f"A half day between {first} and {last}"
        found.append(_sent_whole("halfDay", what, every_day=True))
    if not found and parts.days is not None:
        value, unit = parts.days
        if unit == "days" and not float(value).is_integer():
            what = f"{amount_words(value, unit).capitalize()} between {first} and {last}"
            found.append(_sent_whole("days", what, every_day=True))
    return PartVerdict(problems=tuple(found)) if found else NOTHING
