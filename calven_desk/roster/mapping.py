"""Recognises Calven's fields among an HR export's column headers, and finds the header row itself."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from calven_desk.roster.cells import cell_text
from calven_desk.roster.model import FIELDS, CellValue, ColumnMap, Field, MappingError
from calven_desk.roster.vocabulary import HEADERS, fold, folded_table

#: How far down a sheet the header may sit: HR exports put a title, a date and a blank line above it.
HEADER_SEARCH_ROWS = 20

#: Header names each field answers to, folded (roster/vocabulary.py `fold`), with their rank: the
#: place of the name in its language's list, best first.
_LOOKUP: dict[str, tuple[Field, int]] = folded_table(HEADERS)


def normalise_header(text: str) -> str:
    """`Start Date`, `start_date`, `START-DATE` and `Start date:` all become `startdate`, and
    `Date de début` `datededebut`: no case, accents, spaces or punctuation."""
    return fold(text)


def field_for_header(text: str) -> Field | None:
    found = _LOOKUP.get(normalise_header(text))
    return found[0] if found else None


def count_known(cells: Sequence[CellValue], forced: Collection[str] = ()) -> int:
    """How many different fields a row's cells name: two or more make it a header row.

    `forced` holds the headers a person named for a forced mapping; each counts as recognised.
    """
    wanted = {normalise_header(h) for h in forced}
    found: set[str] = set()
    for cell in cells:
        if isinstance(cell, str):
            name = normalise_header(cell)
            if name in wanted:
                found.add("forced:" + name)
            elif name in _LOOKUP:
                found.add(_LOOKUP[name][0])
    return len(found)


def find_header_row(
    grid: Sequence[Sequence[CellValue]], forced: Collection[str] = ()
) -> int | None:
    """Index of the first of the top rows in which at least two known columns are recognised."""
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if count_known(cells, forced) >= 2:
            return index
    return None


def map_columns(headers: Sequence[str], forced: Mapping[str, str] | None = None) -> ColumnMap:
    """Map each field to a column; `forced` (field -> header, "" to leave a field out) wins over names.

    When two columns answer to one field, the better-ranked name wins (`Email` over `Mail`), then the
    left-most, and the field is reported as ambiguous so the window can ask.
    """
    candidates: dict[Field, list[tuple[int, int]]] = {}
    for index, header in enumerate(headers):
        found = _LOOKUP.get(normalise_header(header))
        if found:
            candidates.setdefault(found[0], []).append((found[1], index))
    columns: dict[Field, int] = {}
    ambiguous: dict[Field, list[int]] = {}
    for found_field, options in candidates.items():
        options.sort()
        columns[found_field] = options[0][1]
        if len(options) > 1:
            ambiguous[found_field] = [i for _, i in options]
    for name, header in (forced or {}).items():
        if name not in FIELDS:
            raise MappingError(f"'{name}' is not a Calven field; use one of {', '.join(FIELDS)}.")
        field: Field = name  # narrowed by the FIELDS check just above
        ambiguous.pop(field, None)
        if not header.strip():
            columns.pop(field, None)
            continue
        wanted = normalise_header(header)
        matches = [i for i, h in enumerate(headers) if normalise_header(h) == wanted]
        if not matches:
            shown = ", ".join(f"'{h}'" for h in headers if h)
            raise MappingError(
                f"There is no column '{header}' for {field}; the columns are {shown}."
            )
        for other, index in list(columns.items()):
            if index == matches[0]:
                del columns[other]
        columns[field] = matches[0]
    return ColumnMap(headers=list(headers), columns=columns, ambiguous=ambiguous)


def header_names(cells: Sequence[CellValue]) -> list[str]:
    """Header texts, with a spreadsheet-style name (`Column F`) for any column left without one."""
    names: list[str] = []
    for index, cell in enumerate(cells):
        text = cell_text(cell)
        names.append(text or f"Column {column_letter(index)}")
    return names


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
