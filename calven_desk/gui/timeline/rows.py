"""The open roster's rows as the Timeline's input, each with the word and colour its table row shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from calven_desk.gui.rowstate import row_state
from calven_desk.roster.document import DocumentRow, RosterDocument
from calven_desk.roster.model import Status
from calven_desk.roster.timeline import TimelineRow, name_column, read_day
from calven_desk.store.held import HeldEvent


def document_name_column(document: RosterDocument) -> int | None:
    """The unmapped column that names people (`Employee Name`, `Name`...), if the roster has one."""
    return name_column(document.table.headers, document.unmapped)


def timeline_rows(
    rows: Sequence[DocumentRow], names: int | None, sending: frozenset[int] | set[int] = frozenset()
) -> tuple[list[TimelineRow], int]:
    """Every row with readable dates, and how many rows were left out for want of them.

    Runs in a worker: it only reads the rows (each row's check and result are replaced whole by
    an edit or an answer, never changed in place), and the window lays out again after a change.
    """
    out: list[TimelineRow] = []
    undated = 0
    # A roster repeats the same few hundred dates: each text is read once.
    days: dict[str, date | None] = {}
    for row in rows:
        check = row.check
        values = check.values
        text = values.get("startDate", "")
        start = days[text] if text in days else days.setdefault(text, read_day(text))
        text = values.get("endDate", "")
        end = days[text] if text in days else days.setdefault(text, read_day(text))
        if start is None or end is None or end < start:
            undated += 1
            continue
        state = row_state(row, check.row in sending)
        status = check.status
        name = ""
        if names is not None and names < len(row.cells):
            cell = row.cells[names]
            name = cell.strip() if isinstance(cell, str) else ""
        event = check.event or {}
        out.append(
            TimelineRow(
                row=check.row,
                person=values.get("email") or values.get("uid") or "",
                start=start,
                end=end,
                cancelled=values.get("eventType", "").casefold() == "cancelled",
                word=state.word,
                colour=state.colour,
                name=name,
                event_id=event.get("eventId") or values.get("eventId", ""),
                kind=values.get("timeOffType", ""),
                severity="error"
                if status is Status.INVALID
                else "warning"
                if status is Status.WARNING
                else "",
            )
        )
    return out, undated


def ghost_rows(removed: Iterable[HeldEvent], names: Mapping[str, str]) -> list[TimelineRow]:
    """Leave Calven holds from an earlier send that the roster no longer has (issue 11's removed
    events), one ghost per span of days it still keeps away; numbered -1, -2... as no row has them.
    `names` gives the lane's name for a person the roster still names elsewhere."""
    out: list[TimelineRow] = []
    for held in removed:
        if not held.scheduled:
            continue
        for first, last in held.days:
            out.append(
                TimelineRow(
                    row=-(len(out) + 1),
                    person=held.person,
                    start=first,
                    end=last,
                    cancelled=False,
                    word="No longer in the roster",
                    colour="not_sent",
                    name=names.get(held.person, ""),
                    event_id=held.event_id,
                    kind=held.event.get("timeOffType", ""),
                    ghost=True,
                )
            )
    return out
