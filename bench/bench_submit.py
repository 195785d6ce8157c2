"""Times a whole `calven-desk submit` of 5,000 rows against the sandbox, beside a one-request-per-row loop.

Run: python bench/bench_submit.py [ROWS]. The first side is the real command as a separate process:
load, validate, plan, sign in, submit in batches, journal every batch, print the JSON report. The
second is what a generic API runner does with the same rows: one POST per row over one kept-alive
connection (already signed in, so it is timed generously). Both talk to the same sandbox on
127.0.0.1 with no faults; the sandbox runs in this process's threads.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import time_submit

from calven_desk.calven.auth import Credentials
from calven_desk.calven.client import CalvenClient
from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Faults, Sandbox
from calven_desk.roster import load_roster


def write_roster(path: Path, rows: int) -> Path:
    lines = ["Email,Start Date,End Date,Leave Type,Reference"]
    lines += [
        f"person{i}@example.com,2030-0{1 + i % 9}-01,2030-0{1 + i % 9}-03,Annual,REQ-{i}"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def per_row_loop(sandbox: Sandbox, events: list[dict[str, str]]) -> float:
    with CalvenClient(sandbox.url, Credentials(DEMO_KEY_ID, DEMO_SECRET)) as client:
        client.token()
        began = time.perf_counter()
        for event in events:
            client.post_timeoff([event])
        return time.perf_counter() - began


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    sample = min(rows, 500)
    print(f"rows: {rows}")
    for latency in (0.0, 0.03):
        with (
            tempfile.TemporaryDirectory() as folder,
            Sandbox(faults=Faults(latency_seconds=latency)) as sandbox,
        ):
            roster = write_roster(Path(folder) / "roster.csv", rows)
            ours = time_submit(roster, folder, sandbox.url, "--json")
            assert len(sandbox.accepted) == rows
            events = [r.event for r in load_roster(roster).rows if r.event]
            # With latency the loop would take minutes: time `sample` rows and scale up (linear).
            measured = events if latency == 0 else events[:sample]
            per_row = per_row_loop(sandbox, measured) * len(events) / len(measured)
        where = (
            "loopback, no added latency"
            if latency == 0
            else f"{latency * 1000:.0f} ms added per request"
        )
        note = "" if latency == 0 else f" (timed on {sample} rows, scaled)"
        print(f"[{where}]")
        print(
            f"  calven-desk submit, whole process (load, validate, submit, journal): {ours:.2f} s"
        )
        print(f"  one request per row, already signed in{note}: {per_row:.2f} s")
        print(f"  ratio: {per_row / ours:.0f}x")


if __name__ == "__main__":
    main()
