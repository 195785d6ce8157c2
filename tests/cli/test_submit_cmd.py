"""`calven-desk submit` as IT's scheduled job runs it: a separate process against the sandbox."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Faults, Sandbox
from calven_desk.store.journal import Journal
from calven_desk.store.settings import Settings, save_settings
from tests.cli.run import calven_desk
from tests.roster.files import write_csv

ENV = {"CALVEN_API_KEY": DEMO_KEY_ID, "CALVEN_API_SECRET": DEMO_SECRET}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(
        users=["ana.lima@example.com", "chen.wei@example.com", "Ben.Okafor@example.com"]
    ) as running:
        yield running


def big_roster(path: Path, rows: int) -> Path:
    body = [["Email", "Start", "End", "Reference"]]
    body += [[f"p{i}@example.com", "2030-01-01", "2030-01-02", f"R{i}"] for i in range(rows)]
    return write_csv(path, body)


def test_hr_export_json_and_exit_status(rosters: Path, sandbox: Sandbox, tmp_path: Path) -> None:
    out = tmp_path / "results.xlsx"
    result = calven_desk(
        "submit",
        rosters / "hr-export.xlsx",
        "--base-url",
        sandbox.url,
        "--json",
        "--results",
        out,
        env=ENV,
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    outcomes = {r["row"]: (r["outcome"], r["resultCode"]) for r in report["rows"]}
    assert outcomes == {
        4: ("accepted", 0),
        5: ("accepted", 0),
        6: ("accepted", 0),
        7: ("skipped", None),
        8: ("skipped", None),
        10: ("accepted", 0),
        11: ("rejected", 2),
        12: ("not_for_calven", None),  # Pending: not for Calven since issue 24
        13: ("skipped", None),
        14: ("rejected", 2),
    }
    assert report["summary"] == {
        "rows": 10,
        "accepted": 4,
        "rejected": 2,
        "not_sent": 0,
        "unconfirmed": 0,
        "skipped": 3,
        "unchanged": 0,
        "not_for_calven": 1,
        "cancelled": 0,
    }
    sheet = load_workbook(out).active
    assert sheet is not None
    # The roster as HR has it (title above, header in row 3), with the results beside it.
    header = [c.value for c in sheet[3]]
    assert header[-4:] == ["Result", "Result code", "Message", "Sent at"]
    row4 = [c.value for c in sheet[4]]
    assert row4[-4] == "Accepted" and row4[-3] == 0 and row4[-1]
    # Calven's events arrived once each, with the documented shape.
    assert Counter(e["eventId"] for e in sandbox.accepted) == {
        "REQ-1001": 2,
        "REQ-1002": 1,
        "REQ-1003": 1,
    }


def test_all_accepted_exit_zero_and_rows_option(sandbox: Sandbox, rosters: Path) -> None:
    result = calven_desk(
        "submit",
        rosters / "hr-export.xlsx",
        "--base-url",
        sandbox.url,
        "--rows",
        "4-6,9",
        env=ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Row 9 is not in the roster" in result.stderr
    assert (
        "3 accepted, 0 rejected, 0 not sent, 0 skipped (invalid), 0 already in Calven"
        in result.stdout
    )


def test_results_cells_are_formula_safe(sandbox: Sandbox, tmp_path: Path) -> None:
    roster = write_csv(
        tmp_path / "r.csv",
        [
            ["Email", "Start", "End", "Note"],
            ["=cmd|'/c calc'!A1", "2030-01-01", "2030-01-01", "@SUM(1)"],
        ],
    )
    out = tmp_path / "out.csv"
    calven_desk("submit", roster, "--base-url", sandbox.url, "--results", out, env=ENV)
    text = out.read_text(encoding="utf-8-sig")
    assert "'=cmd" in text and "'@SUM(1)" in text


def test_a_roster_with_no_rows_is_one_sentence_and_no_run(sandbox: Sandbox, tmp_path: Path) -> None:
    """A scheduled job on a month with no leave: told so, exit 0, nothing sent or cancelled,
    even with --cancel-removed and leave already held, and no empty run in the history."""
    month = write_csv(
        tmp_path / "m1.csv",
        [["Email", "Start", "End"], ["ana.lima@example.com", "2030-01-01", "2030-01-02"]],
    )
    assert calven_desk("submit", month, "--base-url", sandbox.url, env=ENV).returncode == 0
    calls = sandbox.calls
    empty = write_csv(tmp_path / "empty.csv", [["Email", "Start", "End"]])
    result = calven_desk("submit", empty, "--base-url", sandbox.url, "--cancel-removed", env=ENV)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.strip() == (
        "empty.csv has no rows under its header (row 1): nothing was sent or cancelled."
    )
    assert sandbox.calls == calls
    assert sandbox.away("ana.lima@example.com")
    with Journal() as journal:
        assert len(journal.runs()) == 1


def test_dry_run_sends_nothing(sandbox: Sandbox, rosters: Path) -> None:
    result = calven_desk("submit", rosters / "uk-semicolon.csv", "--dry-run")
    assert result.returncode == 0 and sandbox.calls == 0
    body = json.loads(result.stdout.split("\n", 1)[1])
    assert [e["timeOffType"] for e in body["timeOffEvents"]] == ["Congé", "Maladie", "Congé"]


def test_could_not_run_is_exit_two_in_one_sentence(sandbox: Sandbox, rosters: Path) -> None:
    bad_key = calven_desk(
        "submit",
        rosters / "uk-semicolon.csv",
        "--base-url",
        sandbox.url,
        env={**ENV, "CALVEN_API_SECRET": "wrong"},
    )
    assert bad_key.returncode == 2 and "refused the API key" in bad_key.stdout
    assert "wrong" not in bad_key.stdout + bad_key.stderr
    no_creds = calven_desk("submit", rosters / "uk-semicolon.csv", "--base-url", sandbox.url)
    assert no_creds.returncode == 2 and "CALVEN_API_KEY" in no_creds.stderr
    save_settings(Settings(max_retries=1))  # keep the wait for a dead host short
    down = calven_desk(
        "submit", rosters / "uk-semicolon.csv", "--base-url", "http://127.0.0.1:9", env=ENV
    )
    assert down.returncode == 2 and "Cannot reach" in down.stdout
    for result in (bad_key, no_creds, down):
        assert "Traceback" not in result.stderr


def _start_slow_submit(roster: Path, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "calven_desk", "submit", str(roster), "--base-url", url, "--json"],
        env={**os.environ, **ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_calls(sandbox: Sandbox, calls: int) -> None:
    deadline = time.monotonic() + 60
    while sandbox.calls < calls:
        assert time.monotonic() < deadline, "the submit never got going"
        time.sleep(0.05)


@pytest.mark.parametrize("how", ["kill", "ctrl-c"])
def test_interrupted_run_resumes_without_sending_answered_rows_twice(
    tmp_path: Path, how: str
) -> None:
    roster = big_roster(tmp_path / "big.csv", 2000)
    with Sandbox(faults=Faults(latency_seconds=0.15, server_error_every=7)) as sandbox:
        process = _start_slow_submit(roster, sandbox.url)
        _wait_for_calls(sandbox, 5)
        process.send_signal(signal.SIGKILL if how == "kill" else signal.SIGINT)
        stdout, _ = process.communicate(timeout=60)
        if how == "kill":
            assert process.returncode == -signal.SIGKILL
        else:
            assert process.returncode == 130
            partial = json.loads(stdout)
            assert partial["summary"]["not_sent"] > 0
        first_arrivals = Counter(a.event["eventId"] for a in sandbox.arrivals if a.result_code == 0)
        assert 0 < len(first_arrivals) < 2000
        with Journal() as journal:
            [interrupted] = journal.interrupted_runs()
            answered_before = {
                r.event_id for r in journal.run_rows(interrupted.id) if r.state == "accepted"
            }
        sandbox.set_faults(Faults())
        resumed = calven_desk(
            "submit", roster, "--base-url", sandbox.url, "--resume", "--json", env=ENV
        )
        assert resumed.returncode == 0, resumed.stderr
        report = json.loads(resumed.stdout)
        assert report["run"] == interrupted.id
        assert report["summary"]["accepted"] == 2000
        total = Counter(a.event["eventId"] for a in sandbox.arrivals if a.result_code == 0)
        assert set(total) == {f"R{i}" for i in range(2000)}
        # Nothing that had been answered was sent again.
        assert all(total[event_id] == 1 for event_id in answered_before)
        again = calven_desk("submit", roster, "--base-url", sandbox.url, "--resume", env=ENV)
        assert again.returncode == 0 and "Nothing to resume" in again.stderr


def test_rows_not_for_calven_are_not_sent_and_are_no_failure(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """Issue 24: a pending request, a refused one and a two-hour appointment are left out of the
    run, listed with why; the run still succeeds (exit 0) when every row sent was accepted."""
    roster = tmp_path / "Abwesenheiten.csv"
    roster.write_text(
        "E-Mail;Abwesenheitstyp;Startdatum;Enddatum;Startzeit;Endzeit;Status;Antrags-ID\n"
        "ana.lima@example.com;Urlaub;02.03.2031;06.03.2031;;;genehmigt;A1\n"
        "chen.wei@example.com;Urlaub;13.03.2031;14.03.2031;;;beantragt;A2\n"
        "chen.wei@example.com;Urlaub;20.03.2031;21.03.2031;;;abgelehnt;A3\n"
        "ana.lima@example.com;Arzttermin;19.05.2031;19.05.2031;14:00;16:00;genehmigt;A4\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    result = calven_desk(
        "submit", roster, "--base-url", sandbox.url, "--json", "--results", out, env=ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert [(r["row"], r["outcome"], r["message"]) for r in report["rows"]] == [
        (2, "accepted", report["rows"][0]["message"]),
        (3, "not_for_calven", "Waiting for approval (beantragt): not sent."),
        (4, "not_for_calven", "Refused (abgelehnt): not sent."),
        (
            5,
            "not_for_calven",
            "Away from 14:00 to 16:00 on 19 May, less than half a day: not sent "
            "(Calven has whole days only).",
        ),
    ]
    assert report["summary"]["not_for_calven"] == 3 and report["summary"]["accepted"] == 1
    assert [e["eventId"] for e in sandbox.accepted] == ["A1"]
    assert "Not for Calven" in out.read_text(encoding="utf-8-sig")
    text = calven_desk("submit", roster, "--base-url", sandbox.url, "--dry-run", env=ENV)
    assert text.returncode == 0
    assert "3 not for Calven (pending, refused or shorter than half a day)" in text.stderr
    # A team that sends short absences as whole days: the appointment goes, with its warning.
    sent = calven_desk(
        "submit", roster, "--base-url", sandbox.url, "--send-short-absences", "--json", env=ENV
    )
    assert sent.returncode == 0, sent.stdout + sent.stderr
    outcomes = {r["row"]: r["outcome"] for r in json.loads(sent.stdout)["rows"]}
    assert outcomes[5] in ("accepted", "unchanged") and outcomes[3] == "not_for_calven"
    assert "A4" in {e["eventId"] for e in sandbox.accepted}
