"""The project's own test rosters, written at test time: the situations HR's real files bring.

They reproduce, cell for cell, what the team's shared rosters (`../shared/rosters`, checked
separately by tests/roster/test_shared_rosters.py) hold, so every test that needs a real-looking
roster runs in a bare clone. tests/roster/outcomes.py states what each must give.

- hr-export.xlsx: an HR system's Excel export: a merged title in row 1, a blank row 2, headers in
  row 3, Excel date cells, text dates that prove day-first (25/03/2030), serial numbers, a blank row
  inside, an invalid email, an end before its start, Withdrawn reusing an eventId, a row in the past,
  Pending, a duplicate and an empty Status.
- seed-example.csv: the example body of Calven's documentation (UTF-8, ISO dates, canonical headers).
- uk-semicolon.csv: what Excel on a UK Windows desktop saves: Windows-1252, `;`, day-first dates
  with `/` and `.`, accents (Zoë Brontë, Congé) that must arrive intact.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

HR_EXPORT_HEADER = (
    "Employee Name",
    "Work Email",
    "Leave Type",
    "Status",
    "First Day",
    "Last Day",
    "Days",
    "Reference",
)

#: Rows 4 to 14 of hr-export.xlsx; None is a blank row (row 9).
HR_EXPORT_BODY: tuple[tuple[object, ...] | None, ...] = (
    ("Ana Lima", "ana.lima@example.com", "Annual Leave", "Approved",
     datetime(2030, 3, 2), datetime(2030, 3, 6), 5, "REQ-1001"),
    ("Ben Okafor", "Ben.Okafor@example.com", "Sick", "Approved",
     datetime(2030, 3, 9), datetime(2030, 3, 9), 1, "REQ-1002"),
    ("Chen Wei", "  chen.wei@example.com ", "Parental", "Booked",
     "25/03/2030", "12/04/2030", 14, "REQ-1003"),
    ("Dara Quinn", "dara.quinn@example", "Annual Leave", "Approved",
     datetime(2030, 5, 1), datetime(2030, 5, 3), 3, "REQ-1004"),
    ("Eve Santos", "eve.santos@example.com", "Annual Leave", "Approved",
     datetime(2030, 6, 10), datetime(2030, 6, 3), 0, "REQ-1005"),
    None,
    ("Ana Lima", "ana.lima@example.com", "Annual Leave", "Withdrawn",
     datetime(2030, 3, 2), datetime(2030, 3, 6), 5, "REQ-1001"),
    ("Finn Berg", "finn.berg@example.com", "Annual Leave", "Approved",
     datetime(2019, 7, 1), datetime(2019, 7, 5), 5, "REQ-0999"),
    ("Gita Rao", "gita.rao@example.com", "Annual Leave", "Pending",
     datetime(2030, 8, 1), datetime(2030, 8, 2), 2, "REQ-1006"),
    ("Ben Okafor", "Ben.Okafor@example.com", "Sick", "Approved",
     datetime(2030, 3, 9), datetime(2030, 3, 9), 1, "REQ-1007"),
    ("Hugo Marin", "hugo.marin@example.com", "Annual Leave", None,
     47363, 47367, 5, "REQ-1008"),
)  # fmt: skip

SEED_EXAMPLE = (
    "eventId,email,eventType,startDate,endDate,timeOffType\r\n"
    "C5C69845-DD77-487E-9C6A-708581B361E9,bob@domain.com,scheduled,2024-12-30,2025-01-02,leave\r\n"
    "C5C69845-DD77-487E-9C6A-708581B361E9,mary@domain.com,cancelled,2024-11-30,2025-11-30,\r\n"
)

UK_SEMICOLON = (
    "Name;Email;Absence Type;Start Date;End Date\r\n"
    "Zoë Brontë;zoe.bronte@example.co.uk;Congé;14/02/2031;18/02/2031\r\n"
    "José Núñez;jose.nunez@example.co.uk;Maladie;03/03/2031;04/03/2031\r\n"
    "Ingrid Sørensen;ingrid.sorensen@example.co.uk;Congé;01.04.2031;30.04.2031\r\n"
)


def write_hr_export(path: Path) -> Path:
    """Write the export the way an HR system's Excel writer does: real date cells shown dd/mm/yyyy."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Leave"
    sheet["A1"] = "Approved leave export - generated 01/11/2029"
    sheet.merge_cells("A1:H1")
    sheet.append(list(HR_EXPORT_HEADER))
    sheet.move_range("A2:H2", rows=1)  # the header goes to row 3; row 2 stays blank
    for number, values in enumerate(HR_EXPORT_BODY, start=4):
        for column, value in enumerate(values or (), start=1):
            if value is None:
                continue
            written = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, datetime):
                written.number_format = "dd/mm/yyyy"
    workbook.save(path)
    return path


def write_rosters(folder: Path) -> Path:
    """Write all three rosters into `folder` (made if missing) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    write_hr_export(folder / "hr-export.xlsx")
    (folder / "seed-example.csv").write_bytes(SEED_EXAMPLE.encode("utf-8"))
    (folder / "uk-semicolon.csv").write_bytes(UK_SEMICOLON.encode("cp1252"))
    return folder
