"""Reading real files of every supported kind, and refusing broken ones with one clear sentence."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from calven_desk.roster import RosterReadError, read_table
from tests.roster.files import (
    add_cached_formula,
    write_csv,
    write_ods,
    write_xls,
    write_xlsx,
)

HEADER = ["Email", "Start Date", "End Date", "Leave Type"]
ROW = ["zoë@example.com", "14/02/2031", "18/02/2031", "Congé"]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", False), ("utf-8", True), ("utf-16", False), ("utf-16-be", False), ("cp1252", False)],
)
def test_csv_encodings_arrive_intact(tmp_path: Path, encoding: str, bom: bool) -> None:
    path = tmp_path / "roster.csv"
    rows = [HEADER, ROW]
    if encoding == "utf-16-be":
        path.write_bytes(b"\xfe\xff" + "\r\n".join(",".join(r) for r in rows).encode("utf-16-be"))
    else:
        write_csv(path, rows, encoding=encoding, bom=bom)  # "utf-16" writes its own BOM
    table = read_table(path)
    assert table.headers == HEADER
    assert table.rows[0].cells == tuple(ROW)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters(tmp_path: Path, delimiter: str) -> None:
    path = write_csv(tmp_path / "r.txt", [HEADER, ROW, ROW], delimiter=delimiter)
    table = read_table(path)
    assert table.headers == HEADER and len(table.rows) == 2


def test_csv_quoted_newlines_and_commas(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [HEADER, ["a@example.com", "1/2/2031", "2/2/2031", "Leave, annual\nsecond line"], ROW],
    )
    table = read_table(path)
    assert table.rows[0].cells[3] == "Leave, annual\nsecond line"
    assert [r.row for r in table.rows] == [2, 3]  # records, as Excel numbers them


def test_header_below_title_and_blank_rows_keep_excel_numbers(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [["Leave export", "", "", ""], ["", "", "", ""], HEADER, ROW, ["", " ", "", ""], ROW],
    )
    table = read_table(path)
    assert table.header_row == 3
    assert [r.row for r in table.rows] == [4, 6]


def test_xlsx_dates_hidden_sheets_and_formulas(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "r.xlsx",
        {
            "Notes": [["nothing", "here"]],
            "Secret": [HEADER, ROW],
            "Leave": [
                ["Title"],
                [],
                HEADER,
                ["a@example.com", date(2031, 2, 14), datetime(2031, 2, 18), "x"],
            ],
            "More": [HEADER, ROW],
        },
        hidden=["Secret"],
    )
    table = read_table(path)
    assert table.sheet == "Leave"  # first VISIBLE sheet with a header
    assert table.sheets_with_header == ["Leave", "More"]
    assert table.header_row == 3
    assert table.rows[0].cells[1] == date(2031, 2, 14)
    assert read_table(path, sheet="More").rows[0].cells == tuple(ROW)
    with pytest.raises(RosterReadError, match="no sheet named 'Nope'"):
        read_table(path, sheet="Nope")


def test_xlsx_formula_gives_its_cached_value(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", {"Leave": [HEADER, ["a@example.com", "x", "y", "z"]]})
    add_cached_formula(path, "D2", 'CONCATENATE("Annual"," leave")', "Annual leave")
    assert read_table(path).rows[0].cells[3] == "Annual leave"


def test_xls_and_ods(tmp_path: Path) -> None:
    rows = [HEADER, ["a@example.com", date(2031, 2, 14), date(2031, 2, 18), "Congé"]]
    for path in (write_xls(tmp_path / "r.xls", rows), write_ods(tmp_path / "r.ods", rows)):
        table = read_table(path)
        assert table.headers == HEADER
        assert table.rows[0].cells[0] == "a@example.com"
        assert table.rows[0].cells[1] == date(2031, 2, 14)
        assert table.rows[0].cells[3] == "Congé"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "empty"),
        ("broken.xlsx", b"PK\x03\x04 this zip was cut short", "damaged"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password"),
        ("notes.pdf", b"%PDF-1.4 something", "not a kind of file"),
        ("headerless.csv", b"1,2,3\n4,5,6\n", "no header row"),
        ("binary.csv", b"\x00\x01\x02\x03" * 50, "not a text file"),
        ("book.csv", b"PK\x03\x04" + b"\x00" * 40, "rename it to .xlsx"),
    ],
)
def test_unreadable_files_give_one_sentence(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RosterReadError) as caught:
        read_table(path)
    message = str(caught.value)
    assert message.startswith(f"Cannot open {name}:") and reason in message
    assert message.count(".") >= 1 and "\n" not in message and "Traceback" not in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RosterReadError, match="does not exist"):
        read_table(tmp_path / "gone.xlsx")


def test_real_password_protected_xlsx_shape(tmp_path: Path) -> None:
    """Excel stores an encrypted xlsx as an OLE compound file; a real one's first bytes say so."""
    path = tmp_path / "locked.xlsm"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    with pytest.raises(RosterReadError, match="password"):
        read_table(path)


def test_row_by_row_reads_what_one_call_reads(tmp_path: Path, rosters: Path) -> None:
    """The window reads a workbook a row at a time (so it keeps answering while it reads); the
    table must be the one the command line gets, down to the row numbers and the blank columns
    left of a table that starts at column C."""
    from openpyxl import Workbook

    offset = tmp_path / "offset.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["C2"] = "Leave export"
    rows = [HEADER, ["a@example.com", date(2031, 2, 14), datetime(2031, 2, 18), "x"], [], ROW]
    for number, values in enumerate(rows, start=4):
        for column, value in enumerate(values, start=3):
            sheet.cell(number, column, value)
    book.save(offset)
    plain = [HEADER, ["a@example.com", date(2031, 2, 14), date(2031, 2, 18), "Congé"]]
    for path in (
        rosters / "hr-export.xlsx",
        offset,
        write_xls(tmp_path / "r.xls", plain),
        write_ods(tmp_path / "r.ods", plain),
    ):
        assert read_table(path, row_by_row=True) == read_table(path), path.name
    table = read_table(offset, row_by_row=True)
    assert table.header_row == 4 and [r.row for r in table.rows] == [5, 7]
    assert table.rows[0].cells[2:4] == ("a@example.com", date(2031, 2, 14))
