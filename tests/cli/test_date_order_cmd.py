"""The command line never guesses which way round dates go (issue 19): --date-order, else the
settings, else the rows' evidence; with none, exit 2 and one sentence naming --date-order. The plain
C locale of a server is no regional setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calven_desk.roster import shape_key
from calven_desk.store.settings import Settings, save_settings
from tests.cli.run import calven_desk
from tests.roster.files import write_csv

HEADER = ["Email", "Leave Type", "Status", "Start Date", "End Date"]
#: A server's plain locale: Python's own locale module calls C.UTF-8 "en_US" (month-first).
C_LOCALE = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_TIME": ""}


def roster(tmp_path: Path, *spans: tuple[str, str]) -> Path:
    rows = [
        [f"p{i}@example.com", "Annual Leave", "Approved", *span] for i, span in enumerate(spans)
    ]
    return write_csv(tmp_path / "leave.csv", [HEADER, *rows])


@pytest.mark.parametrize("command", ["validate", "diff", "timeline"])
def test_nothing_tells_the_order_exit_two_naming_the_option(tmp_path: Path, command: str) -> None:
    path = roster(tmp_path, ("01/02/2031", "02/02/2031"))
    extra = ["--png", str(tmp_path / "t.png")] if command == "timeline" else []
    result = calven_desk(command, path, *extra, env=C_LOCALE)
    assert result.returncode == 2 and result.stdout == ""
    message = result.stderr.strip()
    assert message == (
        "Cannot tell whether the dates in leave.csv are day-first or month-first (row 2: "
        "01/02/2031 to 02/02/2031 could be 1 Feb \u2013 2 Feb 2031, 2 days or "
        "2 Jan \u2013 2 Feb 2031, 32 days); run again with --date-order dmy (day-first) or "
        "--date-order mdy (month-first)."
    )


def test_submit_stops_before_sending_anything(tmp_path: Path) -> None:
    path = roster(tmp_path, ("01/02/2031", "02/02/2031"))
    result = calven_desk(
        "submit",
        path,
        "--base-url",
        "http://127.0.0.1:9",  # nothing listens: the command must stop before any request
        env={**C_LOCALE, "CALVEN_API_KEY": "k", "CALVEN_API_SECRET": "s"},
    )
    assert result.returncode == 2 and "--date-order" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_option_decides(tmp_path: Path) -> None:
    path = roster(tmp_path, ("01/02/2031", "02/02/2031"))
    result = calven_desk("validate", path, "--json", "--date-order", "mdy", env=C_LOCALE)
    report = json.loads(result.stdout)
    assert (report["date_order"], report["date_order_source"]) == ("mdy", "option")
    assert report["rows"][0]["event"]["startDate"] == "2031-01-02"


def test_the_rows_decide_and_the_summary_says_why(tmp_path: Path) -> None:
    """The issue's file: 02/03/2031 to 06/03/2031 was read as 121 days of leave, "Ready"."""
    path = roster(tmp_path, ("02/03/2031", "06/03/2031"), ("12/03/2031", "02/04/2031"))
    text = calven_desk("validate", path, env=C_LOCALE)
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[-2:] == [
        "Dates read day-first (31/12/2030): read month-first, row 3 (12/03/2031 to 02/04/2031) "
        "would end before it starts.",
        "2 rows: 2 ready, 0 ready with warnings, 0 invalid (not sendable).",
    ]
    report = json.loads(calven_desk("validate", path, "--json", env=C_LOCALE).stdout)
    assert (report["date_order"], report["date_order_source"]) == ("dmy", "rows")
    assert [(r["event"]["startDate"], r["event"]["endDate"]) for r in report["rows"]] == [
        ("2031-03-02", "2031-03-06"),
        ("2031-03-12", "2031-04-02"),
    ]


def test_the_settings_decide_before_the_rows(tmp_path: Path) -> None:
    """The order chosen in the window for files with these columns, then the one in Settings."""
    path = roster(tmp_path, ("02/03/2031", "06/03/2031"))
    save_settings(Settings(date_order="mdy"))
    report = json.loads(calven_desk("validate", path, "--json", env=C_LOCALE).stdout)
    assert (report["date_order"], report["date_order_source"]) == ("mdy", "configured")
    # Read month-first that row is 121 days: a warning whatever decided the order.
    assert report["rows"][0]["problems"] == [
        {
            "field": "endDate",
            "severity": "warning",
            "message": "121 days of Annual Leave: check the dates.",
        }
    ]
    save_settings(Settings(date_order="mdy", date_orders={shape_key(HEADER): "dmy"}))
    report = json.loads(calven_desk("validate", path, "--json", env=C_LOCALE).stdout)
    assert (report["date_order"], report["date_order_source"]) == ("dmy", "remembered")
    text = calven_desk("validate", path, env=C_LOCALE).stdout
    assert "as chosen before for files with these columns" in text
