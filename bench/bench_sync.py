"""Times next month's send of a 5,000-row roster in which 50 leaves moved: sync beside sending it all again.

Run: python bench/bench_sync.py [ROWS] [CHANGED]. Month 1 is sent first (not timed). Then month 2,
with CHANGED rows moved by two days, is sent twice to two fresh sandboxes holding month 1, each a
separate `calven-desk submit` process with 30 ms added per request (a typical internet round trip):
- ours: the default, which compares with what Calven holds and sends only the changed rows (each
  after a cancellation of the days it no longer covers);
- the alternative: `--resend-all`, every row again, as a bulk loader without memory sends it (plus
  the same cancellations, which such a loader could not know to send: without them the moved
  leaves' old days would stay booked).
Both leave the same calendar in the sandbox; the script checks that, then prints both times and how
many events each sent.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import time_submit

from calven_desk.calven.sandbox import Faults, Sandbox

LATENCY = 0.03


def write_roster(path: Path, rows: int, moved: int) -> Path:
    lines = ["Email,Start Date,End Date,Leave Type,Reference"]
    for i in range(rows):
        first, last = (3, 7) if i < moved else (1, 5)
        lines.append(f"p{i}@example.com,2031-05-0{first},2031-05-0{last},Annual,REQ-{i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    moved = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    print(f"rows: {rows}, moved: {moved}, {LATENCY * 1000:.0f} ms added per request")
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        month_1 = write_roster(base / "month-1.csv", rows, 0)
        month_2 = write_roster(base / "month-2.csv", rows, moved)
        timings: dict[str, tuple[float, int, dict[str, list[str]]]] = {}
        for name, extra in (("ours", ()), ("resend", ("--resend-all",))):
            home = base / name
            with Sandbox() as sandbox:
                time_submit(month_1, home, sandbox.url)
                before = len(sandbox.arrivals)
                sandbox.set_faults(Faults(latency_seconds=LATENCY))
                took = time_submit(month_2, home, sandbox.url, *extra)
                calendar = {
                    f"p{i}@example.com": sandbox.away(f"p{i}@example.com") for i in range(rows)
                }
                timings[name] = (took, len(sandbox.arrivals) - before, calendar)
            shutil.rmtree(home, ignore_errors=True)
    ours, resend = timings["ours"], timings["resend"]
    if ours[2] != resend[2]:
        raise SystemExit("The two sends left different calendars; the comparison is void.")
    print(
        f"  calven-desk submit (sync: only what changed):  {ours[0]:.2f} s, {ours[1]} events sent"
    )
    print(
        f"  calven-desk submit --resend-all (everything):  {resend[0]:.2f} s, {resend[1]} events sent"
    )
    print(f"  {resend[0] / ours[0]:.1f}x faster, {resend[1] / max(ours[1], 1):.0f}x fewer events")


if __name__ == "__main__":
    main()
