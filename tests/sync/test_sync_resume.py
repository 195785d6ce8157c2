"""A sync send killed midway (SIGKILL) and finished with --resume: the calendar still matches the roster."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Faults, Sandbox
from calven_desk.store.journal import Journal
from calven_desk.store.settings import Settings, save_settings
from tests.cli.run import calven_desk
from tests.sync.calendar import Row, roster_calendar, write_roster

ENV = {"CALVEN_API_KEY": DEMO_KEY_ID, "CALVEN_API_SECRET": DEMO_SECRET}
PEOPLE = [f"person{i:03d}@example.com" for i in range(120)]


def month(first: str, last: str) -> list[Row]:
    return [(p, first, last, "Annual", "Approved", f"REQ-{i}") for i, p in enumerate(PEOPLE)]


def test_killed_sync_send_resumes_to_the_roster_calendar(tmp_path: Path) -> None:
    save_settings(Settings(batch_size=10))
    month_1 = month("2031-05-01", "2031-05-05")
    month_2 = month("2031-05-03", "2031-05-09")  # every leave moved: 2 days freed, 4 added each
    with Sandbox() as sandbox:
        first = calven_desk(
            "submit",
            write_roster(tmp_path / "m1.csv", month_1, True),
            "--base-url",
            sandbox.url,
            env=ENV,
        )
        assert first.returncode == 0, first.stdout + first.stderr
        roster = write_roster(tmp_path / "m2.csv", month_2, True)
        sandbox.set_faults(Faults(latency_seconds=0.2))
        calls = sandbox.calls
        process = subprocess.Popen(
            [sys.executable, "-m", "calven_desk", "submit", str(roster), "--base-url", sandbox.url],
            env={**os.environ, **ENV},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while sandbox.calls < calls + 6:
            assert time.monotonic() < deadline, "the send never got going"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
        with Journal() as journal:
            [interrupted] = journal.interrupted_runs()
            left = journal.unanswered(interrupted.id)
        # Killed midway: some cancellations and new versions went, others never did.
        assert 0 < len(left) < 2 * len(PEOPLE)
        assert any(r.retracts is not None for r in left)

        sandbox.set_faults(Faults())
        resumed = calven_desk(
            "submit", roster, "--base-url", sandbox.url, "--resume", "--json", env=ENV
        )
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        report = json.loads(resumed.stdout)
        assert report["run"] == interrupted.id
        assert report["summary"]["accepted"] == len(PEOPLE)
        assert report["summary"]["cancelled"] == len(PEOPLE)
        assert {(c["retracts"], c["startDate"], c["endDate"]) for c in report["cancellations"]} == {
            (f"REQ-{i}", "2031-05-01", "2031-05-02") for i in range(len(PEOPLE))
        }
        expected = roster_calendar(month_2)
        assert {p: sandbox.away(p) for p in PEOPLE} == expected

        # What Calven holds is remembered across the kill: the roster is now all unchanged.
        calls = sandbox.calls
        again = calven_desk("submit", roster, "--base-url", sandbox.url, "--json", env=ENV)
        assert again.returncode == 0 and sandbox.calls == calls
        assert json.loads(again.stdout)["summary"]["unchanged"] == len(PEOPLE)
