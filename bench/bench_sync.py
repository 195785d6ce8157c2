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

Then `calven-desk diff` of a 50,000-row roster (DIFF_ROWS, the file bench_validate.py times) against
a memory holding every one of its events, whole process, beside `calven-desk validate --json` of the
same file: what the comparison adds to reading and checking the roster (issue 18: within 0.5 s).
The memory is written through the journal as a send records its answers. Five rounds alternating
the two, medians compared.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import PYTHON, make_roster_xlsx, run_once, time_submit

from calven_desk.calven.sandbox import DEMO_KEY_ID, Faults, Sandbox

LATENCY = 0.03
DIFF_ROWS = 50_000
HELD = 50_000
ROUNDS = 5
MEMORY_URL = "https://api.calven.com"


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


def remember_everything(roster: Path, home: Path) -> int:
    """Fill a journal in `home` as if every valid row of `roster` had been sent and accepted, with
    other rosters' leave beside it: HELD events in all."""
    os.environ["CALVEN_DESK_HOME"] = str(home)
    from calven_desk.roster import load_roster
    from calven_desk.store.journal import Answer, Journal

    check = load_roster(roster)
    events = [dict(r.sendable_event) for r in check.rows if r.sendable_event is not None]
    # The same people's other leave, sent earlier, up to HELD events: every one is looked at (its
    # person is in the roster), none falls in the roster's dates (so none is proposed to cancel).
    for i in range(HELD - len(events)):
        day = f"2034-{1 + i % 12:02d}-{1 + i % 28:02d}"
        events.append(
            {
                "eventId": f"EARLIER-{i}",
                "email": f"person{i % 9000}@example.com",
                "eventType": "scheduled",
                "startDate": day,
                "endDate": day,
                "timeOffType": "Annual Leave",
            }
        )
    with Journal() as journal:
        run = journal.start_run(
            source=str(roster),
            sheet=None,
            profile=None,
            host=MEMORY_URL,
            key_id=DEMO_KEY_ID,
            rows=[(i, e["eventId"], json.dumps(e)) for i, e in enumerate(events)],
        )
        journal.mark_sending(run, list(range(len(events))))
        journal.record_answers(
            run, [Answer(i, "accepted", 0, "", None) for i in range(len(events))]
        )
        journal.finish_run(run, "finished")
        return sum(count for _, _, count in journal.held_counts())


def diff_beside_validate(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        roster = make_roster_xlsx(
            base / "big.xlsx", rows, text_dates=False, department=True, like_excel=True
        )
        held = remember_everything(roster, base / "home")
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
        }
        env.update({"CALVEN_DESK_HOME": str(base / "home"), "CALVEN_API_KEY": DEMO_KEY_ID})
        diff = [
            PYTHON,
            "-m",
            "calven_desk",
            "diff",
            str(roster),
            "--base-url",
            MEMORY_URL,
            "--json",
        ]
        validate = [PYTHON, "-m", "calven_desk", "validate", str(roster), "--json"]
        run_once(diff, env=env), run_once(validate, frozenset({0, 1}), env)  # warm caches
        took: dict[str, list[float]] = {"diff": [], "validate": []}
        for _ in range(ROUNDS):
            took["diff"].append(run_once(diff, env=env)[0])
            took["validate"].append(run_once(validate, frozenset({0, 1}), env)[0])
    ours, floor = statistics.median(took["diff"]), statistics.median(took["validate"])
    print(f"diff of a {rows:,}-row roster against {held:,} held events, whole process:")
    print(
        f"  calven-desk diff --json:      {ours:.2f} s  (runs {', '.join(f'{x:.2f}' for x in took['diff'])})"
    )
    print(
        f"  calven-desk validate --json:  {floor:.2f} s  (runs {', '.join(f'{x:.2f}' for x in took['validate'])})"
    )
    verdict = "met" if ours <= floor + 0.5 else "NOT met"
    print(f"  the comparison adds {ours - floor:+.2f} s; target within 0.5 s: {verdict}")


if __name__ == "__main__":
    main()
    diff_beside_validate(DIFF_ROWS)
