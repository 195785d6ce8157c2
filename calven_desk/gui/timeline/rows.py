"""The open roster's rows as the Timeline's input, each with the word and colour its table row shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from calven_desk.calven.row_status import row_state
from calven_desk.calven.sync import LeftBehind
from calven_desk.roster.directory_check import name_columns, roster_name
from calven_desk.roster.document import DocumentRow, RosterDocument
from calven_desk.roster.model import Status
from calven_desk.roster.timeline import TimelineRow, read_day


def document_name_column(document: RosterDocument) -> tuple[int, ...]:
    """The roster's name column, or its first- and last-name columns, as the directory check
    finds them (roster/directory_check.py): () when the roster names nobody."""
    return name_columns(document.table.headers)


def timeline_rows(
    rows: Sequence[DocumentRow],
    names: tuple[int, ...],
    sending: frozenset[int] | set[int] = frozenset(),
    calven_names: Mapping[int, str] | None = None,
) -> tuple[list[TimelineRow], int]:
    """Every row with readable dates, and how many rows were left out for want of them. A row
    that ends before it starts is kept as its first day alone, marked `reversed`.

    A lane is named by the roster's name columns, else by the name Calven's user list gives the
    row's person (`calven_names`, by sheet row: the window's "In Calven" column, used only for
    rows the list found without a problem), else by the address.

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
        if start is None or end is None:
            undated += 1
            continue
        # Ending before it starts, the row keeps its lane: one marked day, its first.
        ends_before = end < start
        state = row_state(row, check.row in sending)
        status = check.status
        name = roster_name(row.cells, names) if names else ""
        if not name and calven_names and not check.directory:
            name = calven_names.get(check.row, "")
        event = check.event or {}
        skipped = check.skip is not None
        out.append(
            TimelineRow(
                row=check.row,
                person=values.get("email") or values.get("uid") or "",
                start=start,
                end=start if ends_before else end,
                cancelled=not skipped and event.get("eventType") == "cancelled",
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
                reversed=ends_before,
                ends=end if ends_before else None,
                skipped=skipped,
            )
        )
    return out, undated


def ghost_rows(removed: Iterable[LeftBehind], names: Mapping[str, str]) -> list[TimelineRow]:
    """Leave Calven holds from an earlier send that the roster no longer says (issue 11's removed
    events, and old days of a row's earlier version), one ghost per span of days it still keeps
    away; numbered -1, -2... as no row has them. `names` gives the lane's name for a person the
    roster still names elsewhere."""
    out: list[TimelineRow] = []
    for left in removed:
        held = left.held
        if not held.scheduled:
            continue
        word = "Old days still in Calven" if left.reason == "moved" else "No longer in the roster"
        for first, last in held.days:
            out.append(
                TimelineRow(
                    row=-(len(out) + 1),
                    person=held.person,
                    start=first,
                    end=last,
                    cancelled=False,
                    word=word,
                    colour="not_sent",
                    name=names.get(held.person, ""),
                    event_id=held.event_id,
                    kind=held.event.get("timeOffType", ""),
                    ghost=True,
                )
            )
    return out
