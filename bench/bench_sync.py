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

With PostgreSQL at hand (issue 22), both are timed once more with a team memory on loopback, beside
this computer's SQLite memory in the same run: next month's submit (five rounds each, alternating,
each from a fresh memory; target within 1.3x SQLite's) and the diff against the same 50,000 events,
moved into the team's database with `memory export` and `memory import` (five rounds alternating;
target within 1.5x). PostgreSQL is a server outside the project: the script uses the superuser
address in CALVEN_DESK_BENCH_POSTGRES (or CALVEN_DESK_TEST_POSTGRES), else starts a cluster of its
own with `.ci/postgres` (Debian's postgresql package, fsync on, as SQLite's journal syncs too), else
says it skipped the team memory.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import PYTHON, make_roster_xlsx, run_once, time_submit

from calven_desk.calven.sandbox import DEMO_KEY_ID, Faults, Sandbox

LATENCY = 0.03
DIFF_ROWS = 50_000
HELD = 50_000
ROUNDS = 5
SUBMIT_ROUNDS = 5
MEMORY_URL = "https://api.calven.com"
CHECKOUT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def postgres() -> Iterator[str | None]:
    """A PostgreSQL superuser's address for the team memory's figures, or None (skipped)."""
    given = os.environ.get("CALVEN_DESK_BENCH_POSTGRES") or os.environ.get(
        "CALVEN_DESK_TEST_POSTGRES"
    )
    if given:
        yield given
        return
    script = CHECKOUT / ".ci" / "postgres"
    folder = Path(tempfile.mkdtemp(prefix="calven-bench-pg."))
    folder.chmod(0o755)
    started = subprocess.run(
        ["bash", str(script), "start", str(folder / "cluster"), str(free_port())],
        capture_output=True,
        text=True,
        env={**os.environ, "PG_FSYNC": "on"},
        check=False,
    )
    if started.returncode != 0:
        print(f"(team memory skipped: no PostgreSQL could be started: {started.stderr.strip()})")
        shutil.rmtree(folder, ignore_errors=True)
        yield None
        return
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run(["bash", str(script), "stop", str(folder / "cluster")], check=False)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def team_memory(admin: str) -> Iterator[dict[str, str]]:
    """A database and role of their own (the README's lines for IT), as a job's environment."""
    import psycopg

    suffix = secrets.token_hex(4)
    database, role, password = f"bench_memory_{suffix}", f"bench_{suffix}", secrets.token_hex(12)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        connection.execute(f"CREATE DATABASE {database}")
        connection.execute(f"REVOKE ALL ON DATABASE {database} FROM PUBLIC")
        connection.execute(f"GRANT CONNECT ON DATABASE {database} TO {role}")
    inside = admin.rsplit("/", 1)[0] + f"/{database}"
    with psycopg.connect(inside, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA calven_desk AUTHORIZATION {role}")
    host = admin.split("@", 1)[1].rsplit("/", 1)[0]
    try:
        yield {
            "CALVEN_DESK_MEMORY": f"postgresql://{role}@{host}/{database}",
            "PGPASSWORD": password,
        }
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            connection.execute(f"DROP ROLE IF EXISTS {role}")


def write_roster(path: Path, rows: int, moved: int) -> Path:
    lines = ["Email,Start Date,End Date,Leave Type,Reference"]
    for i in range(rows):
        first, last = (3, 7) if i < moved else (1, 5)
        lines.append(f"p{i}@example.com,2031-05-0{first},2031-05-0{last},Annual,REQ-{i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def next_month(
    month_1: Path, month_2: Path, home: Path, *extra: str, memory: dict[str, str] | None = None
) -> tuple[float, int, dict[str, list[str]]]:
    """Month 1 sent (not timed), then month 2 timed, to a fresh sandbox: seconds, events sent,
    and the calendar left."""
    rows = sum(1 for _ in month_1.open(encoding="utf-8")) - 1
    with set_env(memory or {}), Sandbox() as sandbox:
        time_submit(month_1, home, sandbox.url)
        before = len(sandbox.arrivals)
        sandbox.set_faults(Faults(latency_seconds=LATENCY))
        took = time_submit(month_2, home, sandbox.url, *extra)
        calendar = {f"p{i}@example.com": sandbox.away(f"p{i}@example.com") for i in range(rows)}
        sent = len(sandbox.arrivals) - before
    shutil.rmtree(home, ignore_errors=True)
    return took, sent, calendar


@contextmanager
def set_env(values: dict[str, str]) -> Iterator[None]:
    """The team memory for the processes started meanwhile (time_submit passes os.environ on)."""
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main(admin: str | None) -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    moved = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    print(f"rows: {rows}, moved: {moved}, {LATENCY * 1000:.0f} ms added per request")
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        month_1 = write_roster(base / "month-1.csv", rows, 0)
        month_2 = write_roster(base / "month-2.csv", rows, moved)
        ours = next_month(month_1, month_2, base / "ours")
        resend = next_month(month_1, month_2, base / "resend", "--resend-all")
        if ours[2] != resend[2]:
            raise SystemExit("The two sends left different calendars; the comparison is void.")
        print(
            f"  calven-desk submit (sync: only what changed):  {ours[0]:.2f} s, {ours[1]} events sent"
        )
        print(
            f"  calven-desk submit --resend-all (everything):  {resend[0]:.2f} s, {resend[1]} events sent"
        )
        print(
            f"  {resend[0] / ours[0]:.1f}x faster, {resend[1] / max(ours[1], 1):.0f}x fewer events"
        )
        if admin is None:
            return
        took: dict[str, list[float]] = {"sqlite": [], "team": []}
        for round_number in range(SUBMIT_ROUNDS):
            took["sqlite"].append(next_month(month_1, month_2, base / f"s{round_number}")[0])
            with team_memory(admin) as memory:
                team = next_month(month_1, month_2, base / f"t{round_number}", memory=memory)
            if team[2] != ours[2]:
                raise SystemExit("The team memory's send left another calendar; void.")
            took["team"].append(team[0])
    sqlite, shared = statistics.median(took["sqlite"]), statistics.median(took["team"])
    runs = {k: ", ".join(f"{x:.2f}" for x in v) for k, v in took.items()}
    print("next month's submit, memory on this computer (SQLite) and the team's (PostgreSQL):")
    print(f"  SQLite:      {sqlite:.2f} s  (runs {runs['sqlite']})")
    print(f"  PostgreSQL:  {shared:.2f} s  (runs {runs['team']})")
    verdict = "met" if shared <= 1.3 * sqlite else "NOT met"
    print(f"  {shared / sqlite:.2f}x SQLite's time; target within 1.3x: {verdict}")


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


def diff_beside_validate(rows: int, admin: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        roster = make_roster_xlsx(
            base / "big.xlsx", rows, text_dates=False, department=True, like_excel=True
        )
        held = remember_everything(roster, base / "home")
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "CALVEN_DESK_MEMORY")
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
        commands = {"diff": (diff, env), "validate": (validate, env)}
        with team_memory(admin) if admin else _nothing() as memory:
            if memory:
                exported = base / "memory.jsonl"
                run_once([PYTHON, "-m", "calven_desk", "memory", "export", str(exported)], env=env)
                team_env = {**env, **memory}
                run_once(
                    [PYTHON, "-m", "calven_desk", "memory", "import", str(exported)], env=team_env
                )
                commands["team"] = (diff, team_env)
            for argv, where in commands.values():  # warm caches
                run_once(argv, frozenset({0, 1}), where)
            took: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(ROUNDS):
                for name, (argv, where) in commands.items():
                    took[name].append(run_once(argv, frozenset({0, 1}), where)[0])
    median = {name: statistics.median(times) for name, times in took.items()}
    runs = {name: ", ".join(f"{x:.2f}" for x in times) for name, times in took.items()}
    ours, floor = median["diff"], median["validate"]
    print(f"diff of a {rows:,}-row roster against {held:,} held events, whole process:")
    print(f"  calven-desk diff --json:      {ours:.2f} s  (runs {runs['diff']})")
    print(f"  calven-desk validate --json:  {floor:.2f} s  (runs {runs['validate']})")
    verdict = "met" if ours <= floor + 0.5 else "NOT met"
    print(f"  the comparison adds {ours - floor:+.2f} s; target within 0.5 s: {verdict}")
    if "team" in median:
        team = median["team"]
        print(
            f"  calven-desk diff --json, team memory (PostgreSQL): {team:.2f} s  (runs {runs['team']})"
        )
        verdict = "met" if team <= 1.5 * ours else "NOT met"
        print(f"  {team / ours:.2f}x the SQLite memory's time; target within 1.5x: {verdict}")


@contextmanager
def _nothing() -> Iterator[dict[str, str]]:
    yield {}


if __name__ == "__main__":
    with postgres() as found:
        main(found)
        diff_beside_validate(DIFF_ROWS, found)
