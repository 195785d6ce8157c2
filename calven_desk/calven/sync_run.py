"""A roster against what Calven holds from us: the diff, and the send plan that makes Calven match.

The one code path behind `calven-desk diff`, `calven-desk submit` and the window: read what the
journal remembers for the connection (`Journal.held`), compare (`calven.sync.compare`), then
choose what to send: new and changed rows, each changed row preceded by the cancellations of its
old days, and the removed events' cancellations only when asked.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from calven_desk.calven.outcomes import Outcome, OutgoingEvent, RowOutcome
from calven_desk.calven.run import CancellationNote, RunPlan, plan_run
from calven_desk.calven.sync import Cancellation, Comparison, RosterEvent, compare
from calven_desk.roster import RosterCheck, Status
from calven_desk.roster.document import DocumentRow
from calven_desk.store.held import HeldEvent

#: Cancellations are journalled under row numbers far below zero, in the order they are sent, so
#: they never meet a sheet row and a resume (which goes by row number) keeps their order.
CANCELLATION_ROW_BASE = -1_000_000_000


def roster_events(check: RosterCheck) -> list[RosterEvent]:
    """The roster's rows as plain data for `compare`: invalid rows carry no event."""
    return [
        RosterEvent(
            row.row,
            (row.event or {}).get("eventId", ""),
            dict(row.sendable_event) if row.sendable_event is not None else None,
        )
        for row in check.rows
    ]


def compare_roster(
    check: RosterCheck, held: list[HeldEvent], today: date | None = None
) -> Comparison:
    return compare(roster_events(check), held, today or date.today())


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
    """What a send does: unchanged rows left out (unless `resend_all`), a changed row's old days
    cancelled just before its new version, removed events cancelled at the end when asked."""
    base = plan_run(check, rows, only_valid=only_valid)
    comparison = compare_roster(check, held, today)
    changes = comparison.change_of()
    moved: dict[int, list[Cancellation]] = {}
    for c in comparison.moved:
        moved.setdefault(c.before_row or 0, []).append(c)
    plan = RunPlan([], base.skipped, base.missing, left_out=base.left_out)

    def add_cancellation(c: Cancellation) -> None:
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
        for c in comparison.removal:
            add_cancellation(c)
    return plan, comparison


#: Rows whose "In Calven" mark changes, with the new mark and since when Calven holds them.
Marks = list[tuple[DocumentRow, str | None, str]]


def calven_marks(rows: Sequence[DocumentRow], comparison: Comparison | None) -> Marks:
    """The rows whose marks the comparison changes (made in the comparing thread on a big
    roster: a pass over 50,000 rows on the GUI thread after every edit stalled the window)."""
    changes = comparison.change_of() if comparison is not None else {}
    marks: Marks = []
    for row in rows:
        found = changes.get(row.check.row)
        calven = found.change if found and found.change != "invalid" else None
        held = found.held_since if found and found.change == "unchanged" else None
        since = f"{held.astimezone():%Y-%m-%d}" if held else ""
        if calven != row.calven or since != row.calven_since:
            marks.append((row, calven, since))
    return marks


ALL_IN_CALVEN = (
    "Every ready row is already in Calven as it is now. To send one again on purpose, select it "
    "and choose Submit selected."
)


def ready_rows(rows: Sequence[DocumentRow]) -> list[int] | None:
    """The sheet rows "Submit all ready" sends; None when every ready row is in Calven as it is.
    The window makes it in its planning worker: a pass over 50,000 rows on the GUI thread held it."""
    chosen = []
    for row in rows:
        if _answered(row.result, row.changed_since_sent):
            continue
        if row.calven == "unchanged" and not row.changed_since_sent:
            continue  # already in Calven as it is: selecting it sends it again on purpose
        if row.check.status not in (Status.INVALID, Status.SKIPPED):
            chosen.append(row.check.row)
    if not chosen and any(r.calven == "unchanged" for r in rows):
        return None
    return chosen


def failed_rows(rows: Sequence[DocumentRow]) -> list[int]:
    """The sheet rows "Retry failed" sends again: those Calven rejected or that were not sent."""
    return [
        r.check.row
        for r in rows
        if isinstance(r.result, RowOutcome)
        and r.result.outcome in (Outcome.REJECTED, Outcome.NOT_SENT)
    ]


def _answered(result: object, changed: bool) -> bool:
    return isinstance(result, RowOutcome) and result.outcome is Outcome.ACCEPTED and not changed
