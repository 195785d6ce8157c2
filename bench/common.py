"""Helpers the benchmark scripts share: making big rosters and timing whole processes."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET


def make_roster_xlsx(
    path: Path,
    rows: int,
    *,
    text_dates: bool = True,
    department: bool = False,
    like_excel: bool = False,
) -> Path:
    """A realistic roster: a title row, real date cells, text dates, a few bad rows, many people.

    `text_dates=False` makes every date an Excel date cell; `department=True` adds an eighth column
    that is kept but never sent (the shape of the 50,000-row file issue 9 measured); `like_excel`
    stores the text as Excel does (see `store_text_like_excel`).
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leave")
    sheet.append(["Leave export"])
    sheet.append([])
    headers = [
        "Employee Name",
        "Work Email",
        "Leave Type",
        "Status",
        "First Day",
        "Last Day",
        "Reference",
    ]
    sheet.append([*headers, "Department"] if department else headers)
    start = date(2030, 1, 1)
    teams = ("Finance", "Sales", "Support", "Engineering", "People")
    for i in range(rows):
        first = start + timedelta(days=(i * 7) % 900)
        last = first + timedelta(days=i % 5)
        email = f"person{i % 9000}@example.com" if i % 997 else "broken-address"
        first_cell: object = first if i % 3 or not text_dates else first.strftime("%d/%m/%Y")
        cells = [f"Person {i}", email, "Annual Leave", "Approved", first_cell, last, f"REQ-{i}"]
        sheet.append([*cells, teams[i % 5]] if department else cells)
    workbook.save(path)
    if like_excel:
        store_text_like_excel(path)
    return path


_INLINE = re.compile(
    r'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>'
)


def store_text_like_excel(path: Path) -> None:
    """Rewrite an openpyxl workbook's sheet as Excel saves one: text in a shared-string table, and
    the sheet's dimension stated.

    openpyxl writes every text cell inline (`<is><t>…</t></is>`), which Excel and LibreOffice never
    do, and which openpyxl itself reads three times slower than shared strings; timing pandas on
    such a file measured that, not what a person's file costs it (issue 9's 4.39 s against 12.5 s).
    """
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet_name = "xl/worksheets/sheet1.xml"
    strings: dict[str, int] = {}
    uses = 0

    def shared(match: re.Match[str]) -> str:
        nonlocal uses
        uses += 1
        index = strings.setdefault(match.group(3), len(strings))
        return f'<c r="{match.group(1)}"{match.group(2) or ""} t="s"><v>{index}</v></c>'

    sheet = _INLINE.sub(shared, parts[sheet_name].decode())
    cells = re.findall(r'<c r="([A-Z]+)(\d+)"', sheet)
    last_column = max((c for c, _ in cells), key=lambda c: (len(c), c))
    last_row = max(int(r) for _, r in cells)
    sheet = re.sub(
        r"(<sheetViews>)", f'<dimension ref="A1:{last_column}{last_row}" />\\1', sheet, count=1
    )
    parts[sheet_name] = sheet.encode()
    table = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{uses}" uniqueCount="{len(strings)}">{table}</sst>'
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ).encode()
    links = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = links.replace(
        "</Relationships>",
        '<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def run_once(
    argv: list[str], ok: frozenset[int] = frozenset({0}), env: Mapping[str, str] | None = None
) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one whole process, start-up included (what
    a person waits for).

    A process that fails is not a time: it stops the benchmark with its own last words (a missing
    pandas once showed up as a "0.04 s" alternative).
    """
    before, began = os.times(), time.perf_counter()
    done = subprocess.run(
        argv,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=None if env is None else dict(env),
    )
    wall, after = time.perf_counter() - began, os.times()
    if done.returncode not in ok:
        last = done.stderr.strip().splitlines()[-1:] or ["(nothing on stderr)"]
        raise SystemExit(f"{' '.join(argv[:3])} … failed ({done.returncode}): {last[0]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def time_process(
    argv: list[str],
    repeat: int = 3,
    ok: frozenset[int] = frozenset({0}),
    env: Mapping[str, str] | None = None,
) -> float:
    """Median wall-clock seconds of `repeat` runs of a whole process (`run_once`)."""
    return statistics.median(run_once(argv, ok, env)[0] for _ in range(repeat))


def time_submit(roster: Path, home: Path | str, base_url: str, *extra: str) -> float:
    """Seconds of one whole `calven-desk submit` to `base_url` with the sandbox's demo key,
    keeping its journal in `home` (so a second month's run sees the first's)."""
    env = {
        **os.environ,
        "CALVEN_DESK_HOME": str(home),
        "CALVEN_API_KEY": DEMO_KEY_ID,
        "CALVEN_API_SECRET": DEMO_SECRET,
    }
    argv = [PYTHON, "-m", "calven_desk", "submit", str(roster), "--base-url", base_url, *extra]
    return time_process(argv, repeat=1, env=env)


PYTHON = sys.executable
