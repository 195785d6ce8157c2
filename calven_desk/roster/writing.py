"""Writes new files (the template, results only) as xlsx or csv, every cell safe to open in a spreadsheet.

Formula protection never changes a value in a workbook: text is written as a text cell, which no
spreadsheet runs. A CSV has no cell types, so there a text that a spreadsheet would run gets a
leading apostrophe (OWASP's advice), which Calven Desk takes off again when it reads the file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path

from calven_desk.roster.cells import FORMULA_TRIGGERS
from calven_desk.roster.model import CellValue
from calven_desk.roster.vocabulary import TEMPLATES, Language

#: A number written as text (-17, +44, 3.5): a spreadsheet reads it as that number, never as a
#: formula, so it needs no apostrophe (a Request ID `-17` stays `-17`).
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")

TEMPLATE_HEADERS = ["email", "eventType", "startDate", "endDate", "timeOffType", "eventId"]
TEMPLATE_EXAMPLE: list[CellValue] = [
    "name@company.com",
    "scheduled",
    "2030-03-02",
    "2030-03-06",
    "leave",
    "",
]


def safe_cell(value: CellValue) -> CellValue:
    """For a CSV: text that a spreadsheet would run as a formula gets a leading apostrophe; other
    values pass."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def _csv_text(value: CellValue) -> str:
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_rows(
    path: Path | str,
    headers: Sequence[str],
    rows: Iterable[Sequence[CellValue]],
    *,
    delimiter: str = ",",
) -> None:
    """Write a header and rows to .xlsx or .csv (UTF-8 with BOM, so Excel shows accents right;
    `delimiter` separates a CSV's cells).

    Writes `path` itself: callers write to `store.atomic.replacing(target)`, so a crash or a full
    disk never leaves a half-written roster where the good one was, and the file keeps the
    permissions it had.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValueError(f"Cannot save as {path.name}: choose a name ending in .xlsx or .csv.")
    if suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, delimiter=delimiter)
            writer.writerow([_csv_text(h) for h in headers])
            writer.writerows([_csv_text(v) for v in row] for row in rows)
    else:
        _write_xlsx(path, headers, rows)


def _xlsx_value(value: CellValue) -> str | float | datetime | date | None:
    """What openpyxl can store; a time or duration goes in as the text a person would read. Text
    is kept as it is: `_write_xlsx` makes it a text cell, which no spreadsheet runs."""
    if value is None or isinstance(value, str | int | float | datetime | date):
        return value
    return str(value)


def _write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[CellValue]]) -> None:
    from openpyxl import Workbook  # imported here: validating never pays for openpyxl's start-up
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Roster")
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(text))  # type: ignore[arg-type]
        if isinstance(text, str):
            cell.data_type = "s"  # a title such as "=Total" stays text
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value))  # type: ignore[arg-type]
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell.data_type = "s"  # never let openpyxl read text as a formula
            cells.append(cell)
        sheet.append(cells)
    workbook.save(path)


def write_template(path: Path | str, language: Language | None = None) -> None:
    """A blank roster and one example row to copy: with Calven's own column names, or with the
    headers, status word and dates HR writes in `language`.

    A CSV in a language other than English is separated by `;`, as Excel saves and opens CSV in
    the countries that write a decimal comma (Germany, France, Spain, the Netherlands, Italy):
    separated by `,` there, every row would open as one cell.
    """
    if language is None:
        write_rows(path, TEMPLATE_HEADERS, [TEMPLATE_EXAMPLE])
        return
    headers, example = TEMPLATES[language]
    write_rows(path, headers, [list(example)], delimiter="," if language == "en" else ";")
