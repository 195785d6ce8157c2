"""Saves HR's roster with each row's result beside it: the window's Save as and `submit --results`.

The roster stays HR's file (roster/saving.py keeps its sheets, title rows, formats and every cell
the person did not edit); the results go in Result, Result code, Message and Sent at columns after
the roster's own. A row never sent says why ("Needs fixing: ..."), so nobody reads an empty result
as "done". The file is written in one step through store/atomic.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from calven_desk.calven.outcomes import Outcome, RowOutcome
from calven_desk.calven.row_status import CALVEN_WORDS
from calven_desk.roster import CellValue, SourceTable, Status, read_table
from calven_desk.roster.cells import cell_text
from calven_desk.roster.document import DocumentRow, RosterDocument
from calven_desk.roster.model import DateOrder, RosterReadError
from calven_desk.roster.saving import SAVE_SUFFIXES, RowToSave, SaveError, saved_roster
from calven_desk.store.atomic import write_bytes_atomically

RESULT_HEADERS = ["Result", "Result code", "Message", "Sent at"]

#: Words a person reads in the Result column (the JSON keeps the machine values).
OUTCOME_WORDS = {
    Outcome.ACCEPTED: "Accepted",
    Outcome.REJECTED: "Rejected",
    Outcome.NOT_SENT: "Not sent",
    Outcome.UNCONFIRMED: "Sent, not confirmed",
    Outcome.SKIPPED: "Skipped (invalid)",
    Outcome.UNCHANGED: "Already in Calven",
    Outcome.NOT_FOR_CALVEN: "Not for Calven",
}
NOT_SENT = "Not sent"


def result_cells(outcome: RowOutcome | None) -> list[CellValue]:
    if outcome is None:
        return ["", "", "", ""]
    sent_at = outcome.answered_at.strftime("%Y-%m-%d %H:%M:%S") if outcome.answered_at else ""
    code: CellValue = outcome.result_code if outcome.result_code is not None else ""
    return [OUTCOME_WORDS[outcome.outcome], code, outcome.message, sent_at]


def row_result_cells(row: DocumentRow) -> list[CellValue]:
    """A window row's result columns: Calven's last answer, or why the row was never sent."""
    result = row.result if isinstance(row.result, RowOutcome) else None
    if result is not None:
        cells = result_cells(result)
        if row.changed_since_sent:
            cells[0] = f"{cells[0]}, then changed (not sent again)"
        return cells
    check = row.check
    if check.skip is not None:
        reason = check.own[0].message if check.own else f"{check.skip_reason}: not sent."
        return [OUTCOME_WORDS[Outcome.NOT_FOR_CALVEN], "", reason, ""]
    if check.status is Status.INVALID:
        errors = " ".join(p.message for p in check.problems if p.severity == "error")
        return [NOT_SENT, "", f"Needs fixing: {errors}", ""]
    calven = row.calven_state()
    if calven == "unchanged":
        since = f" since {row.calven_since}" if row.calven_since else ""
        return [
            "Already in Calven",
            "",
            f"Calven has held this leave{since}, so it was not sent again.",
            "",
        ]
    what = f" ({CALVEN_WORDS[calven]})" if calven in CALVEN_WORDS else ""
    warnings = " ".join(p.message for p in check.problems if p.severity == "warning")
    reason = f"Ready{what}, not sent yet." + (f" Warning: {warnings}" if warnings else "")
    return [NOT_SENT, "", reason, ""]


@dataclass(frozen=True, slots=True)
class PreparedSave:
    """What saving the open roster needs, taken from it at one moment: the file as read, each row
    to write, and the order its dates are written in. Writing it may then take its time in a
    worker (50,000 rows of a workbook take seconds) while the person goes on editing."""

    table: SourceTable
    rows: list[RowToSave]
    order: DateOrder


def prepare_save(document: RosterDocument) -> PreparedSave:
    """On the thread that owns the document."""
    return PreparedSave(
        _with_content(document), document.rows_to_save(row_result_cells), document.date_order.order
    )


def write_prepared(path: Path | str, prepared: PreparedSave) -> None:
    """Raises SaveError (a sentence for the person) or OSError."""
    _write(Path(path), prepared.table, prepared.rows, prepared.order)


def save_roster(path: Path | str, document: RosterDocument) -> None:
    """Write the open roster to `path` (.xlsx or .csv) as HR's own file with the edits and results.

    Raises SaveError (a sentence for the person) or OSError.
    """
    write_prepared(path, prepare_save(document))


def write_results(path: Path | str, table: SourceTable, outcomes: Iterable[RowOutcome]) -> None:
    """`submit --results`: the roster as read, every cell as it was (in a CSV, those a
    spreadsheet would run guarded by an apostrophe), with each row's result.

    A row the run did not include (`--rows`) says so instead of leaving its result empty.
    """
    by_row = {o.row: o for o in outcomes}
    rows = [
        RowToSave(
            source.row,
            results=result_cells(by_row[source.row])
            if source.row in by_row
            else [NOT_SENT, "", "Not part of this run.", ""],
        )
        for source in table.rows
    ]
    _write(Path(path), table, rows, DateOrder.DMY, report=True)


def _write(
    path: Path, table: SourceTable, rows: list[RowToSave], order: DateOrder, report: bool = False
) -> None:
    """`report`: a file of Calven Desk's own (`submit --results`, read by IT and passed on), where
    a CSV's every cell is guarded against running as a formula; HR's roster saved back keeps its
    own cells as their HR system wrote them."""
    suffix = path.suffix.lower()
    if suffix not in SAVE_SUFFIXES:
        raise SaveError(f"Cannot save as {path.name}: choose a name ending in .xlsx or .csv.")
    data = saved_roster(table, rows, RESULT_HEADERS, suffix, order, guard_all=report)
    write_bytes_atomically(path, data)


def _with_content(document: RosterDocument) -> SourceTable:
    """The document's table, with its file's bytes when it has none (a roster recovered after a
    crash) and the file on disk is still the one it was read from: then Save as keeps the rest of
    HR's workbook too. A file changed since is not used: the edits belong to the rows as they were."""
    table = document.table
    if table.content is not None or not table.file.is_file():
        return table
    try:
        again = read_table(table.file, table.sheet)
    except RosterReadError:
        return table
    same = (
        again.header_row == table.header_row
        and again.headers[: len(table.headers)] == table.headers
        and [(s.row, [cell_text(c) for c in s.cells]) for s in again.rows]
        == [(s.row, [cell_text(c) for c in s.cells]) for s in table.rows]
    )
    if not same:
        return table
    table_copy = SourceTable(
        table.file,
        table.sheet,
        table.header_row,
        table.headers,
        table.rows,
        table.sheets_with_header,
        content=again.content,
    )
    return table_copy
