"""Hostile and odd workbooks cost a sentence or a normal read, never the process: each is
generated (small on disk), read by `calven-desk validate` in a process of its own, and that
process's peak memory is measured from its resource usage (a bound on behaviour, not a time)."""

from __future__ import annotations

import json
import os
import random
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from calven_desk.roster.limits import MAX_CELL_CHARS
from tests.roster.files import put_cells, write_raw_ods, write_xlsb, write_xlsx

ROSTER = [
    ["Email", "Start Date", "End Date"],
    ["a@example.com", "2030-01-02", "2030-01-03"],
    ["b@example.com", "2030-01-04", "2030-01-05"],
]
#: The most memory a hostile file may make the command take.
PEAK_MB = 500


#: Starts `validate` and reports its exit status and peak memory. A fresh, small process starts it:
#: Linux counts into a child's peak whatever its parent held when it forked (a test run that has
#: opened windows holds 170 MB), so the command is never started by the test process itself.
MEASURE = """
import json, os, subprocess, sys
with open(sys.argv[1], "w") as out, open(sys.argv[2], "w") as err:
    child = subprocess.Popen(
        [sys.executable, *sys.argv[3:]], stdout=out, stderr=err, stdin=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024]))
"""


def measure(tmp_path: Path, *command: str) -> tuple[int, str, str, float]:
    """Exit status, output, error output and peak resident memory (MB) of `python COMMAND...`."""
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    env = {**os.environ, "CALVEN_DESK_HOME": str(tmp_path / "home")}
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, str(out), str(err), *command],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    status, peak = json.loads(measured.stdout)
    return int(status), out.read_text(), err.read_text(), float(peak)


def validate(path: Path, tmp_path: Path) -> tuple[int, str, str, float]:
    """Exit status, output, error output and peak resident memory (MB) of `validate PATH`."""
    return measure(tmp_path, "-m", "calven_desk", "validate", str(path))


#: Save as (what the window's Save as and `submit --results` write): the roster read, then HR's
#: whole workbook written back as .xlsx or .csv with a result column.
SAVE_AS = """
import sys
from calven_desk.calven.results_file import write_results
from calven_desk.roster.check import load_roster
check = load_roster(sys.argv[1])
write_results(sys.argv[2], check.table, [])
print(len(check.rows))
"""


def save_as(path: Path, target: Path, tmp_path: Path) -> tuple[int, str, str, float]:
    return measure(tmp_path, "-c", SAVE_AS, str(path), str(target))


def test_a_space_in_the_last_cell_of_an_xlsx_and_xlsm(tmp_path: Path) -> None:
    """The issue's file: one space in XFD1048576 beside a two-row roster (calamine asked for
    512 GB and the process aborted). Read as the two rows it is."""
    for suffix in (".xlsx", ".xlsm"):
        path = put_cells(
            write_xlsx(tmp_path / f"stray{suffix}", {"Leave": ROSTER}),
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t xml:space="preserve"> '
            "</t></is></c></row>",
        )
        assert path.stat().st_size < 10_000
        status, out, err, peak = validate(path, tmp_path)
        assert status == 0, err
        assert "2 rows: 2 ready" in out
        assert peak < PEAK_MB


#: What reading a few cells takes, interpreter and libraries included (about 55 MB here): a sheet
#: read cell by cell stays near it, where a grid of two million cells took 233 MB.
SPARSE_MB = 120


def test_a_value_far_down_is_a_row_of_its_own(tmp_path: Path) -> None:
    """Read as the cells it has, never as a grid from A1 to B1048576."""
    path = put_cells(
        write_xlsx(tmp_path / "far.xlsx", {"Leave": ROSTER}),
        '<row r="1048576"><c r="B1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    )
    status, out, err, peak = validate(path, tmp_path)
    assert status == 1 and "row 1048576" in out.lower(), (out, err)
    assert peak < SPARSE_MB


def test_a_value_far_right_is_one_sentence(tmp_path: Path) -> None:
    path = put_cells(
        write_xlsx(tmp_path / "wide.xlsx", {"Leave": ROSTER}),
        '<row r="5"><c r="XFD5" t="inlineStr"><is><t>x</t></is></c></row>',
    )
    status, out, err, peak = validate(path, tmp_path)
    assert status == 2 and out == ""
    assert err.strip() == (
        "Cannot open wide.xlsx: cell XFD5 holds a value beyond the 1,000 columns Calven Desk "
        "reads; delete what is in it (or copy the roster to a new sheet) and save again."
    )
    assert peak < PEAK_MB


def test_cells_that_do_not_name_their_place(tmp_path: Path) -> None:
    """calamine counts on from the cell before; 16,000 such spaces in the last row."""
    path = put_cells(
        write_xlsx(tmp_path / "unnamed.xlsx", {"Leave": ROSTER}),
        '<row r="1048576">' + '<c t="inlineStr"><is><t> </t></is></c>' * 16_000 + "</row>",
    )
    status, _out, err, peak = validate(path, tmp_path)
    assert status == 0, err
    assert peak < PEAK_MB


def test_a_part_that_unpacks_to_800_mb(tmp_path: Path) -> None:
    """The issue's second file: one cell of 800 million letters, 1 MB on disk."""
    path = write_xlsx(tmp_path / "bomb.xlsx", {"Leave": ROSTER})
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    head, tail = items.pop(sheet).split(b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)
        with target.open(sheet, "w", force_zip64=True) as stream:
            stream.write(head + b'<row r="4"><c r="A4" t="inlineStr"><is><t>')
            letters = b"a" * (1 << 20)
            for _ in range(800):
                stream.write(letters)
            stream.write(b"</t></is></c></row></sheetData>" + tail)
    assert path.stat().st_size < 2_000_000
    status, out, err, peak = validate(path, tmp_path)
    assert status == 2 and out == ""
    assert err.startswith("Cannot open bomb.xlsx: it unpacks to more than 1,024 MB or to more")
    assert peak < PEAK_MB


def test_a_cell_longer_than_excel_allows(tmp_path: Path) -> None:
    text = "".join(random.Random(7).choices(string.ascii_letters, k=MAX_CELL_CHARS + 10))
    for kind, xml in (
        ("inline", f'<row r="4"><c r="C4" t="inlineStr"><is><t>{text}</t></is></c></row>'),
        ("number", f'<row r="4"><c r="C4" t="str"><v>{text}</v></c></row>'),
    ):
        path = put_cells(write_xlsx(tmp_path / f"{kind}.xlsx", {"Leave": ROSTER}), xml)
        status, out, err, peak = validate(path, tmp_path)
        assert status == 2 and out == ""
        assert err.strip() == (
            f"Cannot open {kind}.xlsx: cell C4 holds more than 32,767 characters, the most one "
            "cell may hold (as in Excel); shorten it and save again."
        )
        assert peak < PEAK_MB


def test_a_shared_text_longer_than_excel_allows(tmp_path: Path) -> None:
    """Excel keeps each text once, in sharedStrings.xml; calamine reads them all as it opens."""
    path = put_cells(
        write_xlsx(tmp_path / "shared.xlsx", {"Leave": ROSTER}),
        '<row r="4"><c r="A4" t="s"><v>0</v></c></row>',
    )
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    rels = "xl/_rels/workbook.xml.rels"
    items[rels] = items[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats'
        b'.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    runs = "".join(f"<r><t>{'x' * 1000}</t></r>" for _ in range(40))  # 40,000 in short runs
    items["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        f'uniqueCount="1"><si>{runs}</si></sst>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)
    status, _, err, peak = validate(path, tmp_path)
    assert status == 2, err
    assert err.strip() == (
        "Cannot open shared.xlsx: shared text 1 holds more than 32,767 characters, the most one "
        "cell may hold (as in Excel); shorten it and save again."
    )
    assert peak < PEAK_MB


def test_xlsb_with_a_space_in_the_last_cell(tmp_path: Path) -> None:
    cells = [(r, c, v) for r, row in enumerate(ROSTER) for c, v in enumerate(row)]
    path = write_xlsb(tmp_path / "stray.xlsb", [*cells, (1_048_575, 16_383, " ")])
    status, out, err, peak = validate(path, tmp_path)
    assert status == 0 and "2 rows: 2 ready" in out, err
    assert peak < PEAK_MB
    far = write_xlsb(tmp_path / "far.xlsb", [*cells, (1_048_575, 1, "x")])
    status, out, err, peak = validate(far, tmp_path)
    assert status == 1 and "3 rows: 2 ready" in out, err
    assert peak < SPARSE_MB


def stray_xls(path: Path) -> Path:
    """The roster with a space in an .xls's last cell, IV65536."""
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook()
    sheet = book.add_sheet("Leave")
    for r, row in enumerate(ROSTER):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.write(65_535, 255, " ")
    book.save(str(path))
    return path


def test_xls_with_a_space_in_the_last_cell(tmp_path: Path) -> None:
    """An .xls's last cell is IV65536: calamine took 1.2 GB and 7 s for it."""
    path = stray_xls(tmp_path / "stray.xls")
    status, out, err, peak = validate(path, tmp_path)
    assert status == 0 and "2 rows: 2 ready" in out, err
    assert peak < PEAK_MB


def test_save_as_of_a_workbook_with_a_space_in_its_last_cell(tmp_path: Path) -> None:
    """Save as copies HR's whole workbook from what reading keeps (the cells that hold
    something): calamine's grid of these sheets took 1.2 GB (the .xls) or aborted the process
    (the .xlsb, and the issue's xlsx saved as CSV), losing the window's unsaved work."""
    cells = [(r, c, v) for r, row in enumerate(ROSTER) for c, v in enumerate(row)]
    stray = (
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="string"><text:p> '
        "</text:p></table:table-cell></table:table-row>"
    )
    sources = [  # with the rows each roster has
        (
            put_cells(
                write_xlsx(tmp_path / "stray.xlsx", {"Leave": ROSTER}),
                '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t xml:space="preserve"> '
                "</t></is></c></row>",
            ),
            2,
        ),
        (write_xlsb(tmp_path / "stray.xlsb", [*cells, (1_048_575, 16_383, " ")]), 2),
        (stray_xls(tmp_path / "stray.xls"), 2),
        (write_raw_ods(tmp_path / "stray.ods", stray), 1),  # its writer's roster has one row
    ]
    from openpyxl import load_workbook

    for source, rows in sources:
        for suffix in (".xlsx", ".csv"):
            target = tmp_path / f"saved-{source.suffix[1:]}{suffix}"
            status, out, err, peak = save_as(source, target, tmp_path)
            assert (status, out.strip()) == (0, str(rows)), (source.name, suffix, err)
            assert peak < PEAK_MB, (source.name, suffix)
            if suffix == ".csv":
                lines = target.read_text(encoding="utf-8-sig").splitlines()
                assert lines[0].startswith("Email,Start Date,End Date,Result"), source.name
                assert lines[1].startswith("a@example.com,2030-01-02,2030-01-03,"), source.name
                continue
            sheet = load_workbook(target)["Leave"]
            assert [c.value for c in sheet[1]][:4] == [*ROSTER[0], "Result"], source.name
            assert [c.value for c in sheet[2]][:3] == ROSTER[1], source.name


@pytest.mark.parametrize(
    ("rows_xml", "status", "said"),
    [
        # LibreOffice's own way to fill a sheet's end: blank rows and cells, repeated.
        (
            '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
            'table:number-columns-repeated="16384"/></table:table-row>',
            0,
            "1 rows: 1 ready",
        ),
        # A space repeated over the whole sheet (calamine refused: 17 billion cells).
        (
            '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
            'table:number-columns-repeated="16384" office:value-type="string"><text:p> '
            "</text:p></table:table-cell></table:table-row>",
            0,
            "1 rows: 1 ready",
        ),
        # A value repeated far to the right.
        (
            '<table:table-row><table:table-cell table:number-columns-repeated="16384" '
            'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>',
            2,
            "beyond the 1,000 columns",
        ),
        # A value repeated far down.
        (
            '<table:table-row table:number-rows-repeated="2000000"><table:table-cell '
            'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>',
            2,
            "more than 1,048,576 rows",
        ),
    ],
)
def test_ods_repeats(tmp_path: Path, rows_xml: str, status: int, said: str) -> None:
    path = write_raw_ods(tmp_path / "repeats.ods", rows_xml)
    assert path.stat().st_size < 5_000
    got, out, err, peak = validate(path, tmp_path)
    assert got == status, err
    assert said in (out if status != 2 else err)
    assert peak < PEAK_MB


def test_csv_with_a_300_mb_line(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    with path.open("wb") as stream:
        stream.write(b"Email,Start Date,End Date\r\na@example.com,2030-01-02,2030-01-03\r\n")
        piece = b"a" * (1 << 20)
        for _ in range(300):
            stream.write(piece)
        stream.write(b"\r\n")
    try:
        status, out, err, peak = validate(path, tmp_path)
    finally:
        path.unlink()
    assert status == 2 and out == ""
    assert err.strip() == (
        "Cannot open long.csv: line 3 is longer than 1,048,576 characters, far more than a "
        "roster row (one cell holds at most 32,767); it may be damaged: save it again from Excel."
    )
    assert peak < PEAK_MB


def test_csv_with_a_long_cell_and_too_many_columns(tmp_path: Path) -> None:
    path = tmp_path / "cell.csv"
    path.write_text(f"Email,Start Date,End Date\na@example.com,{'x' * 40_000},y\n")
    status, _, err, _ = validate(path, tmp_path)
    assert status == 2 and "the cell in row 2, column 2 holds more than 32,767" in err
    wide = tmp_path / "wide.csv"
    wide.write_text("Email,Start Date,End Date\na@example.com,x,y" + ",z" * 1_500 + "\n")
    status, _, err, _ = validate(wide, tmp_path)
    assert status == 2 and "cell ALM2 holds a value beyond the 1,000 columns" in err
