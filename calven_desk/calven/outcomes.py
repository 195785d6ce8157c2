"""What goes into a submit run and what comes out for each row: the contract between calven, cli and gui."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Outcome(StrEnum):
    """How a row ended; every row of a run ends in exactly one of these."""

    ACCEPTED = "accepted"  # Calven answered resultCode 0
    REJECTED = "rejected"  # Calven answered with any other resultCode, or refused the row's batch
    NOT_SENT = "not_sent"  # never reached Calven (network, auth, cancelled)
    UNCONFIRMED = (
        "unconfirmed"  # sent, but the answer was lost or held no result: Calven may hold it
    )
    SKIPPED = "skipped"  # invalid in the roster, so never sent
    UNCHANGED = "unchanged"  # Calven already holds exactly this event from us, so not sent again
    #: Not leave for Calven (pending, refused, shorter than half a day): never sent, not a failure.
    NOT_FOR_CALVEN = "not_for_calven"


@dataclass(frozen=True, slots=True)
class OutgoingEvent:
    """A row to send: its sheet row number (the key within a run) and Calven's JSON object for it."""

    row: int
    event: Mapping[str, str]

    @property
    def event_id(self) -> str:
        return self.event["eventId"]

    @property
    def person(self) -> str:
        """Who the event is about; a person's events must reach Calven in roster order."""
        return self.event.get("email") or self.event.get("uid") or ""


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """The end of one row's journey, with Calven's own code and message when there was an answer."""

    row: int
    event_id: str
    outcome: Outcome
    result_code: int | None
    message: str
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Progress:
    """A progress report: rows finished so far out of the total, and a few words on what is happening."""

    done: int
    total: int
    state: str


@dataclass(frozen=True, slots=True)
class CancellationOutcome:
    """How a cancellation this app made ended: which event it retracts, why, and Calven's answer."""

    event: Mapping[str, str]
    retracts: str
    reason: str
    outcome: Outcome
    result_code: int | None
    message: str

    @property
    def event_id(self) -> str:
        return self.event.get("eventId", "")

    def as_json(self) -> dict[str, object]:
        who = "email" if "email" in self.event else "uid"
        return {
            "eventId": self.event_id,
            "retracts": self.retracts,
            "reason": self.reason,
            who: self.event.get(who, ""),
            "startDate": self.event.get("startDate", ""),
            "endDate": self.event.get("endDate", ""),
            "outcome": self.outcome.value,
            "resultCode": self.result_code,
            "message": self.message,
        }
