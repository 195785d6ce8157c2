"""The roster's vocabulary: fields, cells, problems and checked rows shared by reader, validator and window."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Literal

Field = Literal[
    "email",
    "uid",
    "eventType",
    "startDate",
    "endDate",
    "timeOffType",
    "eventId",
    "halfDay",
    "halfDayStart",
    "halfDayEnd",
    "startTime",
    "endTime",
    "days",
    "hours",
]
#: Calven's event fields, in the order the window shows them.
EVENT_FIELDS: tuple[Field, ...] = (
    "email",
    "uid",
    "eventType",
    "startDate",
    "endDate",
    "timeOffType",
    "eventId",
)
#: What a row says about the part of a day it covers (half-day marks, times of day, an amount of
#: days or hours): read to tell half days and absences shorter than a day, never sent to Calven.
PART_FIELDS: tuple[Field, ...] = (
    "halfDay",
    "halfDayStart",
    "halfDayEnd",
    "startTime",
    "endTime",
    "days",
    "hours",
)
#: Every field a column may be matched to, in the order the window shows them.
FIELDS: tuple[Field, ...] = EVENT_FIELDS + PART_FIELDS
DATE_FIELDS: tuple[Field, ...] = ("startDate", "endDate")

#: What a spreadsheet cell can hold once read: calamine gives dates for Excel date cells, CSV gives text.
CellValue = str | int | float | bool | date | datetime | time | timedelta | None
#: A sheet as its readers hand it on: each kept row's 1-based number with its cells.
Rows = list[tuple[int, list[CellValue]]]

#: `info` says why a row is skipped: nothing to fix, the row is simply not for Calven.
Severity = Literal["error", "warning", "info"]

#: Why a row is not for Calven: a request not approved yet, a refused one, or an absence shorter
#: than half a day (Calven takes whole days only).
SkipKind = Literal["pending", "refused", "short"]


class Status(StrEnum):
    """A row's verdict: `warning` rows are still sent, `invalid` ones never are, and `skipped`
    ones are not leave for Calven (pending, refused, shorter than half a day): never sent, and
    nothing to fix."""

    VALID = "valid"
    WARNING = "warning"
    INVALID = "invalid"
    SKIPPED = "skipped"


class DateOrder(StrEnum):
    """How to read a date such as 03/04/2030 whose day and month could be swapped."""

    DMY = "dmy"
    MDY = "mdy"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a row; `field` is None when it concerns the row as a whole."""

    field: Field | None
    severity: Severity
    message: str

    def as_json(self) -> dict[str, str | None]:
        return {"field": self.field, "severity": self.severity, "message": self.message}


@dataclass(frozen=True, slots=True)
class DirectoryProblem(Problem):
    """A problem found against Calven's user list, with the value that would fix it when one is known.

    `kind` groups problems a person may fix the same way at once ("apply to all rows like this").
    """

    kind: str = ""
    suggestion: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {**Problem.as_json(self), "suggestion": self.suggestion}


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A non-blank data row as read, with the row number Excel shows for it."""

    row: int
    cells: tuple[CellValue, ...]


@dataclass(slots=True)
class SourceTable:
    """What a file holds below its header row, before any interpretation."""

    file: Path
    sheet: str | None
    header_row: int
    headers: list[str]
    rows: list[SourceRow]
    #: Every visible sheet that has a recognisable header (the window asks which when there are several).
    sheets_with_header: list[str] = field(default_factory=list)
    #: The file's bytes as read: Save as rebuilds HR's own workbook or text file from them (its other
    #: sheets, title rows, formats), even if the file has moved or changed since. None when the
    #: table did not come from a file (a recovered roster, a preview).
    content: bytes | None = field(default=None, repr=False)


class RosterReadError(Exception):
    """The file cannot be read as a roster; the message is one sentence meant for the person."""


class MappingError(Exception):
    """A forced mapping names a column that the file does not have."""


@dataclass(slots=True)
class ColumnMap:
    """Which source column feeds which Calven field; every other column is kept but never sent."""

    headers: list[str]
    columns: dict[Field, int]
    #: Fields for which more than one column looked right; the first was taken, the window may ask.
    ambiguous: dict[Field, list[int]] = field(default_factory=dict)

    def header_of(self, name: Field) -> str | None:
        index = self.columns.get(name)
        return None if index is None else self.headers[index]

    def unmapped(self) -> list[int]:
        used = set(self.columns.values())
        return [i for i in range(len(self.headers)) if i not in used]

    def missing_required(self) -> list[str]:
        """Required fields with no column, in words a person reads (`email or uid`, `startDate`)."""
        missing: list[str] = []
        if "email" not in self.columns and "uid" not in self.columns:
            missing.append("email or uid")
        missing.extend(f for f in ("startDate", "endDate") if f not in self.columns)
        return missing

    def as_json(self) -> dict[str, str]:
        return {f: self.headers[i] for f, i in sorted(self.columns.items(), key=lambda kv: kv[1])}


#: Why a file's dates are read the way they are, strongest first: the file's own dates prove it
#: ("file"); `--date-order` says so ("option"); the person answered the question just now
#: ("asked") or earlier for files with the same columns ("remembered"); Settings say so
#: ("configured"); the rows make sense only one way ("rows").
OrderSource = Literal["file", "option", "asked", "remembered", "configured", "rows"]


@dataclass(frozen=True, slots=True)
class DateOrderDecision:
    """The day/month order used for a file, and the evidence that decided it."""

    order: DateOrder
    source: OrderSource
    #: False when no date in the file could be read two ways, so the order changed nothing.
    mattered: bool = True
    #: For "rows": what the other order would make of the rows, as words for a person.
    evidence: str = ""

    def describe(self) -> str:
        if not self.mattered:
            return "Every date in the file is unambiguous, so no day/month order was needed."
        words = (
            "day-first (31/12/2030)" if self.order is DateOrder.DMY else "month-first (12/31/2030)"
        )
        unproven = "no date in the file shows the order"
        why = {
            "file": "the file's own dates show it",
            "option": f"as --date-order says; {unproven}",
            "asked": f"as you chose; {unproven}",
            "remembered": f"as chosen before for files with these columns; {unproven}",
            "configured": f"as set in Settings; {unproven}",
            "rows": self.evidence,
        }[self.source]
        return f"Dates read {words}: {why}."


@dataclass(frozen=True, slots=True)
class OrderChoices:
    """What people have said about the day/month order, for the files that do not show it.

    `option` (the command line's --date-order, or an answer just given, as `option_source`) comes
    first, then the answer remembered for files with these columns (`remembered`, by
    `shape_key`), then Settings (`configured`). With none of them, the rows decide if they can.
    """

    option: DateOrder | None = None
    option_source: OrderSource = "option"
    remembered: Mapping[str, DateOrder] = field(default_factory=dict)
    configured: DateOrder | None = None


class DateOrderUnknown(Exception):
    """No date in the file shows the day/month order and the rows make sense either way.

    `examples` are (up to two of) the file's own rows read both ways, for the question the window
    asks; the message is the command line's one sentence.
    """

    def __init__(self, file: Path, examples: Sequence[TwoReadings]) -> None:
        self.file = file
        self.examples = list(examples)
        shown = ""
        if self.examples:
            first = self.examples[0]
            shown = (
                f" (row {first.row}: {first.text} could be {first.words(DateOrder.DMY)}"
                f" or {first.words(DateOrder.MDY)})"
            )
        super().__init__(
            f"Cannot tell whether the dates in {file.name} are day-first or month-first{shown}; "
            "run again with --date-order dmy (day-first) or --date-order mdy (month-first)."
        )


@dataclass(frozen=True, slots=True)
class TwoReadings:
    """One row's dates read day-first and month-first: the question's example, the rows' evidence.

    A reading is None when the row's dates cannot be read that way at all.
    """

    row: int
    #: The row's dates as the file writes them ("02/03/2031 to 06/03/2031").
    text: str
    dmy: tuple[date, date] | None
    mdy: tuple[date, date] | None
    #: Only one of the row's dates could be read (the other is empty or wrong): it says nothing
    #: about a length, and `text` is that one date.
    lone: bool = False

    def span(self, order: DateOrder) -> tuple[date, date] | None:
        return self.dmy if order is DateOrder.DMY else self.mdy

    def days(self, order: DateOrder) -> int | None:
        """Calendar days of leave read this way; None when unreadable, negative when backwards."""
        span = self.span(order)
        if span is None:
            return None
        start, end = span
        return (end - start).days + (1 if end >= start else 0)

    def words(self, order: DateOrder) -> str:
        """The reading as a person checks it against a calendar: `2 Mar - 6 Mar 2031, 5 days`,
        `3 Feb 2031, 1 day`, or `6 Mar - 2 Mar 2031, ends before it starts`."""
        span = self.span(order)
        if span is None:
            return "not a date"
        start, end = span
        days = self.days(order) or 0
        if self.lone:
            return _day(start, True)
        if start == end:
            return f"{_day(start, True)}, 1 day"
        shown = f"{_day(start, start.year != end.year)} \u2013 {_day(end, True)}"
        return f"{shown}, {days} days" if days > 0 else f"{shown}, ends before it starts"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(day: date, year: bool) -> str:
    text = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


@dataclass(slots=True)
class RowCheck:
    """One roster row as the window shows it and Calven would get it.

    `values` holds the normalised text of every mapped field ("" when empty): it is what the table
    shows and edits, and re-checking it gives the same result. `own` are the problems of the row by
    itself, `cross` those it has because of other rows (duplicates, shared ids, overlaps); keeping them
    apart lets an edit re-check one row and then only redo the cheap cross-row pass.
    """

    row: int
    values: dict[Field, str]
    #: What Calven would get. For a skipped row too, so the sync can follow what HR decided about
    #: leave sent earlier: a pending row's is the scheduled event it would be, a refused row's the
    #: cancelled event of the same eventId, person and days; `sendable_event` is None for both.
    event: dict[str, str] | None
    own: list[Problem] = field(default_factory=list)
    cross: list[Problem] = field(default_factory=list)
    #: Problems found against Calven's user list (roster/directory_check.py); empty without one.
    directory: list[DirectoryProblem] = field(default_factory=list)
    #: Why the row is not for Calven (None: it is); `own` then holds only the `info` problem
    #: saying so, and `skip_reason` the reason in a few words ("Waiting for approval (beantragt)").
    skip: SkipKind | None = None
    skip_reason: str = ""

    @property
    def problems(self) -> list[Problem]:
        return [*self.own, *self.cross, *self.directory]

    @property
    def status(self) -> Status:
        # Called for every row on every refresh of a 50,000-row table: no list is built here.
        if self.skip is not None:
            return Status.SKIPPED
        if not self.own and not self.cross and not self.directory:
            return Status.VALID
        for problems in (self.own, self.cross, self.directory):
            for problem in problems:
                if problem.severity == "error":
                    return Status.INVALID
        return Status.WARNING

    @property
    def sendable_event(self) -> dict[str, str] | None:
        """The event to send, or None for a row that must not be sent (invalid or skipped)."""
        return None if self.skip is not None or self.status is Status.INVALID else self.event

    def problems_for(self, name: Field | None) -> list[Problem]:
        return [p for p in self.problems if p.field == name]


@dataclass(slots=True)
class RosterCheck:
    """A whole file read, mapped and checked: what `validate` reports and the window opens."""

    table: SourceTable
    mapping: ColumnMap
    date_order: DateOrderDecision
    rows: list[RowCheck]
    #: Absences shorter than half a day were checked as whole days to send (a team's setting),
    #: not skipped; an edited row is checked the same way.
    short_as_whole: bool = False

    def summary(self) -> dict[str, int]:
        counts = {s: 0 for s in Status}
        for r in self.rows:
            counts[r.status] += 1
        return {
            "rows": len(self.rows),
            "valid": counts[Status.VALID],
            "warning": counts[Status.WARNING],
            "invalid": counts[Status.INVALID],
            "skipped": counts[Status.SKIPPED],
        }
