"""Which way round a file's dates go: its own dates, what people said, else what its rows make sense as.

A date such as 02/03/2031 is 2 March or 3 February. Nothing may be guessed: a wrong reading puts
leave on the wrong days in Calven, or turns a five-day leave into four months. So the order comes
from evidence, strongest first (the file's own unambiguous dates, --date-order, an answer the
person gave, Settings, then the rows: a reading that makes any leave end before it starts, or
makes leave far longer than the other reading does, loses). When nothing decides, the window asks
and the command line stops; neither falls back to the computer's regional settings, which are
often not the roster's (a UK office on a US-English Windows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from calven_desk.roster.cells import cell_text
from calven_desk.roster.dates import DateError, file_order, is_ambiguous, parse_date
from calven_desk.roster.mapping import normalise_header
from calven_desk.roster.model import (
    DATE_FIELDS,
    CellValue,
    ColumnMap,
    DateOrder,
    DateOrderDecision,
    DateOrderUnknown,
    OrderChoices,
    SourceTable,
    TwoReadings,
)

#: Leave longer than this in one row is a warning whatever the order ("check the dates"), and a
#: reading of the dates gives such leave before the rows may call it "far longer" than the other.
LONG_LEAVE_DAYS = 60
#: A reading loses on length when its leave adds up to this many times the other reading's.
MUCH_LONGER = 4
#: Rows shown both ways when the window asks.
EXAMPLES = 2

NAMES = {DateOrder.DMY: "day-first", DateOrder.MDY: "month-first"}


def shape_key(headers: Sequence[str]) -> str:
    """What makes two files "the same shape" for a remembered answer: their column titles in order,
    compared as the column matching compares them (so next month's export matches this month's,
    whatever its name or sheet)."""
    return "|".join(normalise_header(h) for h in headers)


def date_values(table: SourceTable, mapping: ColumnMap) -> Iterable[CellValue]:
    """Every cell of the mapped date columns."""
    columns = [mapping.columns[f] for f in DATE_FIELDS if f in mapping.columns]
    for source in table.rows:
        cells = source.cells
        for column in columns:
            yield cells[column]


def decide_order(
    table: SourceTable, mapping: ColumnMap, choices: OrderChoices | None = None
) -> DateOrderDecision:
    """The order to read `table`'s dates in, and why; raises DateOrderUnknown when nothing tells."""
    choices = choices or OrderChoices()
    found = file_order(date_values(table, mapping))
    if found.proven is not None:
        return DateOrderDecision(found.proven, "file")
    remembered = choices.remembered.get(shape_key(table.headers))
    if not found.ambiguous:
        # Any order reads every date the same; the one given (if any) is kept for edits.
        order = choices.option or remembered or choices.configured or DateOrder.DMY
        return DateOrderDecision(order, "file", mattered=False)
    if choices.option is not None:
        return DateOrderDecision(choices.option, choices.option_source)
    if remembered is not None:
        return DateOrderDecision(remembered, "remembered")
    if choices.configured is not None:
        return DateOrderDecision(choices.configured, "configured")
    readings = two_readings(table, mapping)
    weighed = weigh_rows(readings)
    if weighed is None:
        raise DateOrderUnknown(table.file, examples(readings))
    order, evidence = weighed
    return DateOrderDecision(order, "rows", evidence=evidence)


def _read(value: CellValue, order: DateOrder) -> date | None:
    try:
        return parse_date(value, order).day
    except DateError:
        return None


def two_readings(table: SourceTable, mapping: ColumnMap) -> list[TwoReadings]:
    """Each row with an ambiguous date, read both ways (a row repeated further down is read once)."""
    start_column = mapping.columns.get("startDate")
    end_column = mapping.columns.get("endDate")
    if start_column is None or end_column is None:
        return []
    found: list[TwoReadings] = []
    seen: set[tuple[CellValue, CellValue]] = set()
    for source in table.rows:
        start, end = source.cells[start_column], source.cells[end_column]
        if not (is_ambiguous(start) or is_ambiguous(end)):
            continue
        if (start, end) in seen:
            continue
        seen.add((start, end))
        dmy = _span(start, end, DateOrder.DMY)
        mdy = _span(start, end, DateOrder.MDY)
        if dmy is None and mdy is None:
            # One date alone (the other empty or wrong): shown as itself, telling no length.
            only = start if is_ambiguous(start) else end
            dmy, mdy = _span(only, only, DateOrder.DMY), _span(only, only, DateOrder.MDY)
            found.append(TwoReadings(source.row, cell_text(only), dmy, mdy, lone=True))
            continue
        text = f"{cell_text(start)} to {cell_text(end)}"
        found.append(TwoReadings(source.row, text, dmy, mdy))
    return found


def _span(start: CellValue, end: CellValue, order: DateOrder) -> tuple[date, date] | None:
    first, last = _read(start, order), _read(end, order)
    return (first, last) if first is not None and last is not None else None


def weigh_rows(readings: Sequence[TwoReadings]) -> tuple[DateOrder, str] | None:
    """The order the rows make sense in, with the evidence in words; None when both make sense.

    A reading that makes some leave end before it starts loses to one that does not. Else a
    reading whose leave adds up to MUCH_LONGER times the other's, with some leave over
    LONG_LEAVE_DAYS, loses (02/03 to 06/03 is 5 days day-first, 121 month-first).
    """
    orders = (DateOrder.DMY, DateOrder.MDY)
    readings = [r for r in readings if not r.lone]
    backwards = {o: [r for r in readings if (r.days(o) or 1) <= 0] for o in orders}
    for wrong, right in (orders, orders[::-1]):
        if backwards[wrong] and not backwards[right]:
            first, more = backwards[wrong][0], len(backwards[wrong]) - 1
            others = f" (and {more} more {'row' if more == 1 else 'rows'})" if more else ""
            return right, (
                f"read {NAMES[wrong]}, row {first.row} ({first.text}) would end before it "
                f"starts{others}"
            )
    both = [r for r in readings if all((r.days(o) or 0) > 0 for o in orders)]
    if not both:
        return None
    totals = {o: sum(r.days(o) or 0 for r in both) for o in orders}
    for wrong, right in (orders, orders[::-1]):
        longest = max(r.days(wrong) or 0 for r in both)
        if totals[wrong] >= MUCH_LONGER * totals[right] and longest > LONG_LEAVE_DAYS:
            shown = max(both, key=lambda r: (r.days(wrong) or 0) - (r.days(right) or 0))
            return right, (
                f"read {NAMES[wrong]}, leave would be far longer: row {shown.row} "
                f"({shown.text}) would last {shown.days(wrong)} days instead of "
                f"{shown.days(right)}"
            )
    return None


def examples(readings: Sequence[TwoReadings]) -> list[TwoReadings]:
    """Up to EXAMPLES rows to show both ways: those whose two readings differ most in length
    first (they make the choice easiest), then in the file's order."""

    def difference(r: TwoReadings) -> int:
        a, b = r.days(DateOrder.DMY), r.days(DateOrder.MDY)
        return abs(a - b) if a is not None and b is not None and not r.lone else -1

    ranked = sorted(readings, key=lambda r: (-difference(r), r.row))
    return sorted(ranked[:EXAMPLES], key=lambda r: r.row)
