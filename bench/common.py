"""Helpers the benchmark scripts share: making big rosters and timing whole processes."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path


def make_roster_xlsx(path: Path, rows: int) -> Path:
    """A realistic roster: a title row, real date cells, text dates, a few bad rows, many people."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leave")
    sheet.append(["Leave export"])
    sheet.append([])
    sheet.append(
        [
            "Employee Name",
            "Work Email",
            "Leave Type",
            "Status",
            "First Day",
            "Last Day",
            "Reference",
        ]
    )
    start = date(2030, 1, 1)
    for i in range(rows):
        first = start + timedelta(days=(i * 7) % 900)
        last = first + timedelta(days=i % 5)
        email = f"person{i % 9000}@example.com" if i % 997 else "broken-address"
        first_cell: object = first if i % 3 else first.strftime("%d/%m/%Y")
        sheet.append(
            [f"Person {i}", email, "Annual Leave", "Approved", first_cell, last, f"REQ-{i}"]
        )
    workbook.save(path)
    return path


def time_process(argv: list[str], repeat: int = 3, ok: frozenset[int] = frozenset({0})) -> float:
    """Median wall-clock seconds of a whole process, start-up included (what a person waits for).

    A process that fails is not a time: it stops the benchmark with its own last words (a missing
    pandas once showed up as a "0.04 s" alternative).
    """
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        done = subprocess.run(
            argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        times.append(time.perf_counter() - began)
        if done.returncode not in ok:
            last = done.stderr.strip().splitlines()[-1:] or ["(nothing on stderr)"]
            raise SystemExit(f"{' '.join(argv[:2])} … failed ({done.returncode}): {last[0]}")
    return statistics.median(times)


PYTHON = sys.executable
