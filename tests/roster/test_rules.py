"""A whole table checked with shared per-value caches gives each row what checking it alone gives."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import product
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from calven_desk.roster import (
    FIELDS,
    PART_FIELDS,
    CellValue,
    ColumnMap,
    DateOrder,
    Field,
    RowCheck,
    SourceRow,
    SourceTable,
    check_table,
    check_values,
)

TODAY = date(2026, 11, 24)

#: Cells that compare equal across types (1 == 1.0 == True) but mean different things, and the same
#: day as a date, a date-time, text and an Excel serial number.
TRICKY: list[CellValue] = [
    None,
    "",
    "  ",
    True,
    False,
    1,
    1.0,
    "1",
    "TRUE",
    0,
    47_600,
    47_600.0,
    47_600.5,
    "47600",
    date(2030, 4, 26),
    datetime(2030, 4, 26),
    datetime(2030, 4, 26, 9, 30),
    "2030-04-26",
    "26/04/2030",
    "04/26/2030",
    time(9, 30),
    "approved",
    "Withdrawn",
    "a@example.com",
    " A@Example.com ",
    "björn@example.se",
    "not an address",
    # Issue 24's words: statuses, half-day marks, times and amounts, as HR writes them.
    "beantragt",
    "Refusé",
    "Ja",
    "Matin",
    "14:00",
    "0,5 Tage",
    "4 hours",
    0.5,
]


def _table(rows: list[tuple[CellValue, ...]]) -> tuple[SourceTable, ColumnMap]:
    headers = list(FIELDS)
    table = SourceTable(
        Path("t.xlsx"), "S", 1, headers, [SourceRow(i + 2, cells) for i, cells in enumerate(rows)]
    )
    return table, ColumnMap(headers, {name: i for i, name in enumerate(FIELDS)})


def _alone(number: int, cells: tuple[CellValue, ...], order: DateOrder) -> RowCheck:
    by_field: dict[Field, CellValue] = dict(zip(FIELDS, cells, strict=True))
    return check_values(number, by_field, order=order, today=TODAY)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(*[st.sampled_from(TRICKY)] * len(FIELDS)), min_size=1, max_size=40))
def test_table_rows_match_rows_checked_alone(rows: list[tuple[CellValue, ...]]) -> None:
    table, mapping = _table(rows)
    checked = check_table(table, mapping, date_order=DateOrder.DMY, today=TODAY)
    order = checked.date_order.order
    for source, row in zip(table.rows, checked.rows, strict=True):
        alone = _alone(source.row, source.cells, order)
        assert (row.values, row.event, row.own, row.skip) == (
            alone.values,
            alone.event,
            alone.own,
            alone.skip,
        )


def test_every_tricky_value_in_every_date_and_type_cell() -> None:
    """Each pair of tricky values in one table: a cached verdict never stands in for another type."""
    rows = [
        ("a@example.com", "", kind, start, end, "", "", *[""] * len(PART_FIELDS))
        for kind, (start, end) in product(["approved", True, 1], product(TRICKY, repeat=2))
    ]
    table, mapping = _table(rows)
    checked = check_table(table, mapping, date_order=DateOrder.DMY, today=TODAY)
    for source, row in zip(table.rows, checked.rows, strict=True):
        alone = _alone(source.row, source.cells, DateOrder.DMY)
        assert (row.values, row.event, row.own, row.skip) == (
            alone.values,
            alone.event,
            alone.own,
            alone.skip,
        )
