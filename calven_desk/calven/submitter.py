"""Sends events in batches, several at once, and brings every row back with exactly one outcome.

The rules it keeps: at most `batch_size` events a request; never two events with one eventId in a
request (results are matched by eventId and Calven promises no order); a person's events reach
Calven in roster order (two batches holding one person are never in flight together, and a person
whose earlier row could not be sent has later rows held back); passing failures are retried with
backoff; a refused batch is halved until the bad rows stand alone; cancelling sends nothing new. A
batch that may have reached Calven without an answer (the connection broke after it left) ends
`unconfirmed`, never `not_sent`: Calven may hold it.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from calven_desk.calven.errors import BatchRefused, CalvenError
from calven_desk.calven.outcomes import Outcome, OutgoingEvent, Progress, RowOutcome

log = logging.getLogger("calven_desk.calven")

#: Calven documents no limit for time off; its presence endpoint takes 100 events a call.
DEFAULT_BATCH_SIZE = 100
MAX_BACKOFF_SECONDS = 60.0
#: A Retry-After longer than this is not waited for in one go: the rows end "not sent" instead.
MAX_RETRY_AFTER_SECONDS = 300.0

CANCELLED = "Not sent: the run was stopped before this row went out."
HELD_BACK = (
    "Not sent: an earlier row for this person was not sent, and sending this one first could "
    "leave Calven with the wrong plan. Retry them together."
)
NO_RESULT = (
    "Sent, but Calven's answer held no result for this row, so it may or may not be recorded. "
    "Sending it again is safe: it keeps the same event ID."
)
LOST = (
    "Sent, but no answer came from Calven ({reason}), so it may or may not be recorded. Sending "
    "it again is safe: it keeps the same event ID."
)
#: Outcomes after which a person's later rows are held back: the earlier row may not be in Calven.
UNSETTLED = (Outcome.NOT_SENT, Outcome.UNCONFIRMED)


class SendingStopped(Exception):
    """Raised by a listener told a batch is about to leave when it cannot record that (the team's
    memory cannot be written): the batch does not leave, nor does any later one; the sentence
    becomes the run's fatal problem."""


class PostsTimeoff(Protocol):
    """What the submitter needs of a client: one batch in, Calven's results out."""

    def post_timeoff(self, events: Sequence[Mapping[str, str]]) -> list[dict[str, Any]]: ...


class SubmitListener(Protocol):
    """Told before a batch leaves and as soon as its rows are answered (the journal listens)."""

    def batch_sending(self, events: Sequence[OutgoingEvent]) -> None: ...

    def batch_answered(self, outcomes: Sequence[RowOutcome]) -> None: ...


@dataclass(slots=True)
class SubmitResult:
    """One outcome per input row (input order); `fatal` when the run had to stop early."""

    outcomes: list[RowOutcome]
    fatal: CalvenError | None = None
    cancelled: bool = False


def _now() -> datetime:
    return datetime.now(UTC)


def _not_sent(events: Sequence[OutgoingEvent], message: str) -> list[RowOutcome]:
    return [RowOutcome(e.row, e.event_id, Outcome.NOT_SENT, None, message) for e in events]


def _unconfirmed(events: Sequence[OutgoingEvent], reason: str) -> list[RowOutcome]:
    message = LOST.format(reason=reason.strip().rstrip("."))
    return [RowOutcome(e.row, e.event_id, Outcome.UNCONFIRMED, None, message) for e in events]


def match_results(
    events: Sequence[OutgoingEvent], results: Sequence[Mapping[str, Any]]
) -> list[RowOutcome]:
    """Pair Calven's results with the rows by eventId, in order among equal ids.

    Calven does not document that results come back in request order, nor that eventIds are unique
    in an answer, so the n-th result for an id goes to the n-th row with that id. A row left without
    a result is a failure, never an acceptance.
    """
    queues: dict[str, deque[Mapping[str, Any]]] = defaultdict(deque)
    for result in results:
        queues[str(result.get("eventId"))].append(result)
    answered_at = _now()
    outcomes = []
    for event in events:
        queue = queues.get(event.event_id)
        if not queue:
            outcomes.append(
                RowOutcome(event.row, event.event_id, Outcome.UNCONFIRMED, None, NO_RESULT)
            )
            continue
        result = queue.popleft()
        code = result.get("resultCode")
        message = str(result.get("message") or "")
        if isinstance(code, int) and not isinstance(code, bool):
            outcome = Outcome.ACCEPTED if code == 0 else Outcome.REJECTED
            if not message:
                message = (
                    "Accepted" if code == 0 else f"Calven answered code {code} without a message."
                )
            outcomes.append(
                RowOutcome(event.row, event.event_id, outcome, code, message, answered_at)
            )
        else:
            outcomes.append(
                RowOutcome(
                    event.row,
                    event.event_id,
                    Outcome.REJECTED,
                    None,
                    message or "Calven's answer for this row had no result code.",
                    answered_at,
                )
            )
    for event_id, left in queues.items():
        if left:
            log.info(
                "Calven returned %d result(s) for event %s that no row was waiting for",
                len(left),
                event_id,
            )
    return outcomes


def plan_batches(events: Sequence[OutgoingEvent], batch_size: int) -> list[list[OutgoingEvent]]:
    """Cut the events into batches, keeping each person's events together and in roster order,
    and never two events with one eventId in a batch.

    Plain slicing would put one person's booking and cancellation in different batches whenever the
    roster is sorted by date, and those batches could then never be in flight together. Packing by
    person (in order of first appearance) leaves batches independent, so they go out in parallel;
    only a person with more than `batch_size` events, or with two events under one eventId, spans
    several batches, in order. Calven's answers are matched by eventId, so twelve people sharing a
    company closure's Request ID go into twelve batches: each person's events go into the first
    batch that has room for them and none of their ids.
    """
    by_person: dict[str, list[OutgoingEvent]] = {}
    for event in events:
        by_person.setdefault(event.person, []).append(event)
    batches: list[list[OutgoingEvent]] = []
    ids: list[set[str]] = []
    open_from = 0  # every batch before this one is full

    def fits(index: int, group: Sequence[OutgoingEvent]) -> bool:
        return len(batches[index]) + len(group) <= batch_size and not any(
            e.event_id in ids[index] for e in group
        )

    def first_fit(start: int, group: Sequence[OutgoingEvent]) -> int:
        index = start
        while index < len(batches) and not fits(index, group):
            index += 1
        if index == len(batches):
            batches.append([])
            ids.append(set())
        return index

    for own in by_person.values():
        whole = len(own) <= batch_size and len({e.event_id for e in own}) == len(own)
        groups = [own] if whole else [[e] for e in own]
        floor = open_from
        for group in groups:
            floor = first_fit(max(floor, open_from), group)
            batches[floor].extend(group)
            ids[floor].update(e.event_id for e in group)
        while open_from < len(batches) and len(batches[open_from]) >= batch_size:
            open_from += 1
    return batches


class Submitter:
    """Submits one run; create one per run (it keeps the run's progress and fatal error)."""

    def __init__(
        self,
        client: PostsTimeoff,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        parallel: int = 4,
        max_retries: int = 5,
        backoff_seconds: float = 1.0,
        listener: SubmitListener | None = None,
    ) -> None:
        if batch_size < 1 or parallel < 1:
            raise ValueError("batch_size and parallel must be at least 1")
        self.client = client
        self.batch_size = batch_size
        self.parallel = parallel
        self.max_retries = max_retries
        self.backoff_seconds = backoff_seconds
        self.listener = listener
        self._lock = threading.Lock()
        self._fatal: CalvenError | None = None
        self._cancel = threading.Event()
        self._done = 0
        self._total = 0
        self._progress: Callable[[Progress], None] | None = None
        self._lost_before: frozenset[int] = frozenset()

    # --- progress -------------------------------------------------------------------------------

    def _report(self, state: str, finished: int = 0) -> None:
        with self._lock:
            self._done += finished
            progress = Progress(self._done, self._total, state)
            if self._progress is not None:
                self._progress(progress)

    # --- one batch ------------------------------------------------------------------------------

    def _delay(self, attempt: int, asked: float | None) -> float:
        if asked is not None:
            return asked + random.uniform(0, 0.25)
        ceiling = min(MAX_BACKOFF_SECONDS, self.backoff_seconds * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)  # "equal jitter": spread, but never zero

    def _answered(self, outcomes: list[RowOutcome]) -> list[RowOutcome]:
        if self.listener is not None:
            self.listener.batch_answered(outcomes)
        self._report("Sending", len(outcomes))
        return outcomes

    def _unsent(
        self, events: Sequence[OutgoingEvent], message: str, lost: str | None = None
    ) -> list[RowOutcome]:
        """Events that got no answer: unconfirmed if they may have reached Calven (in this run, or
        before it: a killed run's batch in flight), else not sent."""
        return [
            *_unconfirmed(
                [e for e in events if lost or e.row in self._lost_before],
                lost or "the run stopped before Calven answered",
            ),
            *_not_sent([e for e in events if not lost and e.row not in self._lost_before], message),
        ]

    def _send(self, events: Sequence[OutgoingEvent], lost: str | None = None) -> list[RowOutcome]:
        """Send one batch until Calven answers or trying again cannot help. `lost`: why an
        earlier try of these events may have reached Calven unanswered; from then on, if no answer
        comes, they end unconfirmed rather than not sent."""
        attempt = 0

        def unsent(message: str, why: str = "") -> list[RowOutcome]:
            return self._unsent(events, message, f"{lost} {why}" if lost else None)

        while True:
            if self._cancel.is_set():
                return self._answered(unsent(CANCELLED))
            if self._fatal is not None:
                return self._answered(unsent(f"Not sent: {self._fatal}"))
            if self.listener is not None:
                try:
                    self.listener.batch_sending(events)
                except SendingStopped as exc:
                    with self._lock:
                        if self._fatal is None:
                            self._fatal = CalvenError(str(exc))
                    return self._answered(unsent(f"Not sent: {exc}"))
            try:
                results = self.client.post_timeoff([e.event for e in events])
            except BatchRefused as exc:
                if len(events) == 1:
                    event = events[0]
                    said = exc.calven_message or f"HTTP {exc.status}"
                    return self._answered(
                        [
                            RowOutcome(
                                event.row,
                                event.event_id,
                                Outcome.REJECTED,
                                None,
                                f"Calven refused this row: {said}",
                                _now(),
                            )
                        ]
                    )
                middle = len(events) // 2
                log.info("Batch of %d refused (%s); sending it in halves", len(events), exc.status)
                return self._send(events[:middle], lost) + self._send(events[middle:], lost)
            except CalvenError as exc:
                if exc.may_have_arrived:
                    lost = str(exc)
                asked = getattr(exc, "retry_after", None)
                too_long = asked is not None and asked > MAX_RETRY_AFTER_SECONDS
                if exc.retryable and attempt < self.max_retries and not too_long:
                    attempt += 1
                    delay = self._delay(attempt, asked)
                    log.info("%s Retry %d in %.1f s", exc, attempt, delay)
                    self._report(f"{exc} Trying again in {delay:.0f} s")
                    self._cancel.wait(delay)
                    continue
                if exc.retryable:
                    gave_up = f"Gave up after {attempt + 1} tries."
                    return self._answered(unsent(f"Not sent: {exc} {gave_up}", gave_up))
                with self._lock:
                    if self._fatal is None:
                        self._fatal = exc
                return self._answered(unsent(f"Not sent: {exc}"))
            return self._answered(match_results(events, results))

    # --- the run --------------------------------------------------------------------------------

    def submit(
        self,
        events: Sequence[OutgoingEvent],
        *,
        progress: Callable[[Progress], None] | None = None,
        cancel: threading.Event | None = None,
        lost_before: Collection[int] = (),
    ) -> SubmitResult:
        """Send every event; `lost_before`: rows whose events left in an earlier try and got no
        answer (a resumed run), so they end unconfirmed, not unsent, if they get none now."""
        self._lost_before = frozenset(lost_before)
        if cancel is not None:
            self._cancel = cancel
        self._progress = progress
        self._total = len(events)
        self._done = 0
        batches = plan_batches(events, self.batch_size)
        # A batch waits for every earlier batch that holds one of its people.
        last_for_person: dict[str, int] = {}
        waits_for: list[set[int]] = []
        for index, batch in enumerate(batches):
            people = {e.person for e in batch}
            waits_for.append({last_for_person[p] for p in people if p in last_for_person})
            for person in people:
                last_for_person[person] = index
        outcomes: dict[int, list[RowOutcome]] = {}
        failed_people: set[str] = set()
        started: set[int] = set()
        finished: set[int] = set()
        in_flight: dict[Future[list[RowOutcome]], int] = {}
        self._report("Signing in")
        with ThreadPoolExecutor(
            max_workers=self.parallel, thread_name_prefix="calven-batch"
        ) as pool:
            while True:
                stopping = self._cancel.is_set() or self._fatal is not None
                if not stopping:
                    for index, batch in enumerate(batches):
                        if len(in_flight) >= self.parallel:
                            break
                        if index in started or not waits_for[index] <= finished:
                            continue
                        started.add(index)
                        held = [e for e in batch if e.person in failed_people]
                        ready = [e for e in batch if e.person not in failed_people]
                        if held:
                            outcomes[-1 - index] = self._answered(self._unsent(held, HELD_BACK))
                        if ready:
                            in_flight[pool.submit(self._send, ready)] = index
                        else:
                            finished.add(index)
                if not in_flight:
                    if stopping or len(finished) == len(batches):
                        break
                    continue
                done, _ = wait(in_flight, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    index = in_flight.pop(future)
                    result = future.result()
                    outcomes[index] = result
                    person_of = {e.row: e.person for e in batches[index]}
                    failed_people.update(person_of[o.row] for o in result if o.outcome in UNSETTLED)
                    finished.add(index)
        for index, batch in enumerate(batches):
            if index not in started:
                reason = CANCELLED if self._fatal is None else f"Not sent: {self._fatal}"
                outcomes[index] = self._answered(self._unsent(batch, reason))
        by_row = {o.row: o for result in outcomes.values() for o in result}
        ordered = [by_row[e.row] for e in events]
        self._report("Finished" if not self._cancel.is_set() else "Stopped")
        return SubmitResult(ordered, self._fatal, self._cancel.is_set())
