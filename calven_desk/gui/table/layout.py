"""The roster table's columns, in the order a person first sees them: who and when, then what
Calven said, then the rest.

Row, Status, the person's name (a name column, or first- and last-name columns), Email (or Calven
user ID), Start date, End date, Time-off type, Event type, In Calven, Result, Message, then Event ID
and the other fields, the roster's other columns, Result code and Sent at. A roster's own order put
the name (a column never sent) far right, off a laptop's screen.

This is the model's own column order, not only the view's: Qt's accessibility (AT-SPI, what Orca
reads) reports a table's columns in the model's order, so an order made by moving the header's
sections had a screen reader announce other columns, and other column numbers, than the screen
showed. One description here is read by the model, the worker-side sort keys and the view, so
their column numbers cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

from calven_desk.roster import Field
from calven_desk.roster.directory_check import name_columns

Kind = Literal["row", "status", "field", "roster", "people", "result"]

#: The Calven fields in the order they come, after the name.
FIELDS_FIRST: tuple[Field, ...] = (
    "email",
    "uid",
    "startDate",
    "endDate",
    "timeOffType",
    "eventType",
)
#: Result and Message come before the rest; Result code and Sent at last (the Result says the code).
RESULTS_FIRST, RESULTS_LAST = (0, 2), (1, 3)


class Column(NamedTuple):
    """What a column holds: ("row", None), ("status", None), ("field", the Calven field),
    ("roster", the file's column number: kept, never sent), ("people", None: In Calven) or
    ("result", 0 to 3: Result, Result code, Message, Sent at)."""

    kind: Kind
    which: Field | int | None = None


class ColumnLayout:
    """The columns in order, and each kind's column looked up without a search: the model asks
    at every painted cell and role."""

    __slots__ = ("columns", "field_at", "field_of", "people", "result_of", "source_of")

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = tuple(columns)
        self.field_at: dict[Field, int] = {}
        self.field_of: dict[int, Field] = {}
        self.source_of: dict[int, int] = {}
        self.result_of: dict[int, int] = {}
        self.people: int | None = None
        for at, (kind, which) in enumerate(self.columns):
            if kind == "field" and isinstance(which, str):
                self.field_at[which], self.field_of[at] = at, which
            elif kind == "roster" and isinstance(which, int):
                self.source_of[at] = which
            elif kind == "result" and isinstance(which, int):
                self.result_of[at] = which
            elif kind == "people":
                self.people = at

    def __len__(self) -> int:
        return len(self.columns)

    def describe(self, column: int) -> Column:
        return self.columns[column] if 0 <= column < len(self.columns) else Column("result", None)


def column_layout(
    fields: Sequence[Field], unmapped: Sequence[int], headers: Sequence[str], people: bool
) -> ColumnLayout:
    """The columns of a roster with these mapped `fields` and `unmapped` file columns; `people`:
    with the In Calven column (there once Calven's user list is read)."""
    names = [source for source in dict.fromkeys(name_columns(headers)) if source in unmapped]
    columns = [Column("row"), Column("status")]
    columns += [Column("roster", source) for source in names]
    columns += [Column("field", name) for name in FIELDS_FIRST if name in fields]
    columns += [Column("people")] if people else []
    columns += [Column("result", offset) for offset in RESULTS_FIRST]
    columns += [Column("field", name) for name in fields if name not in FIELDS_FIRST]
    columns += [Column("roster", source) for source in unmapped if source not in names]
    columns += [Column("result", offset) for offset in RESULTS_LAST]
    return ColumnLayout(columns)
