"""Reads the dates HR exports actually contain: Excel date cells, serial numbers and a dozen text forms."""

from __future__ import annotations

import locale
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from calven_desk.roster.model import CellValue, DateOrder
from calven_desk.roster.vocabulary import DATE_FILLERS, MONTH_NAMES, WEEKDAY_NAMES, fold

#: Excel's day zero for serial numbers (1899-12-30 absorbs Lotus 1-2-3's phantom 29 Feb 1900).
EXCEL_EPOCH = date(1899, 12, 30)
#: Serial numbers above this are past 9999-12-31, where Python's date ends.
MAX_SERIAL = 2_958_465

#: Month names and abbreviations in the six languages, folded (`März` is `marz`), to their number.
MONTHS = {
    fold(name): number
    for names in MONTH_NAMES.values()
    for number, spellings in enumerate(names, start=1)
    for name in spellings
}
WEEKDAYS = {fold(name) for names in WEEKDAY_NAMES.values() for name in names}
#: Little words a written date may hold (`2 de marzo de 2031`, `1er mars`), folded.
FILLERS = {fold(word) for word in DATE_FILLERS}

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_COMPACT = re.compile(r"(19|20)(\d{2})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?")
_TIME_TAIL = re.compile(
    r"(?P<date>.+?)[ T]+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?:z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W\d_]+|\d+")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th|er|e|º|ª)(?=\W|$)", re.IGNORECASE)


class DateError(ValueError):
    """A cell that is not a date Calven Desk can read; the message is shown to the person as it is."""


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A calendar day, and whether the cell also carried a time of day (Calven takes whole days only)."""

    day: date
    had_time: bool = False


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Python's own strptime pivot: 00-68 are this century, 69-99 the last.
        year += 2000 if year < 69 else 1900
    return year


def _make(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"'{original}' is not a real date; check the day and month.") from None


def _from_serial(number: float, original: str) -> ParsedDate:
    if not 1 <= number <= MAX_SERIAL:
        raise DateError(f"'{original}' is not a date; a number here is read as an Excel date.")
    whole = int(number)
    return ParsedDate(EXCEL_EPOCH + timedelta(days=whole), had_time=number != whole)


def numeric_order_evidence(text: str) -> DateOrder | None:
    """Which order a text date such as 25/03/2030 proves, or None when it could be read either way."""
    match = _NUMERIC.fullmatch(text.strip().split(" ")[0].split("T")[0])
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return DateOrder.DMY
    if second > 12 >= first:
        return DateOrder.MDY
    return None


def _parse_words(text: str, original: str) -> date:
    """Dates with a month name: `9 Mar 2026`, `March 9, 2026`, `09-Mar-26`, `Mon 9th March 2026`,
    and in the other five languages: `2. März 2031`, `1er mars 2031`, `2 de marzo de 2031`,
    `2 maart 2031`, `lunedì 2 marzo 2031`."""
    tokens = _WORDS.findall(_ORDINAL.sub(r"\1", text))
    month: int | None = None
    numbers: list[str] = []
    for token in tokens:
        lower = fold(token)
        if token.isdigit():
            numbers.append(token)
        elif lower in MONTHS and month is None:
            month = MONTHS[lower]
        elif lower in WEEKDAYS or lower in FILLERS:
            continue
        else:
            raise DateError(_unreadable(original))
    if month is None or len(numbers) != 2:
        raise DateError(_unreadable(original))
    four = [n for n in numbers if len(n) == 4]
    if four:
        year_text = four[0]
        day_text = numbers[1] if numbers[0] == year_text else numbers[0]
    else:
        day_text, year_text = numbers
    if len(day_text) > 2 or len(year_text) not in (2, 4):
        raise DateError(_unreadable(original))
    return _make(_full_year(year_text), month, int(day_text), original)


def _unreadable(original: str) -> str:
    return (
        f"'{original}' is not a date Calven Desk can read; write it like 2030-03-25 or 25/03/2030."
    )


def _time_is_midnight(hour: int, minute: int, second: int, ampm: str | None) -> bool:
    if ampm and ampm.lower().startswith("p"):
        return False
    if ampm:
        return hour == 12 and minute == 0 and second == 0
    return hour == 0 and minute == 0 and second == 0


@lru_cache(maxsize=65_536)
def parse_date_text(text: str, order: DateOrder) -> ParsedDate:
    """Read a date written as text; cached because a roster repeats the same few hundred dates."""
    original = text
    text = text.strip()
    if not text:
        raise DateError("The date is empty.")
    had_time = False
    match = _TIME_TAIL.fullmatch(text)
    if match:
        text = match.group("date").strip().rstrip(",")
        had_time = not _time_is_midnight(
            int(match.group("h")),
            int(match.group("m")),
            int(match.group("s") or 0),
            match.group("ampm"),
        )
    if _SERIAL.fullmatch(text) and not _COMPACT.fullmatch(text):
        parsed = _from_serial(float(text), original)
        return ParsedDate(parsed.day, parsed.had_time or had_time)
    if m := _ISO.fullmatch(text):
        day = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), original)
    elif m := _COMPACT.fullmatch(text):
        day = _make(int(m.group(1) + m.group(2)), int(m.group(3)), int(m.group(4)), original)
    elif m := _NUMERIC.fullmatch(text):
        first, second, year = int(m.group(1)), int(m.group(2)), _full_year(m.group(3))
        day_number, month = (first, second) if order is DateOrder.DMY else (second, first)
        if month > 12 and day_number <= 12:
            expected = "day-first" if order is DateOrder.DMY else "month-first"
            raise DateError(
                f"'{original}' cannot be read {expected} like the other dates in this file; "
                "check it and write it as YYYY-MM-DD (for example 2030-03-25)."
            )
        day = _make(year, month, day_number, original)
    else:
        day = _parse_words(text, original)
    return ParsedDate(day, had_time)


def parse_date(value: CellValue, order: DateOrder) -> ParsedDate:
    """Read any cell as a calendar day, or raise DateError with a sentence for the person."""
    if isinstance(value, datetime):
        return ParsedDate(value.date(), had_time=value.time() != time())
    if isinstance(value, date):
        return ParsedDate(value)
    if isinstance(value, bool) or value is None:
        raise DateError("The date is empty." if value is None else _unreadable(str(value)))
    if isinstance(value, int | float):
        text = str(int(value)) if float(value).is_integer() else str(value)
        return _from_serial(float(value), text)
    if isinstance(value, time | timedelta):
        raise DateError(f"'{value}' is a time of day, not a date.")
    return parse_date_text(value, order)


def locale_date_order() -> DateOrder | None:
    """The order the computer's regional settings use, or None when they do not say.

    Only a few territories write month-first; everything else is day-first. The plain C or POSIX
    locale of a server or a bare container names no region, so it says nothing: Python's own
    `locale.getlocale()` calls C.UTF-8 "en_US", which once read every ambiguous roster on such a
    machine month-first. The names are read without changing anything global (no setlocale).
    """
    name = _locale_name()
    if not name:
        return None
    base = name.split(".")[0].split("@")[0]
    if base.upper() in ("C", "POSIX", ""):
        return None
    territory = base.replace("-", "_").split("_")[-1].upper()
    month_first = {"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "UM", "VI", "BZ"}
    if territory in month_first or "UNITED STATES" in name.upper():
        return DateOrder.MDY
    return DateOrder.DMY


def _locale_name() -> str:
    """The name of the locale dates are written in: the environment's (LC_ALL, LC_TIME, LANG, as
    the C library reads them), else the one Python runs with (on Windows, the user's choice)."""
    for variable in ("LC_ALL", "LC_TIME", "LANG"):
        value = os.environ.get(variable)
        if value:
            return value
    try:
        # A query, not a change: with no second argument setlocale only reports.
        return locale.setlocale(locale.LC_CTYPE) or ""
    except (locale.Error, ValueError):
        return ""


@dataclass(frozen=True, slots=True)
class FileOrder:
    """What a file's own dates say about the order: `proven` by a date such as 25/03/2030 (the
    majority when they disagree), and whether any date could be read either way (`ambiguous`)."""

    proven: DateOrder | None
    ambiguous: bool


def file_order(values: Iterable[CellValue]) -> FileOrder:
    """Let the file's unambiguous dates vote; the majority wins.

    A file whose dates prove both orders takes the majority; the minority rows then fail to parse
    with a message saying so.
    """
    votes = {DateOrder.DMY: 0, DateOrder.MDY: 0}
    ambiguous = False
    # Counted first (in C), so each distinct text is looked at once however often it repeats.
    for value, count in Counter(values).items():
        if isinstance(value, str):
            evidence = numeric_order_evidence(value)
            if evidence is not None:
                votes[evidence] += count
            elif not ambiguous and is_ambiguous(value):
                ambiguous = True
    if votes[DateOrder.DMY] != votes[DateOrder.MDY]:
        return FileOrder(max(votes, key=lambda order: votes[order]), ambiguous)
    return FileOrder(None, ambiguous)


def is_ambiguous(value: CellValue) -> bool:
    """A text date such as 03/04/2030 that reads as another day the other way round."""
    if not isinstance(value, str):
        return False
    match = _NUMERIC.fullmatch(value.strip().split(" ")[0].split("T")[0])
    if not match:
        return False
    first, second = int(match.group(1)), int(match.group(2))
    return first != second and 1 <= first <= 12 and 1 <= second <= 12


def write_like(original: CellValue, day: date, order: DateOrder) -> str:
    """A date as text in the style of the text it replaces: `10/03/2031` where the file wrote
    `02/03/2031` day-first (same separator, order, zero padding and year digits), else ISO
    (2031-03-10), which every reader takes the same way."""
    text = original.strip() if isinstance(original, str) else ""
    match = _NUMERIC.fullmatch(text)
    if not match:
        return day.isoformat()
    separator = text[len(match.group(1))]
    padded = len(match.group(1)) == 2 or len(match.group(2)) == 2
    first, second = (day.day, day.month) if order is DateOrder.DMY else (day.month, day.day)
    year = f"{day.year % 100:02d}" if len(match.group(3)) == 2 else str(day.year)
    if padded:
        return f"{first:02d}{separator}{second:02d}{separator}{year}"
    return f"{first}{separator}{second}{separator}{year}"
