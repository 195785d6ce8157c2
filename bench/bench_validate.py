"""Times `calven-desk validate --json` on a 50,000-row xlsx against pandas' openpyxl read of the same file.

Run: python bench/bench_validate.py [ROWS] (pandas comes with `pip install -e ".[bench]"`).
The file is made fresh (`common.make_roster_xlsx`): 8 columns (name, email, leave type, status,
first and last day, reference, department), every date an Excel date cell, text stored as Excel
stores it, a few bad addresses. Both sides are whole processes (interpreter start-up included), as
a person or a scheduled job runs them: ours is the full command (read, map, check every row, write
the JSON report), pandas only reads the file, as `pandas.read_excel(FILE, engine="openpyxl")`.
One untimed run of each first (so neither pays for compiling its .pyc files or a cold disk cache),
then five rounds alternating the two, so a busy moment on a shared machine falls on both; the
median of each is compared; beside them, calamine reading the sheet alone (the floor, start-up
included), a gauge of how fast the machine is in this sitting. CPU seconds (user + system) are
printed beside the wall-clock times, being less disturbed by other work on the machine.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, make_roster_xlsx, run_once

#: Five, not three: this shared machine's speed drifts by a third within minutes, and one slow run
#: among three moves the median.
ROUNDS = 5
#: Bytecode is cached as an installed package has it (pip compiles it at install): an environment
#: that forbids writing .pyc files would make our side compile its modules on every run, while
#: pandas' come precompiled from its wheel. Output is buffered, as a job's is unless a shell or CI
#: image says otherwise.
ENV = {
    k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
}


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        path = make_roster_xlsx(
            Path(folder) / "big.xlsx", rows, text_dates=False, department=True, like_excel=True
        )
        # validate exits 1 when some rows need fixing, as the generated roster's do on purpose.
        ours_argv = [PYTHON, "-m", "calven_desk", "validate", str(path), "--json"]
        pandas_argv = [
            PYTHON,
            "-c",
            f"import pandas; pandas.read_excel({str(path)!r}, engine='openpyxl')",
        ]
        # The floor: calamine's read alone, as ours reads the file (issue 9 measured it at 0.36 s
        # on its machine), printed so a sitting on a slower or faster moment can be told apart.
        floor_argv = [
            PYTHON,
            "-c",
            "import python_calamine as c; w = c.CalamineWorkbook.from_path("
            f"{str(path)!r}); w.get_sheet_by_index(0).to_python(skip_empty_area=False)",
        ]
        run_once(ours_argv, frozenset({0, 1}), ENV)
        run_once(pandas_argv, env=ENV)
        ours: list[tuple[float, float]] = []
        pandas: list[tuple[float, float]] = []
        floor: list[tuple[float, float]] = []
        for _ in range(ROUNDS):
            ours.append(run_once(ours_argv, frozenset({0, 1}), ENV))
            pandas.append(run_once(pandas_argv, env=ENV))
            floor.append(run_once(floor_argv, env=ENV))
    ours_wall = statistics.median(w for w, _ in ours)
    pandas_wall = statistics.median(w for w, _ in pandas)
    ours_cpu = statistics.median(c for _, c in ours)
    pandas_cpu = statistics.median(c for _, c in pandas)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, load average before the "
        f"end {load}"
    )
    print(
        f"Python {platform.python_version()}, pandas {version('pandas')}, openpyxl "
        f"{version('openpyxl')}, python-calamine {version('python-calamine')}, "
        f"email-validator {version('email-validator')}"
    )
    print(f"rows: {rows} (8 columns, dates as Excel date cells); median of {ROUNDS}, whole process")
    print(
        f"calven-desk validate --json (read, map, check, JSON out): {ours_wall:.2f} s "
        f"(CPU {ours_cpu:.2f} s; each run: {', '.join(f'{w:.2f}' for w, _ in ours)})"
    )
    print(
        f"pandas.read_excel(engine='openpyxl') (read only):        {pandas_wall:.2f} s "
        f"(CPU {pandas_cpu:.2f} s; each run: {', '.join(f'{w:.2f}' for w, _ in pandas)})"
    )
    print(
        f"floor: python-calamine reading the sheet alone:           "
        f"{statistics.median(w for w, _ in floor):.2f} s (whole process)"
    )
    print(
        f"ratio: validate is {pandas_wall / ours_wall:.1f}x faster "
        f"({pandas_cpu / ours_cpu:.1f}x in CPU time)"
    )


if __name__ == "__main__":
    main()
