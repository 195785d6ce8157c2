"""Save as keeps HR's workbook (issue 19): the same sheets, title rows, header row, column order,
types, formats and words; only edited cells change; results after the roster's own columns, with a
reason for every row never sent. Every file is a real one written by the test and read back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from calven_desk.calven.outcomes import Outcome, RowOutcome
from calven_desk.calven.results_file import save_roster, write_results
from calven_desk.roster import OrderChoices, load_roster, read_table
from calven_desk.roster.document import RosterDocument
from calven_desk.roster.model import DateOrder
from calven_desk.roster.saving import SaveError
from tests.roster.files import write_ods, write_xls

TODAY = date(2030, 1, 1)
HEADER = ["Employee", "Work Email", "Status", "First Day", "Last Day", "Days", "Request ID"]
RESULTS = ["Result", "Result code", "Message", "Sent at"]


def hr_workbook(path: Path) -> Path:
    """An export as HR keeps it: a merged, bold title, a blank row, the header in row 3, dates as
    date cells shown dd/mm/yyyy, a formula, numbers, a text Request ID `-17`, an address starting
    with `+`, a wide column, frozen panes, a notes sheet and a hidden lookup sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Leave"
    sheet["A1"] = "Approved leave, March 2031"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:G1")
    for column, title in enumerate(HEADER, start=1):
        sheet.cell(3, column, title).font = Font(bold=True)
    rows = [
        ["Ana Lima", "ana.lima@example.com", "Approved", date(2031, 3, 2), date(2031, 3, 6)],
        ["Ben Okafor", "+ben@example.com", "Booked", date(2031, 3, 9), date(2031, 3, 9)],
        ["Eve Santos", "eve.santos@example.com", "Approved", date(2031, 6, 10), date(2031, 6, 3)],
        ["Dan Wu", "dan.wu@example", "Withdrawn", date(2031, 4, 1), date(2031, 4, 2)],
    ]
    for number, values in enumerate(rows, start=4):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(number, column, value)
            if isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
    sheet["F4"] = "=E4-D4+1"
    sheet["G4"] = "-17"
    sheet["G4"].data_type = "s"
    sheet["F5"], sheet["G5"] = 1, "R-2"
    sheet["F6"], sheet["G6"] = 0, 1001
    sheet["F7"], sheet["G7"] = 2, "R-4"
    sheet.column_dimensions["B"].width = 32
    sheet.freeze_panes = "A4"
    notes = workbook.create_sheet("Notes")
    notes["A1"], notes["B2"] = "Exported by the HR system", date(2031, 1, 1)
    lookup = workbook.create_sheet("Lookup")
    lookup["A1"] = "internal"
    lookup.sheet_state = "hidden"
    workbook.save(path)
    return path


def opened(path: Path, **options: object) -> RosterDocument:
    return RosterDocument(load_roster(path, today=TODAY, **options), today=TODAY)  # type: ignore[arg-type]


def test_save_as_keeps_hr_workbook_and_changes_only_edited_cells(tmp_path: Path) -> None:
    source = hr_workbook(tmp_path / "leave.xlsx")
    document = opened(source)
    ben, dan = 1, 3
    document.set_value(ben, "endDate", "2031-03-11")
    document.set_value(dan, "email", "dan.wu@example.com")
    answered = datetime(2031, 1, 5, 9, 30)
    document.record_results(
        [RowOutcome(4, "-17", Outcome.ACCEPTED, 0, "", answered)],
        {4: document.rows[0].check.event or {}},
    )
    out = tmp_path / "leave (checked).xlsx"
    save_roster(out, document)

    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Leave", "Notes", "Lookup"]
    assert workbook["Lookup"].sheet_state == "hidden"
    assert workbook["Notes"]["A1"].value == "Exported by the HR system"
    assert workbook["Notes"]["B2"].value == datetime(2031, 1, 1)
    sheet = workbook["Leave"]
    # The title row, merged and bold; the header in row 3 with the results after it.
    assert sheet["A1"].value == "Approved leave, March 2031" and sheet["A1"].font.b
    assert "A1:G1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[3]] == [*HEADER, *RESULTS]
    assert sheet["H3"].font.b  # styled like the header it follows
    assert sheet.column_dimensions["B"].width == 32 and sheet.freeze_panes == "A4"
    # Unedited cells: same values, same types, same formats, HR's own words.
    assert [c.value for c in sheet[4]][:5] == [
        "Ana Lima",
        "ana.lima@example.com",
        "Approved",
        datetime(2031, 3, 2),
        datetime(2031, 3, 6),
    ]
    assert sheet["D4"].is_date and sheet["D4"].number_format == "dd/mm/yyyy"
    assert sheet["F4"].value == "=E4-D4+1" and sheet["F4"].data_type == "f"  # still a formula
    assert (sheet["G4"].value, sheet["G4"].data_type) == ("-17", "s")
    assert (sheet["B5"].value, sheet["B5"].data_type) == ("+ben@example.com", "s")
    assert sheet["F5"].value == 1 and sheet["G6"].value == 1001  # numbers stay numbers
    assert [sheet[f"C{n}"].value for n in (5, 6, 7)] == ["Booked", "Approved", "Withdrawn"]
    # Edited cells: the new date as a date cell in the column's format, the new address.
    assert sheet["E5"].value == datetime(2031, 3, 11) and sheet["E5"].is_date
    assert sheet["E5"].number_format == "dd/mm/yyyy"
    assert sheet["B7"].value == "dan.wu@example.com"
    # Results: Calven's answer, or why the row was never sent.
    assert [c.value for c in sheet[4]][7:] == ["Accepted", 0, None, "2031-01-05 09:30:00"]
    assert [c.value for c in sheet[5]][7:] == ["Not sent", None, "Ready, not sent yet.", None]
    assert [c.value for c in sheet[6]][7:] == [
        "Not sent",
        None,
        "Needs fixing: The leave ends (2031-06-03) before it starts (2031-06-10).",
        None,
    ]
    # Read back by Calven Desk, Request IDs and addresses are exactly as they were.
    again = load_roster(out, today=TODAY)
    assert [r.values.get("eventId") for r in again.rows] == ["-17", "R-2", "1001", "R-4"]
    assert [r.values.get("email") for r in again.rows][:2] == [
        "ana.lima@example.com",
        "+ben@example.com",
    ]
    assert again.rows[0].event["eventId"] == "-17"  # type: ignore[index]


def test_saving_the_saved_file_again_fills_its_result_columns(tmp_path: Path) -> None:
    first = tmp_path / "first.xlsx"
    save_roster(first, opened(hr_workbook(tmp_path / "leave.xlsx")))
    second = tmp_path / "second.xlsx"
    save_roster(second, opened(first))
    assert [c.value for c in load_workbook(second)["Leave"][3]] == [*HEADER, *RESULTS]


def test_deleted_rows_leave_and_added_rows_go_below(tmp_path: Path) -> None:
    document = opened(hr_workbook(tmp_path / "leave.xlsx"))
    document.remove_rows([0])
    document.insert_row(len(document.rows))
    added = len(document.rows) - 1
    for name, text in (
        ("email", "zoe@example.com"),
        ("eventType", "Approved"),
        ("startDate", "2031-05-05"),
        ("endDate", "2031-05-06"),
        ("eventId", "R-9"),
    ):
        document.set_value(added, name, text)  # type: ignore[arg-type]
    out = tmp_path / "out.xlsx"
    save_roster(out, document)
    sheet = load_workbook(out)["Leave"]
    assert [sheet[f"A{n}"].value for n in range(4, 8)] == [
        "Ben Okafor",
        "Eve Santos",
        "Dan Wu",
        None,
    ]
    assert [c.value for c in sheet[7]][:7] == [
        None,
        "zoe@example.com",
        "Approved",
        datetime(2031, 5, 5),
        datetime(2031, 5, 6),
        None,
        "R-9",
    ]


def test_xls_and_ods_save_as_xlsx_with_the_same_content(tmp_path: Path) -> None:
    rows = [
        ["Leave export"],
        ["Email", "Status", "Start", "End", "Request ID"],
        ["a@example.com", "Approved", date(2031, 3, 2), date(2031, 3, 6), "-17"],
    ]
    for source in (
        write_xls(tmp_path / "leave.xls", rows),
        write_ods(tmp_path / "leave.ods", rows),
    ):
        out = tmp_path / f"{source.suffix[1:]}.xlsx"
        save_roster(out, opened(source))
        sheet = load_workbook(out)["Leave"]
        assert sheet["A1"].value == "Leave export"
        assert [c.value for c in sheet[2]] == [*rows[1], *RESULTS]
        assert sheet["C3"].value == datetime(2031, 3, 2) and sheet["C3"].is_date
        assert (sheet["E3"].value, sheet["E3"].data_type) == ("-17", "s")


def uk_csv(path: Path) -> Path:
    """What Excel on a UK Windows desktop saves: `;`, Windows-1252, CRLF, a title line."""
    text = (
        "Leave export;;;;;\r\n"
        "Name;Email;Status;Start Date;End Date;Request ID\r\n"
        "Zoë Brontë;zoe@example.co.uk;Approved;02/03/2031;06/03/2031;-17\r\n"
        "José Núñez;+jose@example.co.uk;Booked;09/03/2031;10/03/2031;R2\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    return path


def test_csv_keeps_its_delimiter_encoding_and_cells(tmp_path: Path) -> None:
    document = opened(uk_csv(tmp_path / "leave.csv"))
    assert document.date_order.source == "rows"  # 5 days day-first, 121 month-first
    document.set_value(1, "endDate", "2031-03-12")
    document.set_value(1, "eventId", "@R2")
    out = tmp_path / "leave (checked).csv"
    save_roster(out, document)
    lines = out.read_bytes().decode("cp1252").split("\r\n")
    assert lines == [
        "Leave export;;;;;",
        "Name;Email;Status;Start Date;End Date;Request ID;Result;Result code;Message;Sent at",
        "Zoë Brontë;zoe@example.co.uk;Approved;02/03/2031;06/03/2031;-17;"
        "Not sent;;Ready, not sent yet.;",
        # An edited date is written the way the file writes its dates; an edited text a
        # spreadsheet would run as a formula gets OWASP's apostrophe. HR's own +jose@... is left
        # as their file has it: a spreadsheet reads it as it read the file they gave.
        "José Núñez;+jose@example.co.uk;Booked;09/03/2031;12/03/2031;'@R2;"
        "Not sent;;Ready, not sent yet.;",
        "",
    ]
    # Calven Desk takes the apostrophe off again: the address and the IDs read back exactly.
    again = load_roster(out, today=TODAY, date_order=OrderChoices(DateOrder.DMY))
    assert [r.values["email"] for r in again.rows] == ["zoe@example.co.uk", "+jose@example.co.uk"]
    assert [r.values["eventId"] for r in again.rows] == ["-17", "@R2"]
    assert again.rows[1].event["endDate"] == "2031-03-12"  # type: ignore[index]


def test_csv_records_nobody_edited_keep_their_own_text(tmp_path: Path) -> None:
    """An HR system that quotes every cell, a note that spans two lines, a cell that starts like
    a formula, and no line end after the last record: every record nobody edited is written
    exactly as it was, the results after it; the one edited is written anew, quoted as the file
    quotes, with the apostrophe only on the cell that was edited."""
    source = tmp_path / "export.csv"
    source.write_bytes(
        b'"Email","Start Date","End Date","Type","Note"\n'
        b'"ann@example.com","2031-05-01","2031-05-02","Annual","back on the 3rd,\nmaybe"\n'
        b'"ben@example.com","2031-05-04","2031-05-04","Annual","=HYPERLINK(""x"")"\n'
        b'"cy@example.com","2031-05-06","2031-05-06","Annual","+1 day"'
    )
    document = opened(source)
    document.set_value(2, "timeOffType", "-Annual")
    out = tmp_path / "export (checked).csv"
    save_roster(out, document)
    assert out.read_bytes().decode("utf-8").split("\n") == [
        '"Email","Start Date","End Date","Type","Note","Result","Result code","Message","Sent at"',
        '"ann@example.com","2031-05-01","2031-05-02","Annual","back on the 3rd,',
        'maybe","Not sent","","Ready, not sent yet.",""',
        '"ben@example.com","2031-05-04","2031-05-04","Annual","=HYPERLINK(""x"")","Not sent",'
        '"","Ready, not sent yet.",""',
        '"cy@example.com","2031-05-06","2031-05-06","\'-Annual","+1 day","Not sent","",'
        '"Ready, not sent yet.",""',
        "",
    ]


def test_a_note_over_two_lines_stays_one_cell_in_every_record_written_anew(
    tmp_path: Path,
) -> None:
    """A record written anew (edited, or in `submit --results`, which writes every record) keeps
    a cell holding a line break quoted: read back, the roster has the same rows and cells."""
    source = tmp_path / "notes.csv"
    source.write_bytes(
        b"Email,Start Date,End Date,Note\n"
        b'ann@example.com,2031-05-01,2031-05-02,"back on the 3rd\nmaybe"\n'
        b"ben@example.com,2031-05-04,2031-05-04,x\n"
    )
    document = opened(source)
    document.set_value(0, "endDate", "2031-05-03")
    saved = tmp_path / "saved.csv"
    save_roster(saved, document)
    results = tmp_path / "results.csv"
    write_results(results, read_table(source), [])
    for out, end in ((saved, "2031-05-03"), (results, "2031-05-02")):
        rows = [(r.row, r.cells[:4]) for r in read_table(out).rows]
        assert rows == [
            (2, ("ann@example.com", "2031-05-01", end, "back on the 3rd\nmaybe")),
            (3, ("ben@example.com", "2031-05-04", "2031-05-04", "x")),
        ]


def test_a_character_the_csv_encoding_cannot_hold_is_one_sentence(tmp_path: Path) -> None:
    document = opened(uk_csv(tmp_path / "leave.csv"))
    document.set_value(0, "email", "łucja@example.co.uk")
    out = tmp_path / "out.csv"
    with pytest.raises(SaveError) as raised:
        save_roster(out, document)
    assert str(raised.value) == (
        "The roster cannot be saved as CSV in its own Windows-1252 encoding, which has no 'ł'; "
        "save it as .xlsx instead, or change that character."
    )
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["leave.csv"]


def test_csv_saved_as_xlsx_keeps_the_text(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    save_roster(out, opened(uk_csv(tmp_path / "leave.csv")))
    sheet = load_workbook(out).active
    assert sheet is not None and sheet.title == "leave"
    assert [c.value for c in sheet[3]][:6] == [
        "Zoë Brontë",
        "zoe@example.co.uk",
        "Approved",
        "02/03/2031",
        "06/03/2031",
        "-17",
    ]


def test_a_workbook_saved_as_csv_guards_formulas(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    save_roster(out, opened(hr_workbook(tmp_path / "leave.xlsx")))
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith('"Approved leave, March 2031",,,,,,\n,,,,,,\nEmployee,')
    assert "Ben Okafor,'+ben@example.com,Booked,2031-03-09,2031-03-09,1,R-2," in text
    assert ",-17,Not sent" in text


def test_results_for_submit_keep_the_workbook_and_say_why_a_row_was_left_out(
    tmp_path: Path,
) -> None:
    source = hr_workbook(tmp_path / "leave.xlsx")
    table = read_table(source)
    out = tmp_path / "results.xlsx"
    write_results(out, table, [RowOutcome(5, "R-2", Outcome.REJECTED, 2, "Unknown user")])
    sheet = load_workbook(out)["Leave"]
    assert [c.value for c in sheet[3]] == [*HEADER, *RESULTS]
    assert [c.value for c in sheet[5]][7:] == ["Rejected", 2, "Unknown user", None]
    assert [c.value for c in sheet[4]][7:] == ["Not sent", None, "Not part of this run.", None]


def test_a_save_that_fails_leaves_the_file_that_was_there(tmp_path: Path) -> None:
    """Built whole in memory, then written in one step (store/atomic.py): no half-written file."""
    document = opened(uk_csv(tmp_path / "leave.csv"))
    out = tmp_path / "out.csv"
    out.write_bytes(b"the copy saved yesterday")
    document.set_value(0, "email", "\u0142ucja@example.co.uk")
    with pytest.raises(SaveError):
        save_roster(out, document)
    assert out.read_bytes() == b"the copy saved yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leave.csv", "out.csv"]


def test_skipped_rows_say_why_and_part_of_day_cells_stay_as_the_file_has_them(
    tmp_path: Path,
) -> None:
    """Issue 24: a pending request's Result says it is not for Calven and why; the half-day, time
    and amount columns (read, never sent) keep their numbers and times unless edited."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Abwesenheiten"
    sheet.append(["E-Mail", "Status", "Startdatum", "Enddatum", "Tage", "Startzeit"])
    sheet.append(["a@example.de", "beantragt", date(2031, 5, 19), date(2031, 5, 19), 1, None])
    sheet.append(["b@example.de", "genehmigt", date(2031, 5, 20), date(2031, 5, 20), 0.5, None])
    sheet.append(["c@example.de", "genehmigt", date(2031, 5, 21), date(2031, 5, 21), 1, None])
    source = tmp_path / "Abwesenheiten.xlsx"
    workbook.save(source)
    document = opened(source)
    assert [r.check.status.value for r in document.rows] == ["skipped", "warning", "valid"]
    document.set_value(2, "days", "0,5")  # edited: half a day now
    out = tmp_path / "saved.xlsx"
    save_roster(out, document)
    saved = load_workbook(out)["Abwesenheiten"]
    rows = [[c.value for c in row] for row in saved.iter_rows(min_row=2)]
    assert rows[0][4] == 1 and rows[1][4] == 0.5  # numbers stay numbers
    assert rows[2][4] == "0,5"  # as typed
    assert rows[0][6:9] == ["Not for Calven", None, "Waiting for approval (beantragt): not sent."]
    assert rows[1][6] == "Not sent" and "Half a day on 20 May" in rows[1][8]
