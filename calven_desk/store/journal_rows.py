"""The journal's records as the rest of the app reads them: runs, their rows, answers, planned cancellations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: Row states with no answer from Calven: a resume sends these again (`unconfirmed`: sent, but the
#: answer was lost, so Calven may hold it; sending the same event again is harmless).
UNANSWERED = ("pending", "sending", "not_sent", "unconfirmed")


@dataclass(frozen=True, slots=True)
class RunInfo:
    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    source: str
    sheet: str | None
    profile: str | None
    host: str
    counts: dict[str, int]
    #: Another process on this computer is sending it right now (so it is not interrupted).
    still_running: bool = False

    @property
    def unanswered(self) -> int:
        return sum(self.counts.get(state, 0) for state in UNANSWERED)


@dataclass(frozen=True, slots=True)
class JournalRow:
    row: int
    event_id: str
    payload: str | None
    state: str
    result_code: int | None
    message: str
    sent_at: datetime | None
    answered_at: datetime | None
    retracts: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class PlannedCancellation:
    """A cancellation the run sends (row numbers below zero, so they never meet a sheet row)."""

    row: int
    event_id: str
    payload: str
    retracts: str
    reason: str


@dataclass(frozen=True, slots=True)
class Answer:
    """How one row ended, as the submitter saw it."""

    row: int
    state: str
    result_code: int | None
    message: str
    answered_at: datetime | None
