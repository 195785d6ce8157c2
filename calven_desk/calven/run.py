"""One submit run from roster to journal: the single code path behind `calven-desk submit` and the window.

The window and the command line both call `plan_run` then `execute_run` (or `resume_run`), so the
rules about what is sent, what is journalled and how a failed run ends live here once.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from calven_desk.calven.auth import Credentials
from calven_desk.calven.client import CalvenClient
from calven_desk.calven.errors import CalvenError
from calven_desk.calven.outcomes import (
    CancellationOutcome,
    Outcome,
    OutgoingEvent,
    Progress,
    RowOutcome,
)
from calven_desk.calven.sender_claim import WAIT_SECONDS, one_sender
from calven_desk.calven.submitter import SendingStopped, SubmitResult, Submitter, plan_batches
from calven_desk.logs import register_secret
from calven_desk.roster import RosterCheck, Status
from calven_desk.store.held import connection_key
from calven_desk.store.journal import (
    Answer,
    Journal,
    JournalRow,
    PlannedCancellation,
    TeamMemoryUnavailable,
)
from calven_desk.store.memory_address import MemoryAddress

ProgressCallback = Callable[[Progress], None]
#: Told each batch's answers as they arrive, so the window can colour rows while the run goes on.
AnswersCallback = Callable[[Sequence[RowOutcome]], None]


@dataclass(frozen=True, slots=True)
class Connection:
    """Where to send and with which key; the secret is left out of repr so it never reaches a log."""

    base_url: str
    auth: str
    key_id: str
    secret: str = field(repr=False)
    profile: str | None = None
    #: Where the memory of what Calven holds is: a team's PostgreSQL, or None for this computer's
    #: journal. A journal for this connection is opened with it (`open_journal`).
    memory: MemoryAddress | None = None


def open_journal(connection: Connection | None = None) -> Journal:
    """The journal, with the connection's team memory when it has one."""
    return Journal(memory=connection.memory if connection is not None else None)


@dataclass(frozen=True, slots=True)
class RunSettings:
    """How hard to push: batch size (never above 100 unless configured), parallelism, patience."""

    batch_size: int = 100
    parallel: int = 4
    timeout_seconds: float = 30.0
    ca_bundle: str | None = None
    max_retries: int = 5
    backoff_seconds: float = 1.0
    #: How long a send waits for another sender to the same Calven to finish.
    sender_wait_seconds: float = WAIT_SECONDS


@dataclass(frozen=True, slots=True)
class CancellationNote:
    """Why a planned cancellation is sent: the eventId it retracts, and `moved` or `removed`."""

    retracts: str
    reason: str


@dataclass(slots=True)
class RunPlan:
    """What a run will send, what it skips and why, and selected rows the roster does not have.

    A sync plan (`calven.sync_run.plan_sync`) also holds rows Calven already has unchanged (not
    sent) and the cancellations among `events`, by their row number (below zero).
    """

    events: list[OutgoingEvent]
    skipped: list[RowOutcome]
    missing: list[int] = field(default_factory=list)
    unchanged: list[RowOutcome] = field(default_factory=list)
    cancellations: dict[int, CancellationNote] = field(default_factory=dict)
    #: Rows that are not leave for Calven (pending, refused, shorter than half a day), with why:
    #: not sent, not journalled, and no failure of the run.
    left_out: list[RowOutcome] = field(default_factory=list)


@dataclass(slots=True)
class RunReport:
    """How every row of a run ended; `fatal` is a sentence when the run could not go on."""

    run_id: int | None
    outcomes: list[RowOutcome]
    fatal: str | None = None
    cancellations: list[CancellationOutcome] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        counts = {o.value: 0 for o in Outcome}
        for outcome in self.outcomes:
            counts[outcome.outcome.value] += 1
        cancelled = sum(c.outcome is Outcome.ACCEPTED for c in self.cancellations)
        return {"rows": len(self.outcomes), **counts, "cancelled": cancelled}

    def all_accepted(self) -> bool:
        """Every row accepted, already in Calven or not for Calven, and every cancellation
        accepted."""
        fine = (Outcome.ACCEPTED, Outcome.UNCHANGED, Outcome.NOT_FOR_CALVEN)
        return (
            bool(self.outcomes)
            and all(o.outcome in fine for o in self.outcomes)
            and all(c.outcome is Outcome.ACCEPTED for c in self.cancellations)
        )


def plan_run(
    check: RosterCheck, rows: Collection[int] | None = None, *, only_valid: bool = False
) -> RunPlan:
    """Choose the rows to send: invalid rows are never sent, warning rows only unless `only_valid`;
    rows not for Calven (pending, refused, shorter than half a day) are left out."""
    wanted = None if rows is None else set(rows)
    events: list[OutgoingEvent] = []
    skipped: list[RowOutcome] = []
    left_out: list[RowOutcome] = []
    for row in check.rows:
        if wanted is not None and row.row not in wanted:
            continue
        event = row.sendable_event
        event_id = (row.event or {}).get("eventId", "")
        if row.skip is not None:
            message = row.own[0].message if row.own else f"{row.skip_reason}: not sent."
            left_out.append(RowOutcome(row.row, event_id, Outcome.NOT_FOR_CALVEN, None, message))
        elif event is None:
            first_error = next(p.message for p in row.problems if p.severity == "error")
            skipped.append(RowOutcome(row.row, event_id, Outcome.SKIPPED, None, first_error))
        elif only_valid and row.status is Status.WARNING:
            skipped.append(
                RowOutcome(
                    row.row,
                    event_id,
                    Outcome.SKIPPED,
                    None,
                    f"Not sent because of a warning: {row.problems[0].message}",
                )
            )
        else:
            events.append(OutgoingEvent(row.row, dict(event)))
    present = {r.row for r in check.rows}
    missing = sorted(wanted - present) if wanted is not None else []
    return RunPlan(events, skipped, missing, left_out=left_out)


def request_bodies(events: list[OutgoingEvent], batch_size: int) -> list[dict[str, object]]:
    """The exact JSON bodies a run would POST, batch by batch (what `--dry-run` prints)."""
    return [
        {"timeOffEvents": [dict(e.event) for e in batch]}
        for batch in plan_batches(events, batch_size)
    ]


class JournalListener:
    """Writes each batch to the journal before it leaves and each answer as soon as it arrives."""

    def __init__(self, journal: Journal, run_id: int) -> None:
        self.journal = journal
        self.run_id = run_id

    def batch_sending(self, events: Sequence[OutgoingEvent]) -> None:
        try:
            self.journal.mark_sending(self.run_id, [e.row for e in events])
        except TeamMemoryUnavailable as exc:  # the team cannot be told: the batch stays here
            raise SendingStopped(str(exc)) from None

    def batch_answered(self, outcomes: Sequence[RowOutcome]) -> None:
        self.journal.record_answers(
            self.run_id,
            [
                Answer(o.row, o.outcome.value, o.result_code, o.message, o.answered_at)
                for o in outcomes
            ],
        )


class AnswerFeed:
    """Passes each batch's answers on as they arrive, after the journal has them: what a person
    sees as answered is never ahead of what a crash would keep."""

    def __init__(self, journal: JournalListener | None, answered: AnswersCallback) -> None:
        self.journal = journal
        self.answered = answered

    def batch_sending(self, events: Sequence[OutgoingEvent]) -> None:
        if self.journal is not None:
            self.journal.batch_sending(events)

    def batch_answered(self, outcomes: Sequence[RowOutcome]) -> None:
        if self.journal is not None:
            self.journal.batch_answered(outcomes)
        self.answered(outcomes)


def _listener(
    journal: JournalListener | None, answered: AnswersCallback | None
) -> JournalListener | AnswerFeed | None:
    return journal if answered is None else AnswerFeed(journal, answered)


def _submit(
    events: list[OutgoingEvent],
    connection: Connection,
    settings: RunSettings,
    listener: JournalListener | AnswerFeed | None,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    lost_before: Collection[int] = (),
) -> SubmitResult:
    register_secret(connection.secret)
    try:
        client = CalvenClient(
            connection.base_url,
            Credentials(connection.key_id, connection.secret, connection.auth),
            timeout=settings.timeout_seconds,
            ca_bundle=settings.ca_bundle,
            max_connections=settings.parallel + 1,
        )
    except (ValueError, OSError) as exc:  # a refused base URL or an unreadable CA file
        problem = CalvenError(str(exc) or "The connection settings cannot be used.")
        outcomes = [
            RowOutcome(e.row, e.event_id, Outcome.NOT_SENT, None, f"Not sent: {problem}")
            for e in events
        ]
        if listener is not None:
            listener.batch_answered(outcomes)
        return SubmitResult(outcomes, problem)
    with client:
        submitter = Submitter(
            client,
            batch_size=settings.batch_size,
            parallel=settings.parallel,
            max_retries=settings.max_retries,
            backoff_seconds=settings.backoff_seconds,
            listener=listener,
        )
        return submitter.submit(events, progress=progress, cancel=cancel, lost_before=lost_before)


def _status(result: SubmitResult) -> str:
    if result.fatal is not None:
        return "failed"
    return "cancelled" if result.cancelled else "finished"


def execute_run(
    plan: RunPlan,
    connection: Connection,
    *,
    settings: RunSettings,
    journal: Journal | None,
    source: str,
    sheet: str | None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    answered: AnswersCallback | None = None,
) -> RunReport:
    """Send a plan. Never raises for Calven or network trouble: `report.fatal` says what stopped it."""
    run_id = None
    listener = None
    notes = plan.cancellations
    if journal is not None:
        run_id = journal.start_run(
            source=source,
            sheet=sheet,
            profile=connection.profile,
            host=connection.base_url,
            key_id=connection.key_id,
            rows=[
                (e.row, e.event_id, json.dumps(dict(e.event)))
                for e in plan.events
                if e.row not in notes
            ],
            skipped=[(o.row, o.event_id, o.message) for o in plan.skipped],
            unchanged=[(o.row, o.event_id, o.message) for o in plan.unchanged],
            cancellations=[
                PlannedCancellation(
                    e.row, e.event_id, json.dumps(dict(e.event)), n.retracts, n.reason
                )
                for e in plan.events
                if (n := notes.get(e.row)) is not None
            ],
        )
        listener = JournalListener(journal, run_id)
    result = _submit(
        plan.events, connection, settings, _listener(listener, answered), progress, cancel
    )
    if journal is not None and run_id is not None:
        journal.finish_run(run_id, _status(result), str(result.fatal) if result.fatal else None)
    events = {e.row: e.event for e in plan.events}
    cancellations = [
        CancellationOutcome(
            events[o.row],
            notes[o.row].retracts,
            notes[o.row].reason,
            o.outcome,
            o.result_code,
            o.message,
        )
        for o in result.outcomes
        if o.row in notes
    ]
    rows = [o for o in result.outcomes if o.row not in notes]
    outcomes = sorted([*rows, *plan.skipped, *plan.unchanged, *plan.left_out], key=lambda o: o.row)
    return RunReport(run_id, outcomes, str(result.fatal) if result.fatal else None, cancellations)


class ResumeRefused(Exception):
    """An interrupted run cannot be finished here; the message is one sentence for the person."""


def check_resumable(journal: Journal, run_id: int, connection: Connection) -> None:
    """A run is finished only against the Calven and key it was started with: its rows would
    otherwise reach a Calven that never had its first half (and the memory would credit the wrong
    one). Raises ResumeRefused, before anything is sent."""
    sent_to = journal.run_connection(run_id)
    if sent_to is None:
        raise ResumeRefused(f"There is no run {run_id} in the record of past runs.")
    host, key_id = sent_to
    if connection_key(host) != connection_key(connection.base_url) or (
        key_id is not None and key_id != connection.key_id
    ):
        key = f" with key {key_id}" if key_id else ""
        raise ResumeRefused(
            f"Run {run_id} was sent to {host}{key}; it can only be finished there, not at "
            f"{connection.base_url} with key {connection.key_id}. Nothing was sent."
        )
    kept = journal.run_memory(run_id)
    now = connection.memory.url if connection.memory is not None else None
    if kept != now:
        where = f"the team memory {kept}" if kept else "this computer's memory"
        here = f"the team memory {now}" if now else "this computer's memory"
        raise ResumeRefused(
            f"Run {run_id} kept what Calven accepted in {where}; it can only be finished with "
            f"that memory, not with {here}. Nothing was sent."
        )


def resume_run(
    run_id: int,
    connection: Connection,
    *,
    settings: RunSettings,
    journal: Journal,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    answered: AnswersCallback | None = None,
    what: str = "",
) -> RunReport:
    """Re-send only the rows of an interrupted run that Calven never answered, from the journal.

    The journal holds the exact events that were planned, so a resume sends the same eventIds even
    if the roster file changed since; rows already answered are never sent again. Only against the
    run's own Calven and key, with the connection claimed, and by one resumer at a time: raises
    ResumeRefused or SenderBusy (calven.sender_claim) before sending anything.
    """
    check_resumable(journal, run_id, connection)
    with one_sender(
        journal,
        connection.base_url,
        connection.key_id,
        what or f"finishing run {run_id}",
        settings.sender_wait_seconds,
    ):
        if not journal.claim_run(run_id):
            raise ResumeRefused(f"Run {run_id} is being finished by another window or command.")
        unanswered = journal.unanswered(run_id)
        events = [OutgoingEvent(r.row, json.loads(r.payload)) for r in unanswered if r.payload]
        # A row that was on its way when the run stopped may have reached Calven: if it gets no
        # answer now either, it stays unconfirmed rather than "not sent".
        lost = {r.row for r in unanswered if r.state in ("sending", "unconfirmed")}
        listener = _listener(JournalListener(journal, run_id), answered)
        result = _submit(events, connection, settings, listener, progress, cancel, lost)
        journal.finish_run(run_id, _status(result), str(result.fatal) if result.fatal else None)
    return RunReport(
        run_id,
        journal_outcomes(journal, run_id),
        str(result.fatal) if result.fatal else None,
        journal_cancellations(journal, run_id),
    )


def journal_sent_events(journal: Journal, run_id: int) -> dict[int, dict[str, str]]:
    """The events a journalled run sends, by row: what Calven will hold for each row it accepts,
    whatever the roster on screen says now (a resume sends these, not the rows as edited)."""
    return {
        r.row: json.loads(r.payload)
        for r in journal.run_rows(run_id)
        if r.payload and r.retracts is None
    }


def _journal_outcome(r: JournalRow) -> tuple[Outcome, str]:
    state = r.state if r.state in {o.value for o in Outcome} else Outcome.NOT_SENT.value
    if r.state == "sending":  # it left, and the run stopped before Calven answered
        state = Outcome.UNCONFIRMED.value
    message = r.message or {
        "not_sent": "Not sent: the run stopped before it went out.",
        "unconfirmed": "Sent, but the run stopped before Calven answered, so it may or may not be "
        "recorded. Sending it again is safe: it keeps the same event ID.",
    }.get(state, "")
    return Outcome(state), message


def journal_outcomes(journal: Journal, run_id: int) -> list[RowOutcome]:
    """A journalled run's roster rows as outcomes; rows never answered read as not sent."""
    outcomes = []
    for r in journal.run_rows(run_id):
        if r.retracts is not None:
            continue
        outcome, message = _journal_outcome(r)
        outcomes.append(
            RowOutcome(r.row, r.event_id, outcome, r.result_code, message, r.answered_at)
        )
    return outcomes


def journal_cancellations(journal: Journal, run_id: int) -> list[CancellationOutcome]:
    """A journalled run's own cancellations (moved or removed events) with how each ended."""
    found = []
    for r in journal.run_rows(run_id):
        if r.retracts is None:
            continue
        outcome, message = _journal_outcome(r)
        event = json.loads(r.payload) if r.payload else {"eventId": r.event_id}
        found.append(
            CancellationOutcome(event, r.retracts, r.reason or "", outcome, r.result_code, message)
        )
    return found
