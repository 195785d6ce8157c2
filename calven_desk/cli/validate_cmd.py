"""`calven-desk validate`: check a roster and report every problem, as text or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from json.encoder import encode_basestring as escape
from typing import Any, TextIO

from calven_desk.cli import end_process
from calven_desk.cli.directory_options import (
    DirectoryOutcome,
    add_directory_flag,
    add_where_options,
    check_directory,
    text_lines,
)
from calven_desk.cli.options import UsageProblem, add_roster_options, load_from_args
from calven_desk.roster import LABELS, RosterCheck, Status
from calven_desk.roster.check import bulk_allocation
from calven_desk.roster.model import Problem

#: Rows written to the output at a time by `write_json`.
WRITE_ROWS = 1000


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a roster without sending anything",
        description="Check every row of a roster and list what is wrong. Exit status: 0 when no row "
        "is invalid, 1 when some are, 2 when the file cannot be read.",
    )
    add_roster_options(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    add_directory_flag(parser)
    add_where_options(parser)
    parser.set_defaults(func=run)


#: The statuses `validate --json` counts, in its summary's order.
STATUSES = ("valid", "warning", "invalid", "skipped")


def report_json(check: RosterCheck) -> dict[str, Any]:
    """The documented `validate --json` shape; `event` is what would be sent, null for invalid and
    skipped rows (pending, refused, shorter than half a day: an `info` problem says which).

    `write_json` writes the same text faster; this shape is what it is held to (tests). Built in
    one pass over the rows (status and summary counted together), and each distinct problem
    turned into its JSON object once: a roster repeats the same few problems many times.
    """
    counts = dict.fromkeys(STATUSES, 0)
    as_json: dict[int, dict[str, str | None]] = {}
    rows: list[dict[str, Any]] = []
    for r in check.rows:
        problems: list[dict[str, str | None]] = []
        status = "valid"
        # r.problems, not its parts: whatever kinds of problem a row holds, all are reported.
        for problem in r.problems:
            shown = as_json.get(id(problem))
            if shown is None:
                shown = as_json[id(problem)] = problem.as_json()
            problems.append(shown)
            if problem.severity == "error":
                status = "invalid"
            elif status == "valid":
                status = "warning"
        if r.skip is not None:
            status = "skipped"
        counts[status] += 1
        rows.append(
            {
                "row": r.row,
                "status": status,
                "event": None if status in ("invalid", "skipped") else r.event,
                "problems": problems,
            }
        )
    return {**_head(check), "rows": rows, "summary": {"rows": len(rows), **counts}}


def _head(check: RosterCheck) -> dict[str, Any]:
    """The report's keys before "rows": which file, sheet, header row, date order and columns."""
    table = check.table
    return {
        "file": str(table.file),
        "sheet": table.sheet,
        "header_row": table.header_row,
        "date_order": check.date_order.order.value if check.date_order.mattered else None,
        "date_order_source": check.date_order.source if check.date_order.mattered else None,
        "columns": check.mapping.as_json(),
    }


def write_json(out: TextIO, check: RosterCheck, directory: DirectoryOutcome | None = None) -> bool:
    """Write `add_to_report(report_json(check), directory)` to `out` as `json.dumps` writes it
    (and a newline); whether some row is invalid.

    Written piece by piece rather than built as a dict and dumped: on bench/bench_validate.py's
    50,000 rows that takes 0.11 s instead of 0.19 s. Rows repeat the same few lists of problems (the same bad address,
    the duplicate of the same row), so each distinct list is written once and reused; a row's own
    text is then one format, and a sendable row's event a join of its escaped strings. Rows go
    out a thousand at a time: the whole report as one text (then encoded whole) would need three
    copies of ten megabytes at once, each new page of which the system must hand over.
    """
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    # What each distinct list of problems reads as, keyed by the problems' ids: every problem
    # stays alive in its row meanwhile, so no id can be reused by another object.
    written: dict[tuple[int, ...], tuple[str, str]] = {}
    names = directory.names if directory is not None else {}
    counts = dict.fromkeys(STATUSES, 0)
    out.write(f'{encode(_head(check))[:-1]}, "rows": [')
    rows: list[str] = []
    separator = ""  # before each thousand rows but the first
    for r in check.rows:
        # r.problems, not its parts: whatever kinds of problem a row holds, all are reported.
        problems = r.problems
        if problems:
            key = tuple(map(id, problems))
            known = written.get(key)
            if known is None:
                shown = ", ".join([_strings_json(p.as_json()) for p in problems])
                known = written[key] = (_status(problems), f"[{shown}]")
            status, shown = known
        else:
            status, shown = "valid", "[]"
        if r.skip is not None:
            status = "skipped"
        counts[status] += 1
        sent = None if status in ("invalid", "skipped") else r.event
        event = "null" if sent is None else _strings_json(sent)
        # A row sent by uid that Calven's list knows names the person (`add_to_report`).
        person = (
            f', "person": {escape(names[r.row])}'
            if sent is not None and "uid" in sent and r.row in names
            else ""
        )
        rows.append(
            f'{{"row": {r.row}, "status": "{status}", "event": {event}, "problems": {shown}{person}}}'
        )
        if len(rows) == WRITE_ROWS:
            out.write(separator + ", ".join(rows))
            separator = ", "
            rows.clear()
    if rows:
        out.write(separator + ", ".join(rows))
    summary = encode({"rows": len(check.rows), **counts})
    tail = "" if directory is None else f', "directory": {encode(directory.as_json())}'
    out.write(f'], "summary": {summary}{tail}}}\n')
    return counts["invalid"] > 0


def _strings_json(strings: Mapping[str, str | None]) -> str:
    """A dict of strings (or None) as `json.dumps(..., ensure_ascii=False)` writes it, in half
    its time: json sets its encoder up anew for every call, which costs more than a few strings."""
    parts = [f"{escape(k)}: {'null' if v is None else escape(v)}" for k, v in strings.items()]
    return "{" + ", ".join(parts) + "}"


def _status(problems: list[Problem]) -> str:
    """A row's status word from its problems, as `RowCheck.status` gives it."""
    if any(p.severity == "error" for p in problems):
        return "invalid"
    return "warning" if problems else "valid"


def report_text(check: RosterCheck) -> str:
    table = check.table
    where = f"sheet '{table.sheet}', " if table.sheet else ""
    lines = [f"{table.file.name}: {where}header in row {table.header_row}."]
    mapped = ", ".join(f"{LABELS[f]} <- '{h}'" for f, h in check.mapping.as_json().items())  # type: ignore[index]
    lines.append(f"Columns: {mapped or 'none recognised'}.")
    if check.mapping.ambiguous:
        for name, columns in check.mapping.ambiguous.items():
            options = " or ".join(f"'{check.mapping.headers[i]}'" for i in columns)
            lines.append(
                f"Note: {LABELS[name]} could come from {options}; the first was used "
                f'(choose with --map {name}="...").'
            )
    for r in check.rows:
        for p in r.problems:
            label = f" ({LABELS[p.field]})" if p.field else ""
            severity = "skipped" if p.severity == "info" else p.severity
            lines.append(f"Row {r.row}{label}: {severity}: {p.message}")
    s = check.summary()
    # With the counts at the end, so that a scheduled job's log shows how the dates were read.
    lines.append(check.date_order.describe())
    skipped = (
        f", {s['skipped']} skipped (not for Calven: pending, refused or shorter than half a day)"
        if s["skipped"]
        else ""
    )
    lines.append(
        f"{s['rows']} rows: {s['valid']} ready, {s['warning']} ready with warnings, "
        f"{s['invalid']} invalid (not sendable){skipped}."
    )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    # The collector stays paused for the whole command, and the roster is freed before it resumes:
    # resumed in between, its first pass would walk every object of a 50,000-row roster (0.1 s)
    # only to find nothing to collect.
    with bulk_allocation():
        try:
            check = load_from_args(args)
            directory = check_directory(args, check)
        except UsageProblem as exc:
            print(exc, file=sys.stderr)
            return 2
        status = _report(check, args.json, directory)
        if args.whole_process and directory is None:
            # Nothing is left open (the user-list check may keep a copy: it ends the usual way).
            end_process(status)
        del check
    return status


def _report(check: RosterCheck, as_json: bool, directory: DirectoryOutcome | None = None) -> int:
    """Print the report; the exit status is 1 when some row is invalid."""
    if as_json:
        return 1 if write_json(sys.stdout, check, directory) else 0
    print("\n".join([report_text(check), *text_lines(directory, check)]))
    return 1 if any(r.status is Status.INVALID for r in check.rows) else 0
