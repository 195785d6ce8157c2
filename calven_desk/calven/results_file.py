"""Writes the roster back with each row's result beside it: Data Loader's success/error files, in one file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from calven_desk.calven.outcomes import Outcome, RowOutcome
from calven_desk.roster import CellValue, SourceTable
from calven_desk.roster.writing import write_rows

RESULT_HEADERS = ["Result", "Result code", "Message", "Sent at"]

#: Words a person reads in the Result column (the JSON keeps the machine values).
OUTCOME_WORDS = {
    Outcome.ACCEPTED: "Accepted",
    Outcome.REJECTED: "Rejected",
    Outcome.NOT_SENT: "Not sent",
    Outcome.SKIPPED: "Skipped (invalid)",
    Outcome.UNCHANGED: "Already in Calven",
}


def result_cells(outcome: RowOutcome | None) -> list[CellValue]:
    if outcome is None:
        return ["", "", "", ""]
    sent_at = outcome.answered_at.strftime("%Y-%m-%d %H:%M:%S") if outcome.answered_at else ""
    code: CellValue = outcome.result_code if outcome.result_code is not None else ""
    return [OUTCOME_WORDS[outcome.outcome], code, outcome.message, sent_at]


def write_results(path: Path | str, table: SourceTable, outcomes: Iterable[RowOutcome]) -> None:
    """Every roster row with its original cells, then Result, Result code, Message and Sent at.

    Rows that were not part of the run keep empty result cells. Cells are made formula-safe by
    `write_rows`, since Calven's messages and the roster's own text end up in a spreadsheet.
    """
    by_row = {o.row: o for o in outcomes}
    rows = [[*source.cells, *result_cells(by_row.get(source.row))] for source in table.rows]
    write_rows(path, [*table.headers, *RESULT_HEADERS], rows)
