"""The rules for one row: what each cell means, and the event or the problems a row gives.

A roster repeats the same few hundred dates, a few event and leave types and one address per
person across thousands of rows, so what a cell means (its text, its part of the event, its
problem) is worked out once per distinct value and shared: `Problem` is immutable, so one object
can stand in many rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import TypeVar

from calven_desk.roster.cells import cell_text
from calven_desk.roster.dates import DateError, parse_date
from calven_desk.roster.identity import derive_event_id, is_valid_email
from calven_desk.roster.model import CellValue, DateOrder, Field, Problem, RowCheck

SCHEDULED, CANCELLED = "scheduled", "cancelled"
EVENT_TYPES: dict[str, str] = {
    **dict.fromkeys(
        ("scheduled", "approved", "booked", "taken", "planned", "confirmed"), SCHEDULED
    ),
    **dict.fromkeys(
        ("cancelled", "canceled", "withdrawn", "rejected", "declined", "deleted"), CANCELLED
    ),
}

LABELS: dict[Field, str] = {
    "email": "Email",
    "uid": "Calven user ID",
    "eventType": "Event type",
    "startDate": "Start date",
    "endDate": "End date",
    "timeOffType": "Time-off type",
    "eventId": "Event ID",
}

#: Number types compare equal across types (1 == 1.0 == True) yet read differently ("TRUE" is no
#: date), so they are never cached: a number looked up finds no other kind of key, and always misses.
_NUMBERS = frozenset({int, float, bool})


#: Leave longer than this in one row is a warning, however the dates were read: 02/03 to 06/03
#: read the wrong way round is 121 days, and a real leave that long is worth a second look too.
LONG_LEAVE_DAYS = 60

#: What a date cell gives: the text the table shows, the ISO day (None if unreadable), a problem,
#: and the day as a number (`date.toordinal`, None if unreadable) for the length of a leave.
DateVerdict = tuple[str, str | None, Problem | None, int | None]
#: What an event-type cell gives: the file's own word (what the table shows and saves), Calven's
#: event type for it, and a problem.
TypeVerdict = tuple[str, str, Problem | None]
_V = TypeVar("_V")


def _error(field: Field | None, message: str) -> Problem:
    return Problem(field, "error", message)


def _warning(field: Field | None, message: str) -> Problem:
    return Problem(field, "warning", message)


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

    __slots__ = ("emails", "ends", "order", "starts", "types")

    def __init__(self, order: DateOrder) -> None:
        self.order = order
        self.emails: dict[CellValue, tuple[str, Problem | None]] = {}
        self.types: dict[CellValue, TypeVerdict] = {}
        self.starts: dict[CellValue, DateVerdict] = {}
        self.ends: dict[CellValue, DateVerdict] = {}

    def email(self, raw: CellValue) -> tuple[str, Problem | None]:
        """The trimmed address as written (case kept) and, if it is not an address, why."""
        text = cell_text(raw)
        problem = None
        if text and not is_valid_email(text):
            problem = _error(
                "email", f"'{text}' is not a valid email address (like name@company.com)."
            )
        return _remember(self.emails, raw, (text, problem))

    def event_type(self, raw: CellValue) -> TypeVerdict:
        """The HR word as written, Calven's event type for it (Approved -> scheduled), and any
        problem with it. The word stays as HR wrote it: the table shows it and Save as keeps it."""
        text = cell_text(raw)
        known = EVENT_TYPES.get(text.casefold())
        verdict: TypeVerdict
        if not text:
            verdict = (text, SCHEDULED, NO_EVENT_TYPE)
        elif known is not None:
            verdict = (text, known, None)
        else:
            verdict = (
                text,
                text,
                _error(
                    "eventType",
                    f"'{text}' is not an event type Calven takes; use scheduled or cancelled "
                    "(Approved, Booked, Withdrawn and the like are understood too).",
                ),
            )
        return _remember(self.types, raw, verdict)

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
    known = EVENT_TYPES.get(word.casefold())
    if known is None:
        return "not an event type Calven takes"
    return f"sent as {known}"


def _remember(cache: dict[CellValue, _V], raw: CellValue, verdict: _V) -> _V:
    if raw.__class__ not in _NUMBERS:
        cache[raw] = verdict
    return verdict


def _text(raw: CellValue) -> str:
    """A cell's trimmed text; text cells (nearly all of them) skip the general conversion."""
    return raw.strip() if isinstance(raw, str) else cell_text(raw)


#: Checks one row: its number, then the cells of email, uid, eventType, startDate, endDate,
#: timeOffType and eventId (a field without a column gets None); see `row_checker`.
RowChecker = Callable[
    [int, CellValue, CellValue, CellValue, CellValue, CellValue, CellValue, CellValue], RowCheck
]


def row_checker(columns: Collection[Field], order: DateOrder, today: date) -> RowChecker:
    """The check of one row of a table whose mapped fields are `columns`, with caches shared by rows.

    Fields with no column: no eventType column means every row is a booking, while a missing
    email/uid or date column is an error on every row. Everything fixed for the table is worked
    out here once; the returned function reads it from its closure (the fastest lookup Python has,
    which matters 50,000 times over).
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

    def check(
        row: int,
        email_cell: CellValue,
        uid_cell: CellValue,
        type_cell: CellValue,
        start_cell: CellValue,
        end_cell: CellValue,
        kind_cell: CellValue,
        id_cell: CellValue,
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
        if has_type:
            values["eventType"], event_type, problem = types.get(type_cell) or verdicts.event_type(
                type_cell
            )
            if problem is not None:
                own.append(problem)
        event["eventType"] = event_type

        kind = _text(kind_cell) if has_kind else ""
        start = end = None
        first: int | None = None
        last: int | None = None
        if has_start:
            values["startDate"], start, problem, first = starts.get(start_cell) or verdicts.start(
                start_cell
            )
            if start is not None:
                event["startDate"] = start
            if problem is not None:
                own.append(problem)
        else:
            own.append(missing_start)
        if has_end:
            values["endDate"], end, problem, last = ends.get(end_cell) or verdicts.end(end_cell)
            if end is not None:
                event["endDate"] = end
            if problem is not None:
                own.append(problem)
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

        if has_kind:
            values["timeOffType"] = kind
            if kind and event_type == SCHEDULED:
                event["timeOffType"] = kind

        explicit_id = ""
        if has_id:
            explicit_id = values["eventId"] = _text(id_cell)
        event["eventId"] = explicit_id or derive_event_id(
            email or uid, event_type, values.get("startDate", ""), values.get("endDate", "")
        )
        return RowCheck(row, values, event, own)

    return check
