"""The roster's vocabulary: fields, cells, problems and checked rows shared by reader, validator and window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Literal

Field = Literal["email", "uid", "eventType", "startDate", "endDate", "timeOffType", "eventId"]
#: Calven's event fields in the order the window shows them.
FIELDS: tuple[Field, ...] = (
    "email",
    "uid",
    "eventType",
    "startDate",
    "endDate",
    "timeOffType",
    "eventId",
)
DATE_FIELDS: tuple[Field, ...] = ("startDate", "endDate")

#: What a spreadsheet cell can hold once read: calamine gives dates for Excel date cells, CSV gives text.
CellValue = str | int | float | bool | date | datetime | time | timedelta | None

Severity = Literal["error", "warning"]


class Status(StrEnum):
    """A row's verdict: `warning` rows are still sent, `invalid` ones never are."""

    VALID = "valid"
    WARNING = "warning"
    INVALID = "invalid"


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


@dataclass(frozen=True, slots=True)
class DateOrderDecision:
    """The day/month order used for a file, and why: proven by its values, configured, or the locale."""

    order: DateOrder
    source: Literal["file", "configured", "locale"]
    #: False when no date in the file could be read two ways, so the order changed nothing.
    mattered: bool = True

    def describe(self) -> str:
        if not self.mattered:
            return "Every date in the file is unambiguous, so no day/month order was needed."
        words = (
            "day-first (31/12/2030)" if self.order is DateOrder.DMY else "month-first (12/31/2030)"
        )
        why = {
            "file": "the file's own dates show it",
            "configured": "as configured, since every date in the file could be read either way",
            "locale": "from your computer's regional settings, since every date in the file "
            "could be read either way",
        }[self.source]
        return f"Dates read {words}: {why}."


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
    event: dict[str, str] | None
    own: list[Problem] = field(default_factory=list)
    cross: list[Problem] = field(default_factory=list)
    #: Problems found against Calven's user list (roster/directory_check.py); empty without one.
    directory: list[DirectoryProblem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [*self.own, *self.cross, *self.directory]

    @property
    def status(self) -> Status:
        # Called for every row on every refresh of a 50,000-row table: no list is built here.
        if not self.own and not self.cross and not self.directory:
            return Status.VALID
        for problems in (self.own, self.cross, self.directory):
            for problem in problems:
                if problem.severity == "error":
                    return Status.INVALID
        return Status.WARNING

    @property
    def sendable_event(self) -> dict[str, str] | None:
        """The event to send, or None for a row that must not be sent."""
        return None if self.status is Status.INVALID else self.event

    def problems_for(self, name: Field | None) -> list[Problem]:
        return [p for p in self.problems if p.field == name]


@dataclass(slots=True)
class RosterCheck:
    """A whole file read, mapped and checked: what `validate` reports and the window opens."""

    table: SourceTable
    mapping: ColumnMap
    date_order: DateOrderDecision
    rows: list[RowCheck]

    def summary(self) -> dict[str, int]:
        counts = {s: 0 for s in Status}
        for r in self.rows:
            counts[r.status] += 1
        return {
            "rows": len(self.rows),
            "valid": counts[Status.VALID],
            "warning": counts[Status.WARNING],
            "invalid": counts[Status.INVALID],
        }
