"""Turns a raw cell into the text a person typed, so `1001.0` from Excel reads back as `1001`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from calven_desk.roster.model import CellValue

#: A text cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets
#: when it comes from a CSV (CSV injection, OWASP); tab and carriage return are on the list because
#: some importers strip them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: CellValue) -> str:
    """The cell as trimmed text; whole floats lose their `.0` because Excel stores every number as one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
