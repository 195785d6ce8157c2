"""Turns each roster row into a Calven event or a list of problems, and finds clashes between rows."""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from calven_desk.roster.cells import cell_text
from calven_desk.roster.dates import DateError, decide_date_order, parse_date
from calven_desk.roster.identity import derive_event_id, is_valid_email
from calven_desk.roster.mapping import map_columns
from calven_desk.roster.model import (
    DATE_FIELDS,
    FIELDS,
    CellValue,
    ColumnMap,
    DateOrder,
    Field,
    Problem,
    RosterCheck,
    RowCheck,
    SourceTable,
)
from calven_desk.roster.reading import read_table

SCHEDULED, CANCELLED = "scheduled", "cancelled"
EVENT_TYPES: dict[str, str] = {
    **dict.fromkeys(
        ("scheduled", "approved", "booked", "taken", "planned", "confirmed"), SCHEDULED
    ),
    **dict.fromkeys(
        ("cancelled", "canceled", "withdrawn", "rejected", "declined", "deleted"), CANCELLED
    ),
}
#: Overlap checks compare a booking with at most this many later ones of the same person, so a
#: pathological file (thousands of overlapping rows for one person) cannot make a check quadratic.
OVERLAP_SCAN_LIMIT = 50

LABELS: dict[Field, str] = {
    "email": "Email",
    "uid": "Calven uid",
    "eventType": "Event type",
    "startDate": "Start date",
    "endDate": "End date",
    "timeOffType": "Time-off type",
    "eventId": "Event ID",
}


def _error(field: Field | None, message: str) -> Problem:
    return Problem(field, "error", message)


def _warning(field: Field | None, message: str) -> Problem:
    return Problem(field, "warning", message)


def check_values(
    row: int,
    cells: Mapping[Field, CellValue],
    *,
    order: DateOrder,
    today: date,
    mapped: Collection[Field] | None = None,
) -> RowCheck:
    """Check one row on its own; `cells` holds raw cells or edited text for each mapped field.

    Fields missing from `mapped` have no column in the file: no eventType column means every row is a
    booking, while a missing email/uid or date column is an error on every row.
    """
    columns = set(cells if mapped is None else mapped)
    values: dict[Field, str] = {}
    problems: list[Problem] = []
    event: dict[str, str] = {}
    email = cell_text(cells.get("email")) if "email" in columns else ""
    uid = cell_text(cells.get("uid")) if "uid" in columns else ""
    if "email" in columns:
        values["email"] = email
    if "uid" in columns:
        values["uid"] = uid
    if email:
        if is_valid_email(email):
            event["email"] = email
        else:
            problems.append(
                _error("email", f"'{email}' is not a valid email address (like name@company.com).")
            )
    elif uid:
        event["uid"] = uid
    else:
        where: Field = "email" if "email" in columns or "uid" not in columns else "uid"
        problems.append(
            _error(where, "No email or Calven uid: Calven needs one to know whose leave this is.")
            if "email" in columns or "uid" in columns
            else _error(where, "The file has no email column; choose one in the column mapping.")
        )

    if "eventType" in columns:
        raw_type = cell_text(cells.get("eventType"))
        if not raw_type:
            event_type = SCHEDULED
            problems.append(
                _warning("eventType", "No event type given, so it is sent as scheduled.")
            )
        elif (known := EVENT_TYPES.get(raw_type.casefold())) is not None:
            event_type = known
        else:
            event_type = raw_type
            problems.append(
                _error(
                    "eventType",
                    f"'{raw_type}' is not an event type Calven takes; use scheduled or cancelled "
                    "(Approved, Booked, Withdrawn and the like are understood too).",
                )
            )
        values["eventType"] = event_type
    else:
        event_type = SCHEDULED
    event["eventType"] = event_type

    days: dict[Field, str] = {}
    for name in DATE_FIELDS:
        label = LABELS[name]
        if name not in columns:
            problems.append(
                _error(
                    name,
                    f"The file has no {label.lower()} column; choose one in the column mapping.",
                )
            )
            continue
        raw = cells.get(name)
        text = cell_text(raw)
        if not text:
            values[name] = ""
            problems.append(_error(name, f"{label} is missing."))
            continue
        try:
            parsed = parse_date(raw, order)
        except DateError as exc:
            values[name] = text
            problems.append(_error(name, str(exc)))
            continue
        # ISO text sorts and compares like the dates themselves, so it is all later checks need.
        iso = days[name] = values[name] = event[name] = parsed.day.isoformat()
        if parsed.had_time:
            problems.append(
                _warning(
                    name,
                    f"{label} has a time of day; Calven takes whole days, so only the day ({iso}) is sent.",
                )
            )
    start, end = days.get("startDate"), days.get("endDate")
    if start and end:
        if end < start:
            problems.append(
                _error("endDate", f"The leave ends ({end}) before it starts ({start}).")
            )
        elif end < today.isoformat():
            problems.append(
                _warning(
                    None,
                    "These dates are wholly in the past; Calven ignores past dates, "
                    "so sending this row changes nothing.",
                )
            )

    if "timeOffType" in columns:
        kind = cell_text(cells.get("timeOffType"))
        values["timeOffType"] = kind
        if kind and event_type == SCHEDULED:
            event["timeOffType"] = kind

    explicit_id = cell_text(cells.get("eventId")) if "eventId" in columns else ""
    if "eventId" in columns:
        values["eventId"] = explicit_id
    event["eventId"] = explicit_id or derive_event_id(
        email or uid, event_type, values.get("startDate", ""), values.get("endDate", "")
    )
    ordered: dict[str, str] = {
        k: event[k]
        for k in ("eventId", "email", "uid", "eventType", "startDate", "endDate", "timeOffType")
        if k in event
    }
    return RowCheck(row=row, values=values, event=ordered, own=problems)


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
    while other threads read the rows, and the caller puts them in place (`cross_check`)."""
    found: list[list[Problem]] = [[] for _ in rows]
    seen_key: dict[tuple[str, str, str, str], int] = {}
    seen_id: dict[str, tuple[int, str]] = {}
    duplicates: set[int] = set()
    bookings: dict[str, list[tuple[str, str, int]]] = {}
    for index, check in enumerate(rows):
        who = _identity(check)
        event = check.event or {}
        start, end = event.get("startDate"), event.get("endDate")
        event_type = event.get("eventType", "")
        if who and start and end:
            key = (who, event_type, start, end)
            first = seen_key.setdefault(key, check.row)
            if first != check.row:
                duplicates.add(index)
                found[index].append(
                    _error(None, f"Duplicate of row {first}: same person, event type and dates.")
                )
            elif event_type == SCHEDULED and start <= end:
                bookings.setdefault(who, []).append((start, end, index))
        explicit = check.values.get("eventId", "")
        if explicit:
            earlier = seen_id.setdefault(explicit, (check.row, who))
            if earlier[0] != check.row and index not in duplicates:
                if earlier[1] != who:
                    found[index].append(
                        _error(
                            "eventId",
                            f"Event ID '{explicit}' is already used by row {earlier[0]} for someone else; "
                            "each event needs its own ID.",
                        )
                    )
                else:
                    found[index].append(
                        _warning(
                            "eventId",
                            f"Event ID '{explicit}' is also used by row {earlier[0]} for the same person; "
                            "Calven takes this row as a change to that event.",
                        )
                    )
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
    return found


def row_cells(table: SourceTable, mapping: ColumnMap, index: int) -> dict[Field, CellValue]:
    cells = table.rows[index].cells
    return {name: cells[column] for name, column in mapping.columns.items()}


def date_cells(table: SourceTable, mapping: ColumnMap) -> Iterable[CellValue]:
    columns = [mapping.columns[f] for f in DATE_FIELDS if f in mapping.columns]
    for source in table.rows:
        for column in columns:
            yield source.cells[column]


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
    date_order: DateOrder | None = None,
    today: date | None = None,
) -> RosterCheck:
    """Check every row of a read file: decide the date order once, then each row, then across rows."""
    with bulk_allocation():
        return _check_table(table, mapping, date_order, today)


def _check_table(
    table: SourceTable, mapping: ColumnMap, date_order: DateOrder | None, today: date | None
) -> RosterCheck:
    decision = decide_date_order(date_cells(table, mapping), date_order)
    today = today or date.today()
    mapped = set(mapping.columns)
    columns = list(mapping.columns.items())
    rows = [
        check_values(
            source.row,
            {name: source.cells[column] for name, column in columns},
            order=decision.order,
            today=today,
            mapped=mapped,
        )
        for source in table.rows
    ]
    cross_check(rows)
    return RosterCheck(table=table, mapping=mapping, date_order=decision, rows=rows)


def load_roster(
    path: Path | str,
    *,
    sheet: str | None = None,
    forced: Mapping[str, str] | None = None,
    date_order: DateOrder | None = None,
    today: date | None = None,
) -> RosterCheck:
    """Read, map and check a roster file: the one call the command line and the window both make."""
    with bulk_allocation():
        table = read_table(path, sheet, [h for h in (forced or {}).values() if h])
        mapping = map_columns(table.headers, forced)
        return check_table(table, mapping, date_order=date_order, today=today)


__all__ = ["FIELDS", "check_table", "check_values", "cross_check", "load_roster"]
