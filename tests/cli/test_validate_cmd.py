"""`calven-desk validate` and `template` as a person or a script sees them: output and exit status."""

from __future__ import annotations

import json
from pathlib import Path

from calven_desk.roster import load_roster
from tests.cli.run import calven_desk
from tests.roster.files import write_csv


def test_json_report_shape(rosters: Path) -> None:
    result = calven_desk("validate", rosters / "hr-export.xlsx", "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {
        "file",
        "sheet",
        "header_row",
        "date_order",
        "date_order_source",
        "columns",
        "rows",
        "summary",
    }
    assert (report["sheet"], report["header_row"], report["date_order"]) == ("Leave", 3, "dmy")
    assert report["date_order_source"] == "file"  # a date such as 25/03/2030 shows the order
    assert report["columns"]["email"] == "Work Email"
    # Row 12 (Pending) is skipped since issue 24, no longer invalid.
    assert report["summary"] == {
        "rows": 10,
        "valid": 3,
        "warning": 3,
        "invalid": 3,
        "skipped": 1,
    }
    first = report["rows"][0]
    assert first == {
        "row": 4,
        "status": "valid",
        "event": {
            "eventId": "REQ-1001",
            "email": "ana.lima@example.com",
            "eventType": "scheduled",
            "startDate": "2030-03-02",
            "endDate": "2030-03-06",
            "timeOffType": "Annual Leave",
        },
        "problems": [],
    }
    invalid = next(r for r in report["rows"] if r["row"] == 7)
    assert invalid["event"] is None
    assert (
        invalid["problems"][0]["field"] == "email" and invalid["problems"][0]["severity"] == "error"
    )
    pending = next(r for r in report["rows"] if r["row"] == 12)
    assert pending == {
        "row": 12,
        "status": "skipped",
        "event": None,
        "problems": [
            {
                "field": "eventType",
                "severity": "info",
                "message": "Waiting for approval (Pending): not sent.",
            }
        ],
    }


def test_text_report_and_exit_zero(rosters: Path) -> None:
    result = calven_desk("validate", rosters / "uk-semicolon.csv")
    assert result.returncode == 0
    assert "day-first" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == (
        "3 rows: 3 ready, 0 ready with warnings, 0 invalid (not sendable)."
    )


def test_seed_has_null_date_order(rosters: Path) -> None:
    report = json.loads(calven_desk("validate", rosters / "seed-example.csv", "--json").stdout)
    assert report["date_order"] is None and report["sheet"] is None


def test_forced_mapping_and_date_order(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [["Mail", "Leave From", "Back"], ["a@example.com", "01/02/2030", "03/02/2030"]],
    )
    result = calven_desk(
        "validate",
        path,
        "--json",
        "--map",
        'startDate="Leave From"',
        "--map",
        "endDate=Back",
        "--date-order",
        "mdy",
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout
    assert report["columns"] == {"email": "Mail", "startDate": "Leave From", "endDate": "Back"}
    assert report["date_order"] == "mdy"
    assert report["rows"][0]["event"]["startDate"] == "2030-01-02"


def test_unreadable_file_exit_two_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "roster.xlsx"
    bad.write_bytes(b"not a workbook at all")
    result = calven_desk("validate", bad)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().startswith("Cannot open roster.xlsx:")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    missing = calven_desk("validate", tmp_path / "roster.csv", "--map", "startDate=Nope")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_bad_map_option(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [["Email", "Start", "End"], ["a@example.com", "2030-01-02", "2030-01-02"]],
    )
    result = calven_desk("validate", path, "--map", "startDate")
    assert result.returncode == 2 and "should look like" in result.stderr


def test_template_round_trip(tmp_path: Path) -> None:
    for name in ("blank.xlsx", "blank.csv"):
        out = tmp_path / name
        result = calven_desk("template", out)
        assert result.returncode == 0, result.stderr
        check = load_roster(out)
        assert check.mapping.missing_required() == []
        assert [r.status.value for r in check.rows] == ["valid"]
        again = calven_desk("template", out)
        assert again.returncode == 2 and "already exists" in again.stderr
