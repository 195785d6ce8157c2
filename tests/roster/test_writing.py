"""Saved rosters and result files open safely in a spreadsheet and read back as they were written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from calven_desk.roster import read_table
from calven_desk.roster.writing import safe_cell, write_rows

DANGEROUS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_triggers_are_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_plain_values_pass() -> None:
    assert safe_cell("Annual leave") == "Annual leave"
    assert safe_cell(-5) == -5  # a number is never run as a formula
    assert safe_cell(None) is None
    # Nor is a number written as text: a Request ID -17 stays -17 (issue 19).
    assert [safe_cell(t) for t in ("-17", "+44", "-2.5")] == ["-17", "+44", "-2.5"]


def test_xlsx_cells_are_text_never_formulas(tmp_path: Path) -> None:
    """In a workbook the protection is the cell's type: text, unchanged (issue 19)."""
    path = tmp_path / "out.xlsx"
    write_rows(path, ["Email", "Message"], [["a@example.com", text] for text in DANGEROUS])
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    # Exactly as written (XML reads a bare carriage return back as a line feed).
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in DANGEROUS]


def test_csv_round_trip_keeps_accents_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_rows(path, ["Email", "Start", "Type"], [["zoë@example.com", date(2031, 2, 14), "Congé"]])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to show accents
    table = read_table(path)
    assert table.rows[0].cells == ("zoë@example.com", "2031-02-14", "Congé")


def test_xlsx_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_rows(
        path, ["Email", "Start", "End"], [["a@example.com", date(2031, 2, 14), "2031-02-15"]]
    )
    assert read_table(path).rows[0].cells == ("a@example.com", date(2031, 2, 14), "2031-02-15")


def test_unknown_suffix_and_no_partial_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"ending in \.xlsx or \.csv"):
        write_rows(tmp_path / "out.pdf", ["a"], [])
    good = tmp_path / "keep.csv"
    write_rows(good, ["Email", "Start"], [["a@example.com", "2030-01-01"]])
    before = good.read_bytes()

    class Boom(Exception):
        pass

    def rows() -> object:
        yield ["b@example.com", "2030-01-02"]
        raise Boom

    # Saving goes through store.atomic.replacing, which puts the file in place once whole.
    from calven_desk.store.atomic import replacing

    with pytest.raises(Boom), replacing(good) as temporary:
        write_rows(temporary, ["Email", "Start"], rows())  # type: ignore[arg-type]
    assert good.read_bytes() == before  # the old file survives a failed save
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]  # and no temporary is left behind
