"""The rules for one row: what each cell means, and the event or the problems a row gives.

A roster repeats the same few hundred dates, a few event and leave types and one address per
person across thousands of rows, so what a cell means (its text, its part of the event, its
problem) is worked out once per distinct value and shared: `Problem` is immutable, so one object
can stand in many rows.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Protocol, TypeVar

from calven_desk.roster.cells import cell_text
from calven_desk.roster.dates import DateError, parse_date
from calven_desk.roster.day_parts import (
    AmountVerdict,
    HalfVerdict,
    Parts,
    TimeVerdict,
    judge,
    parse_time,
    read_amount,
    read_half_day,
    read_time,
)
from calven_desk.roster.identity import derive_event_id, is_valid_email
from calven_desk.roster.model import (
    PART_FIELDS,
    CellValue,
    DateOrder,
    Field,
    Problem,
    RowCheck,
    SkipKind,
)
from calven_desk.roster.vocabulary import STATUS_WORDS, StatusMeaning, all_words, fold

SCHEDULED, CANCELLED = "scheduled", "cancelled"
#: What each status word means, folded, in every language (roster/vocabulary.py).
STATUS: dict[str, StatusMeaning] = {
    fold(word): meaning
    for meaning, languages in STATUS_WORDS.items()
    for word in all_words(languages)
}
#: The words sent as Calven's two event types: approved leave is scheduled, withdrawn cancelled.
#: Pending and refused requests are no leave: their rows are skipped (`StatusVerdict`).
EVENT_TYPES: dict[str, str] = {
    word: SCHEDULED if meaning == "approved" else CANCELLED
    for word, meaning in STATUS.items()
    if meaning in ("approved", "cancelled")
}

LABELS: dict[Field, str] = {
    "email": "Email",
    "uid": "Calven user ID",
    "eventType": "Event type",
    "startDate": "Start date",
    "endDate": "End date",
    "timeOffType": "Time-off type",
    "eventId": "Event ID",
    "halfDay": "Half day",
    "halfDayStart": "Half day (first day)",
    "halfDayEnd": "Half day (last day)",
    "startTime": "Start time",
    "endTime": "End time",
    "days": "Days",
    "hours": "Hours",
}

HALF_DAY_FIELDS: tuple[Field, ...] = ("halfDay", "halfDayStart", "halfDayEnd")
TIME_FIELDS: tuple[Field, ...] = ("startTime", "endTime")
AMOUNT_FIELDS: tuple[Field, ...] = ("days", "hours")

#: Number types compare equal across types (1 == 1.0 == True) yet read differently ("TRUE" is no
#: date), so they are never cached: a number looked up finds no other kind of key, and always misses.
_NUMBERS = frozenset({int, float, bool})


#: Leave longer than this in one row is a warning, however the dates were read: 02/03 to 06/03
#: read the wrong way round is 121 days, and a real leave that long is worth a second look too.
LONG_LEAVE_DAYS = 60

#: What a date cell gives: the text the table shows, the ISO day (None if unreadable), a problem,
#: and the day as a number (`date.toordinal`, None if unreadable) for the length of a leave.
DateVerdict = tuple[str, str | None, Problem | None, int | None]
#: What a status cell gives: the file's own word (what the table shows and saves), Calven's event
#: type for it, why the row is skipped (None: it is not), its problem (for a skipped row, the info
#: saying why), and the reason in a few words.
StatusVerdict = tuple[str, str, SkipKind | None, Problem | None, str]
_V = TypeVar("_V")


def _error(field: Field | None, message: str) -> Problem:
    return Problem(field, "error", message)


def _warning(field: Field | None, message: str) -> Problem:
    return Problem(field, "warning", message)


def _info(message: str) -> Problem:
    return Problem("eventType", "info", message)


PAST = _warning(
    None,
    "These dates are wholly in the past; Calven ignores past dates, so sending this row changes nothing.",
)
NO_EVENT_TYPE = _warning("eventType", "No event type given, so it is sent as scheduled.")


class CellVerdicts:
    """What each distinct cell value means, for one day/month order: a cache per field.

    The caches are plain dicts, read directly by the `row_checker` function (a hit costs one lookup); the
    methods work a value out on a miss and remember it.
    """

    __slots__ = ("amounts", "emails", "ends", "halves", "order", "starts", "times", "types")

    def __init__(self, order: DateOrder) -> None:
        self.order = order
        self.emails: dict[CellValue, tuple[str, Problem | None]] = {}
        self.types: dict[CellValue, StatusVerdict] = {}
        self.starts: dict[CellValue, DateVerdict] = {}
        self.ends: dict[CellValue, DateVerdict] = {}
        # The part-of-day columns' verdicts, by field (a problem names its column) and by value
        # with its type: these columns hold numbers (0.5 days, an Excel time as 0.58), which the
        # other caches never keep (1 == 1.0 == True), and `(float, 1.0)` is no `(bool, True)`.
        self.halves: dict[Field, dict[tuple[type, CellValue], HalfVerdict]] = {}
        self.times: dict[Field, dict[tuple[type, CellValue], TimeVerdict]] = {}
        self.amounts: dict[Field, dict[tuple[type, CellValue], AmountVerdict]] = {}

    def email(self, raw: CellValue) -> tuple[str, Problem | None]:
        """The trimmed address as written (case kept) and, if it is not an address, why."""
        text = cell_text(raw)
        problem = None
        if text and not is_valid_email(text):
            problem = _error(
                "email", f"'{text}' is not a valid email address (like name@company.com)."
            )
        return _remember(self.emails, raw, (text, problem))

    def event_type(self, raw: CellValue) -> StatusVerdict:
        """HR's word as written, Calven's event type for it in any of the six languages (Approved,
        genehmigt -> scheduled; Withdrawn, storniert -> cancelled), or why the row is skipped
        (Pending, beantragt; Refused, abgelehnt), or the problem with it. The word stays as HR
        wrote it: the table shows it, Save as keeps it, and checking it again (after an edit)
        skips a pending row again, still saying its word.
        """
        text = cell_text(raw)
        meaning = STATUS.get(fold(text)) if text else None
        verdict: StatusVerdict
        if not text:
            verdict = (text, SCHEDULED, None, NO_EVENT_TYPE, "")
        elif meaning == "approved":
            verdict = (text, SCHEDULED, None, None, "")
        elif meaning == "cancelled":
            verdict = (text, CANCELLED, None, None, "")
        elif meaning == "pending":
            reason = f"Waiting for approval ({text})"
            verdict = (text, SCHEDULED, "pending", _info(f"{reason}: not sent."), reason)
        elif meaning == "refused":
            reason = f"Refused ({text})"
            verdict = (text, CANCELLED, "refused", _info(f"{reason}: not sent."), reason)
        else:
            verdict = (
                text,
                text,
                None,
                _error(
                    "eventType",
                    f"'{text}' is not an event type Calven takes; use scheduled or cancelled "
                    "(HR's words such as Approved, Withdrawn, Pending or Refused are understood "
                    "too, in English, German, French, Spanish, Dutch and Italian).",
                ),
                "",
            )
        return _remember(self.types, raw, verdict)

    def half_day(self, name: Field, raw: CellValue) -> HalfVerdict:
        cache, key = self.halves.setdefault(name, {}), (raw.__class__, raw)
        found = cache.get(key)
        if found is None:
            found = cache[key] = read_half_day(name, raw)
        return found

    def time_of_day(self, name: Field, raw: CellValue) -> TimeVerdict:
        cache, key = self.times.setdefault(name, {}), (raw.__class__, raw)
        found = cache.get(key)
        if found is None:
            found = cache[key] = read_time(name, raw)
        return found

    def amount(self, name: Field, raw: CellValue) -> AmountVerdict:
        cache, key = self.amounts.setdefault(name, {}), (raw.__class__, raw)
        found = cache.get(key)
        if found is None:
            found = cache[key] = read_amount(name, raw)
        return found

    def start(self, raw: CellValue) -> DateVerdict:
        return _remember(self.starts, raw, self._read_date("startDate", raw))

    def end(self, raw: CellValue) -> DateVerdict:
        return _remember(self.ends, raw, self._read_date("endDate", raw))

    def _read_date(self, name: Field, raw: CellValue) -> DateVerdict:
        label = LABELS[name]
        text = cell_text(raw)
        if not text:
            return "", None, _error(name, f"{label} is missing."), None
        try:
            parsed = parse_date(raw, self.order)
        except DateError as exc:
            return text, None, _error(name, str(exc)), None
        # ISO text sorts and compares like the dates themselves, so it is all later checks need.
        iso = parsed.day.isoformat()
        if parsed.had_time:
            return (
                iso,
                iso,
                _warning(
                    name,
                    f"{label} has a time of day; Calven takes whole days, so only the day ({iso}) is sent.",
                ),
                parsed.day.toordinal(),
            )
        return iso, iso, None, parsed.day.toordinal()


def event_type_meaning(text: str) -> str:
    """What an event-type cell means for Calven, in words beside HR's own ("sent as scheduled")."""
    word = text.strip()
    if not word:
        return "empty, so sent as scheduled"
    meaning = STATUS.get(fold(word))
    if meaning == "pending":
        return "waiting for approval, so not sent"
    if meaning == "refused":
        return "refused, so not sent"
    if meaning is None:
        return "not an event type Calven takes"
    return f"sent as {SCHEDULED if meaning == 'approved' else CANCELLED}"


def _remember(cache: dict[CellValue, _V], raw: CellValue, verdict: _V) -> _V:
    if raw.__class__ not in _NUMBERS:
        cache[raw] = verdict
    return verdict


def _text(raw: CellValue) -> str:
    """A cell's trimmed text; text cells (nearly all of them) skip the general conversion."""
    return raw.strip() if isinstance(raw, str) else cell_text(raw)


class RowChecker(Protocol):
    """Checks one row: its number, then the cells of email, uid, eventType, startDate, endDate,
    timeOffType and eventId, then of the part-of-day fields (halfDay, halfDayStart, halfDayEnd,
    startTime, endTime, days, hours), which a table without such columns leaves out; a field
    without a column gets None. See `row_checker`."""

    def __call__(
        self,
        row: int,
        email_cell: CellValue,
        uid_cell: CellValue,
        type_cell: CellValue,
        start_cell: CellValue,
        end_cell: CellValue,
        kind_cell: CellValue,
        id_cell: CellValue,
        half_cell: CellValue = None,
        half_start_cell: CellValue = None,
        half_end_cell: CellValue = None,
        start_time_cell: CellValue = None,
        end_time_cell: CellValue = None,
        days_cell: CellValue = None,
        hours_cell: CellValue = None,
        /,
    ) -> RowCheck: ...


def row_checker(
    columns: Collection[Field], order: DateOrder, today: date, short_as_whole: bool = False
) -> RowChecker:
    """The check of one row of a table whose mapped fields are `columns`, with caches shared by rows.

    Fields with no column: no eventType column means every row is a booking, while a missing
    email/uid or date column is an error on every row. Everything fixed for the table is worked
    out here once; the returned function reads it from its closure (the fastest lookup Python has,
    which matters 50,000 times over). `short_as_whole`: absences shorter than half a day are sent
    as whole days (with a warning) rather than skipped.
    """
    verdicts = CellVerdicts(order)
    emails, types, starts, ends = verdicts.emails, verdicts.types, verdicts.starts, verdicts.ends
    today_iso = today.isoformat()
    has_email, has_uid = "email" in columns, "uid" in columns
    has_type, has_kind, has_id = (
        "eventType" in columns,
        "timeOffType" in columns,
        "eventId" in columns,
    )
    has_start, has_end = "startDate" in columns, "endDate" in columns
    has_half, has_half_start, has_half_end = (name in columns for name in HALF_DAY_FIELDS)
    has_start_time, has_end_time = (name in columns for name in TIME_FIELDS)
    has_days, has_hours = (name in columns for name in AMOUNT_FIELDS)
    has_times = has_start_time or has_end_time
    has_parts = any(name in columns for name in PART_FIELDS)
    half_day, time_of_day, amount_of = verdicts.half_day, verdicts.time_of_day, verdicts.amount
    where: Field = "email" if has_email or not has_uid else "uid"
    no_identity = (
        _error(where, "No email or Calven user ID: Calven needs one to know whose leave this is.")
        if has_email or has_uid
        else _error(where, "The file has no email column; choose one in the column mapping.")
    )
    long_leave: dict[tuple[int, str], Problem] = {}

    def too_long(days: int, kind: str) -> Problem:
        """One problem object per length and leave type, shared by the rows that have it."""
        found = long_leave.get((days, kind))
        if found is None:
            found = long_leave[(days, kind)] = _warning(
                "endDate", f"{days} days of {kind or 'leave'}: check the dates."
            )
        return found

    missing_start, missing_end = (
        _error(
            name,
            f"The file has no {LABELS[name].lower()} column; choose one in the column mapping.",
        )
        for name in ("startDate", "endDate")
    )

    def read_parts(
        values: dict[Field, str],
        half_cell: CellValue,
        half_start_cell: CellValue,
        half_end_cell: CellValue,
        start_time_cell: CellValue,
        end_time_cell: CellValue,
        days_cell: CellValue,
        hours_cell: CellValue,
    ) -> tuple[Parts, list[Problem]]:
        """The part-of-day cells read (cached by value), with the problems of reading them."""
        parts = Parts()
        read: list[Problem | None] = []
        if has_half:
            values["halfDay"], parts.half, problem = half_day("halfDay", half_cell)
            read.append(problem)
        if has_half_start:
            values["halfDayStart"], parts.half_start, problem = half_day(
                "halfDayStart", half_start_cell
            )
            read.append(problem)
        if has_half_end:
            values["halfDayEnd"], parts.half_end, problem = half_day("halfDayEnd", half_end_cell)
            read.append(problem)
        if has_start_time:
            values["startTime"], parts.start_time, problem = time_of_day(
                "startTime", start_time_cell
            )
            read.append(problem)
        if has_end_time:
            values["endTime"], parts.end_time, problem = time_of_day("endTime", end_time_cell)
            read.append(problem)
        if has_days:
            values["days"], parts.days, problem = amount_of("days", days_cell)
            read.append(problem)
        if has_hours:
            values["hours"], parts.hours, problem = amount_of("hours", hours_cell)
            read.append(problem)
        return parts, [p for p in read if p is not None]

    def check(
        row: int,
        email_cell: CellValue,
        uid_cell: CellValue,
        type_cell: CellValue,
        start_cell: CellValue,
        end_cell: CellValue,
        kind_cell: CellValue,
        id_cell: CellValue,
        half_cell: CellValue = None,
        half_start_cell: CellValue = None,
        half_end_cell: CellValue = None,
        start_time_cell: CellValue = None,
        end_time_cell: CellValue = None,
        days_cell: CellValue = None,
        hours_cell: CellValue = None,
        /,
    ) -> RowCheck:
        values: dict[Field, str] = {}
        own: list[Problem] = []
        # eventId comes first in the event Calven gets; its value is known only at the end.
        event: dict[str, str] = {"eventId": ""}
        email = uid = ""
        email_problem = None
        if has_email:
            email, email_problem = emails.get(email_cell) or verdicts.email(email_cell)
            values["email"] = email
        if has_uid:
            uid = values["uid"] = _text(uid_cell)
        if email:
            if email_problem is None:
                event["email"] = email
            else:
                own.append(email_problem)
        elif uid:
            event["uid"] = uid
        else:
            own.append(no_identity)

        event_type = SCHEDULED
        skip: SkipKind | None = None
        skip_problem: Problem | None = None
        reason = ""
        if has_type:
            values["eventType"], event_type, skip, problem, reason = types.get(
                type_cell
            ) or verdicts.event_type(type_cell)
            if skip is not None:
                skip_problem = problem
            elif problem is not None:
                own.append(problem)
        event["eventType"] = event_type

        kind = _text(kind_cell) if has_kind else ""
        start = end = None
        first: int | None = None
        last: int | None = None
        # A date cell's only warning is a time of day (`2031-05-19 14:00`): without time columns,
        # the times of a one-day row's date-times say how long it is.
        timed = False
        if has_start:
            values["startDate"], start, problem, first = starts.get(start_cell) or verdicts.start(
                start_cell
            )
            if start is not None:
                event["startDate"] = start
            if problem is not None:
                own.append(problem)
                timed = problem.severity == "warning"
        else:
            own.append(missing_start)
        if has_end:
            values["endDate"], end, problem, last = ends.get(end_cell) or verdicts.end(end_cell)
            if end is not None:
                event["endDate"] = end
            if problem is not None:
                own.append(problem)
                timed = timed or problem.severity == "warning"
        else:
            own.append(missing_end)
        if first is not None and last is not None:  # both dates read (start and end are set)
            if last < first:
                own.append(_error("endDate", f"The leave ends ({end}) before it starts ({start})."))
            else:
                if last - first >= LONG_LEAVE_DAYS:
                    own.append(too_long(last - first + 1, kind))
                if end < today_iso:  # type: ignore[operator]
                    own.append(PAST)

        if has_parts or (timed and start == end and not has_times):
            parts, problems = read_parts(
                values,
                half_cell,
                half_start_cell,
                half_end_cell,
                start_time_cell,
                end_time_cell,
                days_cell,
                hours_cell,
            )
            if timed and not has_times:
                parts.start_time, parts.end_time = parse_time(start_cell), parse_time(end_cell)
                parts.time_fields = ("startDate", "endDate")
            own.extend(problems)
            readable = not any(p.severity == "error" for p in problems)
            if skip is None and readable and start and end and start <= end:
                verdict = judge(start, end, parts, short_as_whole=short_as_whole)
                if verdict.skip is not None:
                    skip, skip_problem, reason = "short", verdict.skip, verdict.reason
                own.extend(verdict.problems)

        if has_kind:
            values["timeOffType"] = kind
            if kind and event_type == SCHEDULED:
                event["timeOffType"] = kind

        explicit_id = ""
        if has_id:
            explicit_id = values["eventId"] = _text(id_cell)
        # A pending or refused row's event is about the leave it asks for: the id it has as a
        # booking, so that it names what an earlier send of it as approved left in Calven.
        named_as = SCHEDULED if skip in ("pending", "refused") else event_type
        event["eventId"] = explicit_id or derive_event_id(
            email or uid, named_as, values.get("startDate", ""), values.get("endDate", "")
        )
        if skip is not None and skip_problem is not None:
            # Not for Calven: nothing about it needs fixing, so the reason is its only problem.
            return RowCheck(row, values, event, [skip_problem], skip=skip, skip_reason=reason)
        return RowCheck(row, values, event, own)

    return check
