"""Writers for the real spreadsheet files the roster tests read back (xlsx, xls, ods, csv)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

Rows = Sequence[Sequence[Any]]


def write_xlsx(path: Path, sheets: dict[str, Rows], hidden: Sequence[str] = ()) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        if name in hidden:
            sheet.sheet_state = "hidden"
    workbook.save(path)
    return path


def add_cached_formula(path: Path, cell: str, formula: str, cached: str) -> None:
    """Put a formula with a cached result into a saved xlsx, as Excel itself stores it.

    openpyxl cannot compute formulas, so the cached value is written into the sheet XML directly.
    """
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = items[sheet].decode()
    marker = f'<c r="{cell}"'
    start = xml.index(marker)
    end = xml.index("</c>", start) + len("</c>")
    xml = xml[:start] + f'<c r="{cell}" t="str"><f>{formula}</f><v>{cached}</v></c>' + xml[end:]
    items[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)


def write_csv(
    path: Path, rows: Rows, *, encoding: str = "utf-8", delimiter: str = ",", bom: bool = False
) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def write_xls(path: Path, rows: Rows) -> Path:
    import xlwt  # type: ignore[import-untyped]

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Leave")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date | datetime):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    workbook.save(str(path))
    return path


def write_ods(path: Path, rows: Rows) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]
    from odf.table import Table, TableCell, TableRow  # type: ignore[import-untyped]
    from odf.text import P  # type: ignore[import-untyped]

    document = OpenDocumentSpreadsheet()
    table = Table(name="Leave")
    for row in rows:
        table_row = TableRow()
        for value in row:
            if isinstance(value, date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def _record(kind: int, body: bytes) -> bytes:
    """One .xlsb record: its type and length as Excel's variable-length numbers, then its body."""
    head = bytearray()
    for number, most in ((kind, 2), (len(body), 4)):
        for _ in range(most):
            byte = number & 0x7F
            number >>= 7
            head.append(byte | (0x80 if number else 0))
            if not number:
                break
    return bytes(head) + body


def _wide(text: str) -> bytes:
    return len(text).to_bytes(4, "little") + text.encode("utf-16-le")


def write_xlsb(path: Path, cells: Sequence[tuple[int, int, str]]) -> Path:
    """A minimal .xlsb (Excel's binary workbook; no library writes one): one sheet "Leave" with
    text cells at (row, column) from 0, in row order, written as the records Excel writes."""
    last_row = max(r for r, _, _ in cells)
    last_column = max(c for _, c, _ in cells)
    dimension = b"".join(n.to_bytes(4, "little") for n in (0, last_row, 0, last_column))
    sheet = bytearray(_record(0x81, b"") + _record(0x94, dimension) + _record(0x91, b""))
    row = -1
    for number, column, text in cells:
        if number != row:
            row = number
            sheet += _record(0x00, number.to_bytes(4, "little") + bytes(13))
        sheet += _record(0x06, column.to_bytes(4, "little") + bytes(4) + _wide(text))
    sheet += _record(0x92, b"") + _record(0x82, b"")  # end sheet data, end sheet
    book = (
        _record(0x83, b"")
        + _record(0x8F, b"")  # begin sheets
        + _record(0x9C, bytes(4) + (1).to_bytes(4, "little") + _wide("rId1") + _wide("Leave"))
        + _record(0x90, b"")  # end sheets
        + _record(0x84, b"")
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>'
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>'
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        "</Types>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("[Content_Types].xml", types)
        target.writestr("_rels/.rels", root_rels)
        target.writestr("xl/workbook.bin", book)
        target.writestr("xl/_rels/workbook.bin.rels", rels)
        target.writestr("xl/worksheets/sheet1.bin", bytes(sheet))
    return path


def put_cells(path: Path, cells_xml: str) -> Path:
    """Add rows of raw cell XML at the end of an xlsx's first sheet (a stray cell far out)."""
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    items[sheet] = items[sheet].replace(b"</sheetData>", cells_xml.encode() + b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)
    return path


def write_raw_ods(path: Path, rows_xml: str) -> Path:
    """An .ods whose sheet "Leave" has a two-row roster and then `rows_xml` (raw table rows)."""
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

    def cell(value: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        f'xmlns:text="{text}" office:version="1.2"><office:body><office:spreadsheet>'
        '<table:table table:name="Leave">'
        f"<table:table-row>{cell('Email')}{cell('Start Date')}{cell('End Date')}</table:table-row>"
        f"<table:table-row>{cell('a@example.com')}{cell('2030-01-02')}{cell('2030-01-03')}"
        f"</table:table-row>{rows_xml}</table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        target.writestr("content.xml", content)
    return path
