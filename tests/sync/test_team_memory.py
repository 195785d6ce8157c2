"""Several HR computers keep one Calven in step through a team memory in PostgreSQL (issue 22).

Each computer is a Calven Desk folder of its own (its journal, settings, profiles) running the
command line as a scheduled job would, all against one sandbox (the judge of what Calven shows) and
one database made with the README's lines for IT.
"""

from __future__ import annotations

import json
import random
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from calven_desk.calven.sandbox import Faults, Sandbox
from tests.sync.calendar import Row, days, roster_calendar, write_roster
from tests.sync.team import Computer, changes
from tests.sync.test_months import Team
from tests.team_db import TeamDb, team_db

__all__ = ["team_db"]


@pytest.fixture
def sandbox() -> Sandbox:
    with Sandbox() as running:
        yield running  # type: ignore[misc]


def two_computers(tmp_path: Path, team: TeamDb) -> tuple[Computer, Computer]:
    return Computer(tmp_path / "hr-pc-1", team), Computer(tmp_path / "hr-pc-2", team)


def months(tmp_path: Path, count: int) -> list[tuple[Path, list[Row]]]:
    """A team's rosters, month after month: leave moved, withdrawn, gone; people leaving, joining;
    a company closure under one Request ID."""
    team = Team(random.Random(22), [f"person{i:03d}@example.com" for i in range(40)])
    found = []
    for number in range(count):
        rows = team.month(number)
        found.append((write_roster(tmp_path / f"month-{number}.csv", rows, True), rows))
    return found


def calendar_is_the_roster(sandbox: Sandbox, rows: list[Row]) -> None:
    first = min(date.fromisoformat(r[1]) for r in rows)
    last = max(date.fromisoformat(r[2]) for r in rows)
    window = days(first.isoformat(), last.isoformat())
    for person, wanted in roster_calendar(rows).items():
        assert set(sandbox.away(person)) & window == set(wanted), person


def test_a_second_computer_knows_what_the_first_sent_and_finishes_the_next_month(
    tmp_path: Path, sandbox: Sandbox, team_db: TeamDb
) -> None:
    a, b = two_computers(tmp_path, team_db)
    (march, march_rows), (april, april_rows) = months(tmp_path, 2)

    sent = a.submit(march, sandbox.url)
    assert sent["summary"]["accepted"] == len(march_rows)
    # B never sent anything, yet knows every row is in Calven: "unchanged", none "new".
    assert changes(b.diff(march, sandbox.url)) == {"unchanged": len(march_rows)}

    # B sends April, cancelling what left the roster (which only A ever sent).
    preview = b.diff(april, sandbox.url)
    assert preview["summary"]["removed"] > 0 and preview["summary"]["unchanged"] > 0
    report = b.submit(april, sandbox.url, "--cancel-removed")
    assert report["summary"]["rejected"] == 0 and report["summary"]["not_sent"] == 0
    assert len(report["cancellations"]) >= preview["summary"]["removed"]
    calendar_is_the_roster(sandbox, april_rows)

    # A sees what B did: nothing new, changed or removed.
    after = a.diff(april, sandbox.url)
    assert after["removed"] == []
    assert set(changes(after)) <= {"unchanged", "skipped"}
    calls = sandbox.calls
    again = a.submit(april, sandbox.url, "--cancel-removed")
    assert sandbox.calls == calls and again["cancellations"] == []

    # "Already in Calven since" names who sent it, whichever computer asks.
    by = team_db.query("SELECT DISTINCT sender, machine FROM calven_desk.memory_events")
    assert by and all(sender and machine for sender, machine in by)


def test_two_computers_sending_at_once_never_interleave(
    tmp_path: Path, sandbox: Sandbox, team_db: TeamDb
) -> None:
    """A's send holds the team's claim: B waits, then is told who sends since when (exit 2),
    sending nothing; a B that waits long enough plans after A and sends only what A did not."""
    a, b = two_computers(tmp_path, team_db)
    rows: list[Row] = [
        (f"p{i:03d}@example.com", "2031-05-04", "2031-05-05", "Annual", "Approved", f"R{i}")
        for i in range(12)
    ]
    roster = write_roster(tmp_path / "march.csv", rows, True)
    a.settings(batch_size=1, parallel=1)
    b.settings(sender_wait_seconds=1)
    hold = threading.Event()
    sandbox.set_faults(Faults(hold_after_first=hold))
    first = a.start("submit", roster, "--base-url", sandbox.url)
    try:
        deadline = time.monotonic() + 60
        while sandbox.calls < 2:
            assert time.monotonic() < deadline, "A's send never got going"
            time.sleep(0.02)
        calls = sandbox.calls
        second = b.run("submit", roster, "--base-url", sandbox.url)
        assert second.returncode == 2 and sandbox.calls == calls
        sentence = second.stderr.strip()
        assert sentence.startswith(f"Another send to Calven ({sandbox.url}) is under way: ")
        assert "calven-desk submit march.csv" in sentence and f"(process {first.pid})" in sentence
        assert "\n" not in sentence and team_db.password not in sentence
        b.settings(sender_wait_seconds=120)
        waiting = b.start("submit", roster, "--base-url", sandbox.url, "--json")
        time.sleep(1.0)
        assert waiting.poll() is None and sandbox.calls == calls  # B waits; nothing left
    finally:
        hold.set()
        assert first.wait(timeout=60) == 0
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert json.loads(out)["summary"]["unchanged"] == len(rows)  # planned after A's answers
    sent = [a.event["eventId"] for a in sandbox.arrivals]
    assert sorted(sent) == sorted(r[5] for r in rows)  # each once: nothing interleaved


def test_the_database_down_is_one_sentence_and_nothing_is_sent(
    tmp_path: Path, sandbox: Sandbox, team_db: TeamDb
) -> None:
    roster = write_roster(
        tmp_path / "march.csv",
        [("anna@example.com", "2031-05-04", "2031-05-05", "Annual", "Approved", "R1")],
        True,
    )
    from tests.conftest import free_port

    down = TeamDb(
        f"postgresql://calven_desk@127.0.0.1:{free_port()}/calven_memory",
        team_db.password,
        team_db.admin,
    )
    a = Computer(tmp_path / "hr-pc-1", down)
    for command in (("diff",), ("submit",), ("submit", "--cancel-removed")):
        result = a.run(*command, roster, "--base-url", sandbox.url)
        assert result.returncode == 2, result.stdout
        sentence = result.stderr.strip()
        assert "\n" not in sentence and "Traceback" not in sentence
        assert sentence.startswith("The team memory (PostgreSQL at 127.0.0.1:")
        assert "database calven_memory) cannot be reached" in sentence
        assert team_db.password not in result.stderr + result.stdout
    assert sandbox.calls == 0

    # A wrong password: refused, in words, and the password shown nowhere.
    wrong = Computer(tmp_path / "hr-pc-2", TeamDb(team_db.url, "not-the-password", ""))
    result = wrong.run("diff", roster, "--base-url", sandbox.url)
    assert result.returncode == 2 and "refused the sign-in" in result.stderr
    assert "not-the-password" not in result.stderr
    # Nothing falls back to this computer's memory, which would call the row new.
    assert not (tmp_path / "hr-pc-2").joinpath("data").exists() or "new" not in result.stdout


def test_a_connection_cut_during_a_send_loses_no_accepted_event(
    tmp_path: Path, sandbox: Sandbox, team_db: TeamDb
) -> None:
    """pg_terminate_backend in the middle of a run: no batch leaves without the team knowing,
    and afterwards both computers know every event Calven accepted."""
    a, b = two_computers(tmp_path, team_db)
    rows: list[Row] = [
        (f"p{i:03d}@example.com", "2031-06-01", "2031-06-03", "Annual", "Approved", f"C{i}")
        for i in range(40)
    ]
    roster = write_roster(tmp_path / "june.csv", rows, True)
    a.settings(batch_size=2, parallel=1)
    sandbox.set_faults(Faults(latency_seconds=0.15))
    run = a.start("submit", roster, "--base-url", sandbox.url, "--json")
    deadline = time.monotonic() + 60
    while sandbox.calls < 4:
        assert time.monotonic() < deadline and run.poll() is None, "the send never got going"
        time.sleep(0.01)
    assert team_db.cut_sessions() >= 1
    out, err = run.communicate(timeout=120)
    report = json.loads(out)
    accepted = {r["eventId"] for r in report["rows"] if r["outcome"] == "accepted"}
    assert run.returncode == 2, err
    assert 0 < len(accepted) < len(rows)  # it stopped part-way
    in_calven = {e["eventId"] for e in sandbox.accepted}
    assert accepted == in_calven  # no batch left after the cut

    for computer in (a, b):
        found = computer.diff(roster, sandbox.url)
        unchanged = {r["eventId"] for r in found["rows"] if r["change"] == "unchanged"}
        assert unchanged == accepted
    finished = a.submit(roster, sandbox.url)
    assert finished["summary"]["accepted"] == len(rows) - len(accepted)
    assert sorted(e["eventId"] for e in sandbox.accepted) == sorted(r[5] for r in rows)


def test_a_team_starts_from_what_each_computer_knew(
    tmp_path: Path, sandbox: Sandbox, team_db: TeamDb
) -> None:
    """memory export on each computer that sent alone, import into the team memory: every
    computer of the team then knows all of it; importing again changes nothing."""
    anna = Computer(tmp_path / "anna", None)
    ben = Computer(tmp_path / "ben", None)
    newcomer = Computer(tmp_path / "new", team_db)
    first: list[Row] = [("a1@example.com", "2031-04-06", "2031-04-10", "Annual", "Approved", "A1")]
    second: list[Row] = [("b1@example.com", "2031-04-13", "2031-04-14", "Annual", "Approved", "B1")]
    both = write_roster(tmp_path / "both.csv", first + second, True)
    anna.submit(write_roster(tmp_path / "a.csv", first, True), sandbox.url)
    ben.submit(write_roster(tmp_path / "b.csv", second, True), sandbox.url)
    assert changes(newcomer.diff(both, sandbox.url)) == {"new": 2}

    for who in (anna, ben):
        exported = tmp_path / f"{who.home.name}.jsonl"
        result = who.run("memory", "export", exported)
        assert result.returncode == 0, result.stderr
        lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
        assert lines[0]["format"] == "calven-desk memory" and len(lines) == 2
        into = newcomer.run("memory", "import", exported)
        assert into.returncode == 0, into.stderr
        assert "1 added" in into.stdout
    assert changes(newcomer.diff(both, sandbox.url)) == {"unchanged": 2}
    again = newcomer.run("memory", "import", tmp_path / "anna.jsonl")
    assert "1 kept" in again.stdout and "0 added" in again.stdout

    status = json.loads(newcomer.run("memory", "status", "--json").stdout)
    team = [m for m in status["memories"] if m["kind"] == "team"]
    assert len(team) == 1 and team[0]["reachable"] and team[0]["address"] == team_db.url
    assert team[0]["connections"][0]["events"] == 2
    assert team_db.password not in json.dumps(status)
