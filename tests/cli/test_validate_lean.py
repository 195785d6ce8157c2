"""`calven-desk validate` loads only what checking needs, and reports every row as the slower path did."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from calven_desk.cli import main
from calven_desk.cli.validate_cmd import report_json
from calven_desk.roster import Status, load_roster
from tests.cli.run import calven_desk
from tests.roster.files import write_xlsx

#: What validate must not load: the window's toolkit, the network and keyring stack, the journal's
#: database, and the xlsx writer (reading is calamine's).
HEAVY = ("PySide6", "httpx", "keyring", "openpyxl", "sqlite3", "dns")


def _roster(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "leave.xlsx",
        {
            "Leave": [
                ["Leave export"],
                [],
                ["Work Email", "Status", "First Day", "Last Day", "Leave Type", "Reference"],
                [
                    "Björn.Ek@Example.SE",
                    "Approved",
                    date(2030, 3, 2),
                    date(2030, 3, 6),
                    "Semester",
                    "R1",
                ],
                ["anna@xn--bcher-kva.example", "booked", "02/03/2030", "2030-03-04", "Urlaub", ""],
                ["joão@empresa.com.br", "", datetime(2030, 3, 2, 9, 30), 47_600, "Férias", "R3"],
                ["山田@例え.jp", "Withdrawn", date(2030, 3, 9), date(2030, 3, 8), "", "R1"],
                ["no address", "Maybe", "31/02/2030", None, True, 1001.0],
                [
                    "Björn.Ek@Example.SE",
                    "Approved",
                    date(2030, 3, 2),
                    date(2030, 3, 6),
                    "Semester",
                    "",
                ],
            ]
        },
    )


def test_validate_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    path = _roster(tmp_path)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "calven_desk", "validate", str(path), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=os.environ.copy(),
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "email_validator" in loaded and "python_calamine" in loaded  # the lines are read right
    assert sorted(m for m in loaded if m.split(".")[0] in HEAVY) == []


def test_json_report_matches_the_rows_own_verdicts(tmp_path: Path) -> None:
    """The one-pass report says for each row what the row itself says (status, event, problems)."""
    path = _roster(tmp_path)
    result = calven_desk("validate", path, "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    check = load_roster(path)
    expected = [
        {
            "row": r.row,
            "status": r.status.value,
            "event": r.sendable_event,
            "problems": [p.as_json() for p in r.problems],
        }
        for r in check.rows
    ]
    assert report["rows"] == expected
    assert report["summary"] == check.summary()
    assert report == json.loads(json.dumps(report_json(check), ensure_ascii=False))
    statuses = [r["status"] for r in report["rows"]]
    assert statuses.count(Status.INVALID.value) >= 2 and Status.WARNING.value in statuses
    events = [r["event"] for r in report["rows"]]
    assert events[0]["email"] == "Björn.Ek@Example.SE"
    assert events[1]["email"] == "anna@xn--bcher-kva.example"
    assert '"Björn.Ek@Example.SE"' in result.stdout  # written as UTF-8, not \\u escapes


def test_written_report_is_what_json_writes_for_the_report(tmp_path: Path) -> None:
    """The report written piece by piece is, byte for byte, json.dumps of the documented shape:
    quotes, backslashes, control characters and non-ASCII text escaped as json escapes them, and
    rows sharing one problem (three copies of a row) each listing it."""
    booked = ["ana@example.com", 'Annual "long" \\ leave\t', "Approved", date(2030, 5, 4)]
    path = write_xlsx(
        tmp_path / "odd.xlsx",
        {
            "Leave": [
                ["Work Email", "Leave Type", "Status", "First Day", "Last Day", "Reference"],
                [*booked, date(2030, 5, 6), "Z-1"],
                [*booked, date(2030, 5, 6), "Z-2"],
                [*booked, date(2030, 5, 6), "Z-3"],
                ["björn@例え.jp", "Férias 🌴", "", date(2030, 5, 4), date(2030, 5, 5), ""],
                ["bad address", "Sick", "Maybe", "31/02/2030", None, "Z-1"],
            ]
        },
    )
    result = calven_desk("validate", path, "--json")
    assert result.returncode == 1, result.stderr
    expected = json.dumps(report_json(load_roster(path)), ensure_ascii=False)
    assert result.stdout == expected + "\n"
    rows = json.loads(result.stdout)["rows"]
    assert [r["status"] for r in rows] == ["valid", "invalid", "invalid", "warning", "invalid"]
    assert rows[1]["problems"] == rows[2]["problems"]  # both duplicates of the first row


@pytest.mark.parametrize("count", [3000, 2001])
def test_a_long_report_is_written_whole_before_the_process_ends(tmp_path: Path, count: int) -> None:
    """validate ends its process as soon as the report is out (`end_process`): every byte of a
    report far larger than a pipe holds still arrives, with the exit status, for JSON and text.
    The JSON goes out a thousand rows at a time: a whole number of thousands, and one more."""
    people = [
        [f"person{i}@example.com", "Approved", date(2030, 1, 1 + i % 28), date(2030, 2, 1), f"R{i}"]
        for i in range(count)
    ]
    path = write_xlsx(
        tmp_path / "long.xlsx",
        {"Leave": [["Work Email", "Status", "First Day", "Last Day", "Reference"], *people]},
    )
    as_json = calven_desk("validate", path, "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert len(as_json.stdout) > 300_000 and as_json.stdout.endswith("}\n")
    assert as_json.stdout == json.dumps(report_json(load_roster(path)), ensure_ascii=False) + "\n"
    report = json.loads(as_json.stdout)
    assert report["summary"] == {
        "rows": count,
        "valid": count,
        "warning": 0,
        "invalid": 0,
        "skipped": 0,
    }
    assert [r["event"]["eventId"] for r in report["rows"]] == [f"R{i}" for i in range(count)]
    as_text = calven_desk("validate", path)
    assert as_text.returncode == 0, as_text.stderr
    assert as_text.stdout.endswith(
        f"\n{count} rows: {count} ready, 0 ready with warnings, 0 invalid (not sendable).\n"
    )


def test_validate_called_in_a_process_returns_its_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Called as a function (a script or test importing main), validate returns instead of
    ending the caller's process."""
    path = _roster(tmp_path)
    assert main(["validate", str(path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["rows"] == 6


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's always-full /dev/full")
@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
def test_a_report_that_cannot_be_written_is_one_sentence(tmp_path: Path, as_json: bool) -> None:
    """Output to a full disk ends with exit status 2 and one sentence, with no traceback (not
    from the command, nor from Python's last flush at exit)."""
    path = _roster(tmp_path)
    with open("/dev/full", "w") as full:
        done = calven_desk("validate", path, *(["--json"] if as_json else []), stdout=full)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "Calven Desk stopped: No space left on device. Check where its output goes (disk space, "
        "the file or program receiving it) and run it again."
    ]
