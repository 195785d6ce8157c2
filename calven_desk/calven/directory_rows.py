"""What the user-list check finds for a roster row, what is kept of it, and what the "In Calven" column says.

Pure rules over a row, its check and Calven's user list. The window's part (gui/window/directory.py)
fetches the list and decides when rows are checked, in its thread or the window's; both record
through `record`, so the status counts move with each finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from calven_desk.calven.row_status import add_row
from calven_desk.roster.directory_check import (
    CASE,
    INACTIVE,
    UID,
    UNKNOWN,
    DirectoryIndex,
    roster_name,
)
from calven_desk.roster.directory_check import Finding as Found
from calven_desk.roster.document import DocumentRow
from calven_desk.roster.model import CellValue, DirectoryProblem, RowCheck

#: What the "In Calven" column says for a row whose person the list does not have as written.
WORDS = {
    CASE: "Other capitals in Calven",
    UNKNOWN: "Not in Calven",
    INACTIVE: "Not active in Calven",
    UID: "Unknown Calven user ID",
}


@dataclass(slots=True)
class Checked:
    """Every row checked against the list, made in the worker: what the "In Calven" column shows
    by row number, and the checks it was made from (by id, kept alive so no id is reused). A row
    whose check is not among them changed since, and is checked again."""

    people: dict[int, str]
    tips: dict[int, str]
    seen: dict[int, RowCheck]
    #: The status bar's counts with these results (None: to be counted again).
    counts: dict[str, int] | None = None
    #: The document's `changes` when the rows were last looked at (-1: never).
    looked_at: int = -1


def shown(problems: list[DirectoryProblem], name: str | None) -> tuple[str, str]:
    """What the "In Calven" column says for a row (the name Calven knows, or why not), and its tip."""
    if name and not problems:
        return name, ""
    first = problems[0] if problems else None
    word = WORDS.get(first.kind, "") if first else ""
    person = f"{name} ({word})" if name and word else name or word
    return person, "\n".join(p.message for p in problems)


def record(
    checked: Checked,
    check: RowCheck,
    found: Found,
    row: DocumentRow | None = None,
    counts: dict[str, int] | None = None,
) -> None:
    """Put one row's result on its check and in what the column shows; with `row` and the
    status bar's `counts`, take the row's old problems out of the counts and its new ones in."""
    if row is not None and counts is not None:
        add_row(counts, row, -1)
    check.directory = found.problems
    checked.seen[id(check)] = check
    person, tip = shown(found.problems, found.name)
    checked.people[check.row] = person
    if tip:
        checked.tips[check.row] = tip
    else:
        checked.tips.pop(check.row, None)
    if row is not None and counts is not None:
        add_row(counts, row, 1)


def finding(
    index: DirectoryIndex,
    check: RowCheck,
    cells: tuple[CellValue, ...],
    columns: tuple[int, ...],
) -> Found:
    """One row checked against the list, with the roster's own name for it."""
    return index.check_event(check.event, roster_name(cells, columns) if columns else "")
