"""The five ways the memory of what Calven holds went wrong (issue 18), each from the command line
against the sandbox on loopback, with the sandbox's calendar (what Calven shows) as the judge."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Faults, Sandbox
from calven_desk.store.settings import Settings, save_settings
from tests.cli.run import calven_desk
from tests.sync.calendar import Row, days, write_roster

ENV = {"CALVEN_API_KEY": DEMO_KEY_ID, "CALVEN_API_SECRET": DEMO_SECRET}
ANNA, BEN = "anna@example.com", "ben@example.com"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def submit(roster: Path, url: str, *more: str) -> dict[str, Any]:
    result = calven_desk("submit", roster, "--base-url", url, "--json", *more, env=ENV)
    assert result.stdout, result.stderr
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def diff(roster: Path, url: str) -> dict[str, Any]:
    result = calven_desk(
        "diff", roster, "--base-url", url, "--json", env={"CALVEN_API_KEY": DEMO_KEY_ID}
    )
    assert result.returncode == 0, result.stderr
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def test_another_persons_leave_under_the_same_request_id_is_never_cancelled(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    team_a = write_roster(
        tmp_path / "a.csv", [(ANNA, "2031-04-06", "2031-04-10", "Annual", "Approved", "R1")], True
    )
    team_b = write_roster(
        tmp_path / "b.csv", [(BEN, "2031-05-04", "2031-05-05", "Annual", "Approved", "R1")], True
    )
    assert submit(team_a, sandbox.url)["summary"]["accepted"] == 1
    found = diff(team_b, sandbox.url)
    assert [r["change"] for r in found["rows"]] == ["new"]
    assert found["removed"] == []
    report = submit(team_b, sandbox.url)
    assert report["summary"]["accepted"] == 1 and report["cancellations"] == []
    assert sandbox.away(ANNA) == sorted(days("2031-04-06", "2031-04-10"))
    assert sandbox.away(BEN) == sorted(days("2031-05-04", "2031-05-05"))
    again = submit(team_b, sandbox.url, "--cancel-removed")  # Anna is not in team B's roster
    assert again["cancellations"] == [] and sandbox.away(ANNA) == sorted(
        days("2031-04-06", "2031-04-10")
    )


def test_a_company_closure_under_one_request_id_reaches_everyone(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    people = [f"p{i:02d}@example.com" for i in range(12)]
    rows: list[Row] = [
        (p, "2031-12-24", "2031-12-26", "Closure", "Approved", "XMAS-2031") for p in people
    ]
    roster = write_roster(tmp_path / "closure.csv", rows, True)
    checked = calven_desk("validate", roster, "--json")
    assert checked.returncode == 0, checked.stdout
    report = json.loads(checked.stdout)
    assert report["summary"] == {"rows": 12, "valid": 0, "warning": 12, "invalid": 0, "skipped": 0}
    assert {p["message"] for r in report["rows"] for p in r["problems"]} == {
        "XMAS-2031 is shared by 12 people; each person's leave is kept apart."
    }
    save_settings(Settings(batch_size=100))
    sent = submit(roster, sandbox.url)
    assert sent["summary"]["accepted"] == 12
    assert all(sandbox.away(p) == sorted(days("2031-12-24", "2031-12-26")) for p in people)
    # Results are matched by eventId: no request ever held two events with one id.
    calls: dict[int, list[str]] = {}
    for arrival in sandbox.arrivals:
        calls.setdefault(arrival.call, []).append(str(arrival.event["eventId"]))
    assert len(calls) == 12 and all(len(ids) == len(set(ids)) for ids in calls.values())
    assert [r["change"] for r in diff(roster, sandbox.url)["rows"]] == ["unchanged"] * 12


def test_days_calven_kept_are_never_forgotten(tmp_path: Path, sandbox: Sandbox) -> None:
    """A leave moved from 6-10 April to 20-24 April; Calven accepts the new dates and refuses the
    cancellation of the old ones. The old days stay in the memory (diff: "moved"), and the next
    plain submit cancels them."""
    april = write_roster(
        tmp_path / "m1.csv", [(ANNA, "2031-04-06", "2031-04-10", "Annual", "Approved", "R1")], True
    )
    moved = write_roster(
        tmp_path / "m2.csv", [(ANNA, "2031-04-20", "2031-04-24", "Annual", "Approved", "R1")], True
    )
    submit(april, sandbox.url)
    sandbox.set_faults(Faults(refuse_cancellations_for=frozenset({ANNA})))
    report = submit(moved, sandbox.url)
    assert report["summary"]["accepted"] == 1
    assert [(c["reason"], c["outcome"]) for c in report["cancellations"]] == [("moved", "rejected")]
    both = sorted(days("2031-04-06", "2031-04-10") | days("2031-04-20", "2031-04-24"))
    assert sandbox.away(ANNA) == both  # Calven kept the old days

    found = diff(moved, sandbox.url)
    assert [r["change"] for r in found["rows"]] == ["changed"]
    [left] = found["removed"]
    assert (left["reason"], left["startDate"], left["endDate"], left["row"]) == (
        "moved",
        "2031-04-06",
        "2031-04-10",
        2,
    )
    assert found["summary"]["moved"] == 1 and found["summary"]["removed"] == 0
    text = calven_desk(
        "diff", moved, "--base-url", sandbox.url, env={"CALVEN_API_KEY": DEMO_KEY_ID}
    )
    assert "Row 2: old days still in Calven (R1)" in text.stdout

    sandbox.set_faults(Faults())
    again = submit(moved, sandbox.url)  # plain: no --cancel-removed needed for old days
    assert [(c["reason"], c["outcome"]) for c in again["cancellations"]] == [("moved", "accepted")]
    assert sandbox.away(ANNA) == sorted(days("2031-04-20", "2031-04-24"))
    calls = sandbox.calls
    assert submit(moved, sandbox.url)["summary"]["unchanged"] == 1 and sandbox.calls == calls


def test_a_lost_answer_is_unconfirmed_and_a_plain_submit_sends_it_again(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    roster = write_roster(
        tmp_path / "m1.csv", [(ANNA, "2031-04-06", "2031-04-10", "Annual", "Approved", "R1")], True
    )
    save_settings(Settings(max_retries=0))
    sandbox.set_faults(Faults(lose_answer_every=1))
    result = calven_desk("submit", roster, "--base-url", sandbox.url, "--json", env=ENV)
    assert result.returncode == 1, result.stderr
    lost = json.loads(result.stdout)
    assert [r["outcome"] for r in lost["rows"]] == ["unconfirmed"]
    assert "may or may not be recorded" in lost["rows"][0]["message"]
    assert sandbox.away(ANNA)  # Calven did process it
    assert [r["change"] for r in diff(roster, sandbox.url)["rows"]] == ["unconfirmed"]

    sandbox.set_faults(Faults())
    again = submit(roster, sandbox.url)  # no --resume needed
    assert [r["outcome"] for r in again["rows"]] == ["accepted"]
    assert [r["change"] for r in diff(roster, sandbox.url)["rows"]] == ["unchanged"]


def test_a_run_resumes_only_against_its_own_calven(tmp_path: Path) -> None:
    rows: list[Row] = [
        (f"p{i:03d}@example.com", "2031-05-01", "2031-05-02", "Annual", "Approved", f"R{i}")
        for i in range(60)
    ]
    roster = write_roster(tmp_path / "big.csv", rows, True)
    save_settings(Settings(batch_size=5))
    with Sandbox() as first, Sandbox() as other:
        first.set_faults(Faults(latency_seconds=0.2))
        process = subprocess.Popen(
            [sys.executable, "-m", "calven_desk", "submit", str(roster), "--base-url", first.url],
            env={**os.environ, **ENV},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while first.calls < 3:
            assert time.monotonic() < deadline, "the send never got going"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        result = calven_desk("submit", roster, "--base-url", other.url, "--resume", env=ENV)
        assert result.returncode == 2
        assert result.stderr.strip().endswith("Nothing was sent.")
        assert f"was sent to {first.url}" in result.stderr and other.url in result.stderr
        assert other.calls == 0
        # Against its own Calven it finishes, with the rows that were on their way unconfirmed
        # until answered now.
        first.set_faults(Faults())
        done = calven_desk("submit", roster, "--base-url", first.url + "/", "--resume", env=ENV)
        assert done.returncode == 0, done.stderr
        assert all(first.away(r[0]) for r in rows)


def test_one_sender_per_calven_at_a_time(tmp_path: Path, sandbox: Sandbox) -> None:
    """A second submit to the same Calven and key waits briefly, then says who is sending."""
    rows: list[Row] = [
        (f"p{i:03d}@example.com", "2031-05-01", "2031-05-02", "Annual", "Approved", f"R{i}")
        for i in range(10)
    ]
    roster = write_roster(tmp_path / "march.csv", rows, True)
    save_settings(Settings(batch_size=1, parallel=1, sender_wait_seconds=1))
    hold = threading.Event()
    sandbox.set_faults(Faults(hold_after_first=hold))
    first = subprocess.Popen(
        [sys.executable, "-m", "calven_desk", "submit", str(roster), "--base-url", sandbox.url],
        env={**os.environ, **ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while sandbox.calls < 2:
            assert time.monotonic() < deadline, "the first send never got going"
            time.sleep(0.02)
        calls = sandbox.calls
        second = calven_desk("submit", roster, "--base-url", sandbox.url, env=ENV)
        assert second.returncode == 2 and sandbox.calls == calls
        sentence = second.stderr.strip()
        assert sentence.startswith(f"Another send to Calven ({sandbox.url}) is under way: ")
        assert "calven-desk submit march.csv" in sentence and f"(process {first.pid})" in sentence
        assert sentence.endswith("Try again when it has finished.") and "\n" not in sentence
    finally:
        hold.set()
        assert first.wait(timeout=60) == 0
    assert submit(roster, sandbox.url)["summary"]["unchanged"] == 10


def test_pending_keeps_and_refused_frees_what_calven_holds(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    """Issue 24's skipped rows follow the sync: a request back to "pending" leaves the leave
    Calven holds under its person and id as it is; one "rejected" frees it, as a withdrawal does;
    a rejected request Calven never had is simply not sent."""
    first: list[Row] = [
        (ANNA, "2031-04-06", "2031-04-10", "Annual", "Approved", "R1"),
        (BEN, "2031-04-13", "2031-04-14", "Annual", "Approved", "R2"),
    ]
    submit(write_roster(tmp_path / "m1.csv", first, True), sandbox.url)
    later: list[Row] = [
        (ANNA, "2031-04-06", "2031-04-10", "Annual", "Pending", "R1"),
        (BEN, "2031-04-13", "2031-04-14", "Annual", "Rejected", "R2"),
        (BEN, "2031-05-01", "2031-05-01", "Annual", "Rejected", "R3"),
    ]
    roster = write_roster(tmp_path / "m2.csv", later, True)
    found = diff(roster, sandbox.url)
    assert [r["change"] for r in found["rows"]] == ["skipped", "changed", "skipped"]
    assert found["removed"] == [] and found["summary"]["skipped"] == 2
    text = calven_desk(
        "diff", roster, "--base-url", sandbox.url, env={"CALVEN_API_KEY": DEMO_KEY_ID}
    )
    assert text.stdout.splitlines()[-1] == (
        "0 new, 1 changed, 0 already in Calven, 0 invalid, 2 not for Calven (pending, refused or "
        "shorter than half a day), 0 no longer in the roster (submit --cancel-removed cancels "
        "those)."
    )
    report = submit(roster, sandbox.url, "--cancel-removed")
    sent = [(a.event["eventId"], a.event["eventType"]) for a in sandbox.arrivals[2:]]
    assert sent == [("R2", "cancelled")]
    assert {r["row"]: r["outcome"] for r in report["rows"]} == {
        2: "not_for_calven",
        3: "accepted",
        4: "not_for_calven",
    }
    assert sandbox.away(ANNA) == sorted(days("2031-04-06", "2031-04-10"))  # pending: kept
    assert sandbox.away(BEN) == []  # refused: freed
    calls = sandbox.calls
    assert [r["change"] for r in diff(roster, sandbox.url)["rows"]] == [
        "skipped",
        "unchanged",
        "skipped",
    ]
    submit(roster, sandbox.url, "--cancel-removed")
    assert sandbox.calls == calls
