"""A roster against what Calven holds from us: the diff, and the send plan that makes Calven match.

The one code path behind `calven-desk diff`, `calven-desk submit` and every send of the window
(Submit all ready, Submit selected, Cancel these in Calven…): read what the journal remembers for
the connection (`Journal.held`), compare (`calven.sync.compare`), then choose what to send
(`plan_sync`): new, changed and unconfirmed rows, each preceded by the cancellations of the days its
event's older versions still keep, and what was left behind (removed leave, old days) only when asked.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime

from calven_desk.calven.outcomes import Outcome, OutgoingEvent, RowOutcome
from calven_desk.calven.run import (
    AnswersCallback,
    CancellationNote,
    Connection,
    ProgressCallback,
    RunPlan,
    RunReport,
    RunSettings,
    execute_run,
    plan_run,
)
from calven_desk.calven.sender_claim import one_sender
from calven_desk.calven.sync import Cancellation, Comparison, RowChange, compare_roster, held_for
from calven_desk.roster import RosterCheck
from calven_desk.roster.document import DocumentRow
from calven_desk.roster.model import RowCheck
from calven_desk.store.held import HeldEvent
from calven_desk.store.journal import Journal

#: Cancellations are journalled under row numbers far below zero, in the order they are sent, so
#: they never meet a sheet row and a resume (which goes by row number) keeps their order.
CANCELLATION_ROW_BASE = -1_000_000_000


def already_message(since: datetime | None) -> str:
    """What an unchanged row says, in the person's local time."""
    if since is None:
        return "Already in Calven; not sent again."
    return f"Already in Calven since {since.astimezone():%Y-%m-%d %H:%M}; not sent again."


def plan_sync(
    check: RosterCheck,
    held: list[HeldEvent],
    rows: Collection[int] | None = None,
    *,
    only_valid: bool = False,
    resend_all: bool = False,
    cancel_removed: bool = False,
    today: date | None = None,
) -> tuple[RunPlan, Comparison]:
    """What a send does, decided in one place for the command line and the window.

    `rows`: the sheet rows asked for (None: every row); rows Calven holds unchanged are left out
    unless `resend_all` (Submit selected sends them again on purpose). Each row sent is preceded by
    the cancellations of the days its event's older versions still keep. `cancel_removed` also
    cancels what was left behind: leave no longer in the roster, and old days of rows not sent now
    ("Cancel these in Calven…" asks for that alone, with no rows).
    """
    base = plan_run(check, rows, only_valid=only_valid)
    comparison = compare_roster(check, held, today)
    changes = comparison.change_of()
    moved: dict[int, list[Cancellation]] = {}
    for c in comparison.moved:
        moved.setdefault(c.before_row or 0, []).append(c)
    # A refused request of leave Calven holds is sent as the withdrawal it is (issue 24).
    withdrawn = _refused_to_send(check, changes, rows)
    left_out = [o for o in base.left_out if o.row not in withdrawn]
    plan = RunPlan([], base.skipped, base.missing, left_out=left_out)
    sent: set[str] = set()
    if withdrawn:
        position = {r.row: i for i, r in enumerate(check.rows)}
        base.events = sorted([*base.events, *withdrawn.values()], key=lambda e: position[e.row])

    def add_cancellation(c: Cancellation) -> None:
        if c.event_id in sent:
            return
        sent.add(c.event_id)
        row = CANCELLATION_ROW_BASE + len(plan.cancellations)
        plan.cancellations[row] = CancellationNote(c.retracts, c.reason)
        plan.events.append(OutgoingEvent(row, c.event))

    for event in base.events:
        change = changes.get(event.row)
        if change is not None and change.change == "unchanged" and not resend_all:
            plan.unchanged.append(
                RowOutcome(
                    event.row,
                    event.event_id,
                    Outcome.UNCHANGED,
                    None,
                    already_message(change.held_since),
                )
            )
            continue
        for c in moved.get(event.row, []):
            add_cancellation(c)
        plan.events.append(event)
    if cancel_removed:
        for c in comparison.left_behind():
            add_cancellation(c)
    return plan, comparison


def _refused_to_send(
    check: RosterCheck, changes: Mapping[int, RowChange], rows: Collection[int] | None
) -> dict[int, OutgoingEvent]:
    """The refused rows whose cancellation goes: Calven holds the leave they refuse."""
    wanted = None if rows is None else set(rows)
    return {
        row.row: OutgoingEvent(row.row, dict(row.event))
        for row in check.rows
        if row.skip == "refused"
        and row.event is not None
        and (wanted is None or row.row in wanted)
        and (change := changes.get(row.row)) is not None
        and change.change in ("new", "changed", "unconfirmed")
    }


def send_roster(
    check: RosterCheck,
    connection: Connection,
    *,
    settings: RunSettings,
    journal: Journal,
    source: str,
    sheet: str | None,
    what: str,
    rows: Collection[int] | None = None,
    only_valid: bool = False,
    resend_all: bool = False,
    cancel_removed: bool = False,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    answered: AnswersCallback | None = None,
) -> tuple[RunPlan, RunReport]:
    """Plan (`plan_sync`, from the memory as it is now) and send, with the connection claimed for
    this sender from before the plan until the last answer is remembered: what the plan was made
    from cannot change under it. `what` says who is sending, for a second sender's message.
    Raises SenderBusy (calven.sender_claim) when another sender keeps the connection."""
    with one_sender(
        journal, connection.base_url, connection.key_id, what, settings.sender_wait_seconds
    ):
        plan, _ = plan_sync(
            check,
            held_for(journal, connection.base_url, connection.key_id, check),
            rows,
            only_valid=only_valid,
            resend_all=resend_all,
            cancel_removed=cancel_removed,
        )
        report = execute_run(
            plan,
            connection,
            settings=settings,
            journal=journal,
            source=source,
            sheet=sheet,
            progress=progress,
            cancel=cancel,
            answered=answered,
        )
    return plan, report


#: Rows whose "In Calven" mark changes: the row, its new mark, since when Calven holds it (the
#: person's local date), who sent it, and the check the mark was worked out from.
Marks = list[tuple[DocumentRow, str | None, str, str, RowCheck]]


def calven_mark(change: str, old_days: bool) -> str | None:
    """A row's mark from its change: new, changed, old_days (changed only in that Calven still
    keeps an older version's days), unchanged or unconfirmed; None for an invalid or a skipped
    row (a refused one Calven holds the leave of is "changed": its withdrawal goes)."""
    if change in ("invalid", "skipped"):
        return None
    return "old_days" if old_days else change


def calven_marks(rows: Sequence[DocumentRow], comparison: Comparison | None) -> Marks:
    """The rows whose marks the comparison changes (made in the comparing thread on a big
    roster: a pass over 50,000 rows on the GUI thread after every edit stalled the window). A
    mark belongs to the check it was worked out from: a row edited since shows no mark until the
    next comparison, never a stale "Already in Calven"."""
    changes = comparison.change_of() if comparison is not None else {}
    marks: Marks = []
    for row in rows:
        found = changes.get(row.check.row)
        calven = calven_mark(found.change, found.old_days) if found else None
        held = found.held_since if found and found.change == "unchanged" else None
        since = f"{held.astimezone():%Y-%m-%d}" if held else ""
        by = found.sent_by if found else ""
        if (
            calven != row.calven
            or since != row.calven_since
            or by != row.calven_by
            or row.calven_check is not row.check
        ):
            marks.append((row, calven, since, by, row.check))
    return marks


def apply_marks(marks: Marks) -> None:
    for row, calven, since, by, check in marks:
        row.calven, row.calven_since, row.calven_by, row.calven_check = calven, since, by, check


ALL_IN_CALVEN = (
    "Every ready row is already in Calven as it is now. To send one again on purpose, select it "
    "and choose Submit selected."
)


def failed_rows(rows: Sequence[DocumentRow]) -> list[int]:
    """The sheet rows "Retry failed" sends again: those Calven rejected, that were not sent, or
    whose answer was lost."""
    return [
        r.check.row
        for r in rows
        if isinstance(r.result, RowOutcome)
        and r.result.outcome in (Outcome.REJECTED, Outcome.NOT_SENT, Outcome.UNCONFIRMED)
    ]
