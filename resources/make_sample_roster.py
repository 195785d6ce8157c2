"""Writes resources/sample-roster.xlsx: the roster "Try it with the sandbox" opens.

Run: python resources/make_sample_roster.py. It looks like a real HR export (a title, a blank line,
HR column names, Excel dates and text dates) and shows every kind of row: ready, warnings, rows to
fix, and two people the sandbox does not know (see sample-users.txt).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent

ROWS = [
    (
        "Ana Lima",
        "ana.lima@example.com",
        "Annual Leave",
        "Approved",
        date(2030, 3, 2),
        date(2030, 3, 6),
        "SAMPLE-1",
    ),
    (
        "Ben Okafor",
        "Ben.Okafor@example.com",
        "Sick",
        "Approved",
        date(2030, 3, 9),
        date(2030, 3, 9),
        "SAMPLE-2",
    ),
    (
        "Chen Wei",
        "chen.wei@example.com",
        "Parental",
        "Booked",
        "25/03/2030",
        "12/04/2030",
        "SAMPLE-3",
    ),
    (
        "Dara Quinn",
        "dara.quinn@example",
        "Annual Leave",
        "Approved",
        date(2030, 5, 1),
        date(2030, 5, 3),
        "SAMPLE-4",
    ),
    (
        "Eve Santos",
        "eve.santos@example.com",
        "Annual Leave",
        "Approved",
        date(2030, 6, 10),
        date(2030, 6, 3),
        "SAMPLE-5",
    ),
    (
        "Ana Lima",
        "ana.lima@example.com",
        "Annual Leave",
        "Withdrawn",
        date(2030, 3, 2),
        date(2030, 3, 6),
        "SAMPLE-1",
    ),
    (
        "Finn Berg",
        "finn.berg@example.com",
        "Annual Leave",
        "Approved",
        date(2030, 7, 1),
        date(2030, 7, 5),
        "SAMPLE-6",
    ),
    (
        "Gita Rao",
        "gita.rao@example.com",
        "Training",
        "",
        date(2030, 8, 1),
        date(2030, 8, 2),
        "SAMPLE-7",
    ),
    (
        "Hugo Marin",
        "hugo.marin@example.com",
        "Annual Leave",
        "Approved",
        date(2030, 9, 2),
        date(2030, 9, 6),
        "SAMPLE-8",
    ),
    (
        "Ines Costa",
        "ines.costa@example.com",
        "Annual Leave",
        "Approved",
        date(2030, 10, 5),
        date(2030, 10, 9),
        "SAMPLE-9",
    ),
]
#: People the sandbox knows; Finn Berg and Ines Costa are left out on purpose (result code 2).
USERS = [
    "ana.lima@example.com",
    "Ben.Okafor@example.com",
    "chen.wei@example.com",
    "eve.santos@example.com",
    "gita.rao@example.com",
    "hugo.marin@example.com",
    "dara.quinn@example.com",
]


def main() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Leave"
    sheet.append(["Approved leave export (sample)"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(
        [
            "Employee Name",
            "Work Email",
            "Leave Type",
            "Status",
            "First Day",
            "Last Day",
            "Reference",
        ]
    )
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=4, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "dd/mm/yyyy"
    workbook.save(HERE / "sample-roster.xlsx")
    (HERE / "sample-users.txt").write_text("\n".join(USERS) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
