"""The roster engine: read an HR leave file, map its columns, check every row, build Calven's events.

Pure Python without Qt or network, so the window, the command line and the tests all share it.
"""

from calven_desk.roster.check import (
    EVENT_TYPES,
    LABELS,
    check_table,
    check_values,
    cross_check,
    load_roster,
)
from calven_desk.roster.date_order import decide_order, shape_key
from calven_desk.roster.dates import DateError, parse_date
from calven_desk.roster.mapping import field_for_header, map_columns, normalise_header
from calven_desk.roster.model import (
    DATE_FIELDS,
    EVENT_FIELDS,
    FIELDS,
    PART_FIELDS,
    CellValue,
    ColumnMap,
    DateOrder,
    DateOrderDecision,
    DateOrderUnknown,
    Field,
    MappingError,
    OrderChoices,
    Problem,
    RosterCheck,
    RosterReadError,
    RowCheck,
    SkipKind,
    SourceRow,
    SourceTable,
    Status,
)
from calven_desk.roster.reading import read_table

__all__ = [
    "DATE_FIELDS",
    "EVENT_FIELDS",
    "EVENT_TYPES",
    "FIELDS",
    "LABELS",
    "PART_FIELDS",
    "CellValue",
    "ColumnMap",
    "DateError",
    "DateOrder",
    "DateOrderDecision",
    "DateOrderUnknown",
    "Field",
    "MappingError",
    "OrderChoices",
    "Problem",
    "RosterCheck",
    "RosterReadError",
    "RowCheck",
    "SkipKind",
    "SourceRow",
    "SourceTable",
    "Status",
    "check_table",
    "check_values",
    "cross_check",
    "decide_order",
    "field_for_header",
    "load_roster",
    "map_columns",
    "normalise_header",
    "parse_date",
    "read_table",
    "shape_key",
]
