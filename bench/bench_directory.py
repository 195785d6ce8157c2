"""Times `calven-desk validate --json` with and without `--directory`, on one roster, in one run.

Run: python bench/bench_directory.py [ROWS] [PEOPLE]  (default 50,000 rows, 20,000 people).
The roster is an xlsx made fresh here: most rows name a person Calven knows exactly, and one in
two hundred each has wrong capitals, a misspelt address, or a person Calven does not know. The
sandbox serves the 20,000-person list on loopback. Whole processes, taken in turns, median of five:
  * validate without the check;
  * validate --directory with the list already kept (the usual case: it is fetched once a day);
and, timed once, validate --directory's first run, which fetches the list too.
Wall-clock and CPU seconds are both printed: on a shared machine CPU time is the steadier figure.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import PYTHON

from calven_desk.calven.sandbox import ALL_PERMISSIONS, DEMO_KEY_ID, DEMO_SECRET, Sandbox

REPEAT = 5

SYLLABLES = (
    "ka",
    "ri",
    "mo",
    "le",
    "na",
    "to",
    "si",
    "ve",
    "lu",
    "da",
    "ne",
    "ro",
    "mi",
    "sa",
    "bo",
    "te",
    "li",
    "ga",
    "fe",
    "yu",
    "pa",
    "ko",
    "ze",
    "ha",
    "di",
    "ju",
    "wa",
    "ni",
)


def name(number: int, parts: int) -> str:
    """A made-up name from syllables: as varied as a large organisation's real names."""
    text = ""
    for _ in range(parts):
        number, rest = divmod(number, len(SYLLABLES))
        text += SYLLABLES[rest]
    return text.capitalize()


def people(count: int) -> list[tuple[str, str, str]]:
    """first.last@example.com as most organisations write it; a number tells namesakes apart."""
    made: list[tuple[str, str, str]] = []
    seen: dict[str, int] = {}
    for i in range(count):
        first, last = name(i * 7919 % 20011, 2 + i % 2), name(i * 104729 % 30011, 3)
        base = f"{first}.{last}"
        seen[base] = seen.get(base, 0) + 1
        local = base if seen[base] == 1 else f"{base}{seen[base]}"
        made.append((f"{local}@example.com", first, last))
    return made


def make_roster(path: Path, rows: int, known: list[tuple[str, str, str]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leave")
    sheet.append(
        ["Employee Name", "Work Email", "Leave Type", "First Day", "Last Day", "Reference"]
    )
    start = date(2030, 1, 1)
    for i in range(rows):
        email, first, last = known[i % len(known)]
        kind = i % 200
        if kind == 1:
            email = email.lower()  # wrong capitals: an error
        elif kind == 2:
            email = email[:3] + email[4] + email[3] + email[5:]  # two letters swapped: a suggestion
        elif kind == 3:
            email, first, last = f"stranger{i}@example.com", "Some", f"Stranger{i}"
        day = start + timedelta(days=(i * 7) % 900)
        sheet.append([f"{first} {last}", email, "Annual Leave", day, day, f"REQ-{i}"])
    workbook.save(path)
    return path


def run_timed(argv: list[str], ok: frozenset[int]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one whole process (CPU is steadier on a busy machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        raise SystemExit(
            f"{' '.join(argv[2:4])} failed ({done.returncode}): {done.stderr[-300:]!r}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    known = people(count)
    lines = [f"{e}, {f}, {last}" for e, f, last in known]
    with (
        tempfile.TemporaryDirectory() as folder,
        Sandbox(users=lines, role=ALL_PERMISSIONS) as sandbox,
    ):
        os.environ.update(
            CALVEN_DESK_HOME=str(Path(folder) / "home"),
            CALVEN_API_KEY=DEMO_KEY_ID,
            CALVEN_API_SECRET=DEMO_SECRET,
        )
        path = make_roster(Path(folder) / "big.xlsx", rows, known)
        plain = [PYTHON, "-m", "calven_desk", "validate", str(path), "--json"]
        checked = [*plain, "--directory", "--base-url", sandbox.url]
        run_timed(plain, frozenset({0, 1}))  # warms the file cache and compiles the modules
        first = run_timed(checked, frozenset({1}))  # fetches the list and keeps it
        # Taken in turns, so a burst of load on a shared machine hits both sides alike.
        without: list[tuple[float, float]] = []
        with_kept: list[tuple[float, float]] = []
        for _ in range(REPEAT):
            without.append(run_timed(plain, frozenset({0, 1})))
            with_kept.append(run_timed(checked, frozenset({1})))
    wall = [statistics.median(t[0] for t in side) for side in (without, with_kept)]
    cpu = [statistics.median(t[1] for t in side) for side in (without, with_kept)]
    print(f"rows: {rows}, people in Calven's list: {count}; median of {REPEAT}, wall (CPU)")
    print(f"validate --json:                          {wall[0]:.2f} s ({cpu[0]:.2f} s)")
    print(f"validate --json --directory (list kept):  {wall[1]:.2f} s ({cpu[1]:.2f} s)")
    print(
        f"  the check adds:                         {wall[1] - wall[0]:.2f} s "
        f"({cpu[1] - cpu[0]:.2f} s); target 0.5 s"
    )
    print(f"validate --json --directory, list fetched (first run of the day): {first[0]:.2f} s")


if __name__ == "__main__":
    main()
