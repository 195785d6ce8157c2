"""Turns each roster row into a Calven event or a list of problems, and finds clashes between rows."""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from threading import Thread

from calven_desk.roster.addresses import load_library
from calven_desk.roster.date_order import decide_order
from calven_desk.roster.mapping import map_columns
from calven_desk.roster.model import (
    FIELDS,
    PART_FIELDS,
    CellValue,
    ColumnMap,
    DateOrder,
    DateOrderDecision,
    DateOrderUnknown,
    Field,
    OrderChoices,
    Problem,
    RosterCheck,
    RowCheck,
    SourceTable,
)
from calven_desk.roster.reading import read_table
from calven_desk.roster.rules import (
    CANCELLED,
    EVENT_TYPES,
    LABELS,
    SCHEDULED,
    RowChecker,
    row_checker,
)

#: Overlap checks compare a booking with at most this many later ones of the same person, so a
#: pathological file (thousands of overlapping rows for one person) cannot make a check quadratic.
OVERLAP_SCAN_LIMIT = 50
#: The order of the cells a `row_checker` takes after the row number (the part-of-day fields
#: last: a table without them leaves them out).
RULE_ORDER: tuple[Field, ...] = (
    "email",
    "uid",
    "eventType",
    "startDate",
    "endDate",
    "timeOffType",
    "eventId",
    *PART_FIELDS,
)


def _error(field: Field | None, message: str) -> Problem:
    return Problem(field, "error", message)


def _warning(field: Field | None, message: str) -> Problem:
    return Problem(field, "warning", message)


@lru_cache(maxsize=8)
def _checker(
    columns: frozenset[Field], order: DateOrder, today: date, short_as_whole: bool
) -> RowChecker:
    """One row checker per kind of table, kept between calls, so that a window re-checking edited
    rows one at a time, or a recovered document's every row, reuses what earlier rows worked out."""
    return row_checker(columns, order, today, short_as_whole)


def check_values(
    row: int,
    cells: Mapping[Field, CellValue],
    *,
    order: DateOrder,
    today: date,
    mapped: Collection[Field] | None = None,
    short_as_whole: bool = False,
) -> RowCheck:
    """Check one row on its own; `cells` holds raw cells or edited text for each mapped field.

    Fields missing from `mapped` have no column in the file: no eventType column means every row is a
    booking, while a missing email/uid or date column is an error on every row.
    `short_as_whole`: absences shorter than half a day are sent as whole days, not skipped.
    """
    columns = frozenset(cells if mapped is None else mapped)
    check = _checker(columns, order, today, short_as_whole)
    return check(row, *map(cells.get, RULE_ORDER))


def _identity(check: RowCheck) -> str:
    return check.values.get("email") or check.values.get("uid") or ""


def cross_check(rows: Sequence[RowCheck]) -> None:
    """Recompute every row's `cross` problems: duplicates, shared event ids and overlapping bookings.

    Runs over the whole roster in one pass (plus a sort per person), so the window can call it after
    every edit.
    """
    for check, problems in zip(rows, cross_problems(rows), strict=True):
        check.cross = problems


def cross_problems(rows: Sequence[RowCheck]) -> list[list[Problem]]:
    """Each row's `cross` problems, without changing the rows: a worker thread works them out
    while other threads read the rows, and the caller puts them in place (`cross_check`).

    The rows that repeat one row all get the same problem object (problems are immutable), made
    once: a roster exported twice over has tens of thousands of duplicates of a few thousand rows.
    """
    found: list[list[Problem]] = []
    seen_key: dict[tuple[str, str, str, str], int] = {}
    duplicate_of: dict[int, Problem] = {}
    seen_id: dict[tuple[str, str], int] = {}  # (eventId, person): the first row using it
    bookings: dict[str, list[tuple[str, str, int]]] = {}
    # An eventId several people share (a company closure under one Request ID) is valid: Calven
    # keeps each person's days, and so does the memory of what it holds. Said once per id.
    first_person: dict[str, str] = {}
    sharing: dict[str, set[str]] = {}
    for check in rows:
        explicit = check.values.get("eventId")
        # A row wrong by itself (an address that is no address) is no one's leave yet.
        if explicit and not any(p.severity == "error" for p in check.own):
            who = _identity(check)
            first_one = first_person.setdefault(explicit, who)
            if first_one != who:
                sharing.setdefault(explicit, {first_one}).add(who)
    shared: dict[str, Problem] = {
        event_id: _warning(
            "eventId",
            f"{event_id} is shared by {len(people)} people; each person's leave is kept apart.",
        )
        for event_id, people in sharing.items()
    }
    shared_rows: list[tuple[int, Problem]] = []
    for index, check in enumerate(rows):
        cross: list[Problem] = []
        found.append(cross)
        if check.skip is not None:
            continue  # not for Calven: it clashes with nothing that is sent
        values = check.values
        who = values.get("email") or values.get("uid") or ""
        event = check.event
        duplicate = False
        if who and event is not None:
            start, end = event.get("startDate"), event.get("endDate")
            if start and end:
                event_type = event.get("eventType", "")
                first = seen_key.setdefault((who, event_type, start, end), check.row)
                if first != check.row:
                    duplicate = True
                    problem = duplicate_of.get(first)
                    if problem is None:
                        problem = duplicate_of[first] = _error(
                            None, f"Duplicate of row {first}: same person, event type and dates."
                        )
                    cross.append(problem)
                elif event_type == SCHEDULED and start <= end:
                    spans = bookings.get(who)
                    if spans is None:
                        bookings[who] = [(start, end, index)]
                    else:
                        spans.append((start, end, index))
        explicit = values.get("eventId")
        if explicit:
            earlier_index = seen_id.setdefault((explicit, who), index)
            # Most ids are used once: only a reused one needs the earlier row looked at.
            if earlier_index != index and not duplicate:
                cross.append(
                    _warning(
                        "eventId",
                        f"Event ID '{explicit}' is also used by row {rows[earlier_index].row} for the "
                        "same person; Calven takes this row as a change to that event.",
                    )
                )
            if explicit in shared and not duplicate and who in sharing[explicit]:
                shared_rows.append((index, shared[explicit]))
    for spans in bookings.values():
        if len(spans) < 2:
            continue
        spans.sort()
        flagged: dict[int, int] = {}
        for i, (_, end_i, index_i) in enumerate(spans):
            for start_j, _, index_j in spans[i + 1 : i + 1 + OVERLAP_SCAN_LIMIT]:
                if start_j > end_i:
                    break
                flagged.setdefault(index_i, index_j)
                flagged.setdefault(index_j, index_i)
        for index, other in flagged.items():
            found[index].append(
                _warning(None, f"Overlaps the leave in row {rows[other].row} for the same person.")
            )
    for index, problem in shared_rows:
        found[index].append(problem)
    return found


def row_cells(table: SourceTable, mapping: ColumnMap, index: int) -> dict[Field, CellValue]:
    cells = table.rows[index].cells
    return {name: cells[column] for name, column in mapping.columns.items()}


def _column(table: SourceTable, mapping: ColumnMap, name: Field) -> Iterable[CellValue]:
    """One field's cells, top to bottom; a field without a column reads as empty cells."""
    index = mapping.columns.get(name)
    if index is None:
        return repeat(None, len(table.rows))
    return [source.cells[index] for source in table.rows]


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole roster's objects are made.

    Building 50,000 rows allocates millions of small acyclic objects; each allocation burst triggers
    a full collection that finds nothing. Measured on a 50,000-row file: read + check + report take
    about a third less time with it paused (bench/bench_validate.py).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_table(
    table: SourceTable,
    mapping: ColumnMap,
    *,
    date_order: DateOrder | OrderChoices | DateOrderDecision | None = None,
    today: date | None = None,
    undecided: DateOrder | None = None,
    short_as_whole: bool = False,
) -> RosterCheck:
    """Check every row of a read file: decide the date order once, then each row, then across rows.

    `date_order`: what people said about the order (a plain DateOrder is --date-order's), or
    the decision already made for this table (re-checking it). Raises DateOrderUnknown when the
    file and its rows leave the order open, unless `undecided` names one to use meanwhile (a
    preview, which says nothing about the order). `short_as_whole`: absences shorter than half a
    day are sent as whole days, not skipped.
    """
    with bulk_allocation():
        return _check_table(table, mapping, date_order, today, undecided, short_as_whole)


def _decision(
    table: SourceTable,
    mapping: ColumnMap,
    date_order: DateOrder | OrderChoices | DateOrderDecision | None,
    undecided: DateOrder | None,
) -> DateOrderDecision:
    if isinstance(date_order, DateOrderDecision):
        return date_order
    choices = OrderChoices(option=date_order) if isinstance(date_order, DateOrder) else date_order
    try:
        return decide_order(table, mapping, choices)
    except DateOrderUnknown:
        if undecided is None:
            raise
        return DateOrderDecision(undecided, "option")


def _check_table(
    table: SourceTable,
    mapping: ColumnMap,
    date_order: DateOrder | OrderChoices | DateOrderDecision | None,
    today: date | None,
    undecided: DateOrder | None,
    short_as_whole: bool,
) -> RosterCheck:
    decision = _decision(table, mapping, date_order, undecided)
    columns = {name: _column(table, mapping, name) for name in FIELDS}
    check = row_checker(set(mapping.columns), decision.order, today or date.today(), short_as_whole)
    # The part-of-day cells only when the file has such a column (most have none).
    order = RULE_ORDER if any(f in mapping.columns for f in PART_FIELDS) else RULE_ORDER[:7]
    # One call per row straight from the columns: no per-row dict of cells is built and dropped.
    rows = list(
        map(check, [source.row for source in table.rows], *[columns[name] for name in order])
    )
    cross_check(rows)
    return RosterCheck(table, mapping, decision, rows, short_as_whole=short_as_whole)


def load_roster(
    path: Path | str,
    *,
    sheet: str | None = None,
    forced: Mapping[str, str] | None = None,
    date_order: DateOrder | OrderChoices | None = None,
    today: date | None = None,
    short_as_whole: bool = False,
) -> RosterCheck:
    """Read, map and check a roster file: the one call the command line and the window both make.

    Raises RosterReadError, MappingError, or DateOrderUnknown (see `check_table`)."""
    with bulk_allocation():
        Thread(target=load_library, name="load email-validator", daemon=True).start()
        table = read_table(path, sheet, [h for h in (forced or {}).values() if h])
        mapping = map_columns(table.headers, forced)
        return check_table(
            table, mapping, date_order=date_order, today=today, short_as_whole=short_as_whole
        )


__all__ = [
    "CANCELLED",
    "EVENT_TYPES",
    "FIELDS",
    "LABELS",
    "SCHEDULED",
    "check_table",
    "check_values",
    "cross_check",
    "load_roster",
]
