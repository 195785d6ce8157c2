"""`calven-desk timeline`: the roster as a leave calendar, written to a PNG or opened in the window."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from calven_desk.cli.options import UsageProblem, add_roster_options, load_from_args


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "timeline",
        help="show the roster as a leave calendar, or save that picture as a PNG",
        description="Draw the roster as a calendar: one lane per person, one bar per row, the "
        "number of people away each day on top. With --png the picture is written to a file "
        "(no window is needed); without it the window opens on the Timeline. Exit status 2 when "
        "the file cannot be read or a date is wrong.",
    )
    add_roster_options(parser)
    parser.add_argument("--from", dest="first", metavar="DATE", help="first day shown (2030-03-01)")
    parser.add_argument("--to", dest="last", metavar="DATE", help="last day shown (2030-05-31)")
    parser.add_argument("--png", metavar="OUT.png", help="write the picture to this PNG file")
    parser.set_defaults(func=run)


def parse_day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageProblem(
            f"{option} '{text}' is not a date; write it as year-month-day, like 2030-03-01."
        ) from None


def run(args: argparse.Namespace) -> int:
    try:
        first, last = parse_day(args.first, "--from"), parse_day(args.last, "--to")
        if first and last and last < first:
            raise UsageProblem(f"--to {last} is before --from {first}; give the earlier day first.")
        if args.png is None:
            return _open_window(args)
        target = Path(args.png)
        if not target.parent.is_dir():
            raise UsageProblem(f"Cannot write {target}: the folder {target.parent} does not exist.")
        check = load_from_args(args)
    except UsageProblem as exc:
        print(exc, file=sys.stderr)
        return 2
    return _write_png(check, target, first, last)


def _open_window(args: argparse.Namespace) -> int:
    if not Path(args.file).is_file():
        raise UsageProblem(f"Cannot open {args.file}: there is no such file.")
    from calven_desk.gui.app import main as gui_main

    status: int = gui_main([args.file, "--timeline"])
    return status


def _write_png(check: Any, target: Path, first: date | None, last: date | None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from calven_desk.gui.timeline.render import render, save_png
    from calven_desk.gui.timeline.rows import document_name_column, timeline_rows
    from calven_desk.roster.check import bulk_allocation
    from calven_desk.roster.document import RosterDocument
    from calven_desk.roster.timeline import lay_out

    app = QGuiApplication.instance() or QGuiApplication(["calven-desk"])
    with bulk_allocation():
        document = RosterDocument(check)
        rows, undated = timeline_rows(document.rows, document_name_column(document))
        layout = lay_out(rows, first=first, last=last)
    image, people = render(layout, QGuiApplication.palette(), QGuiApplication.font(), date.today())
    if not save_png(image, target):
        print(
            f"Cannot write {target}: check the folder is writable and the disk not full.",
            file=sys.stderr,
        )
        return 2
    end = layout.day(layout.days - 1)
    print(
        f"Wrote {target}: {people:,} {'person' if people == 1 else 'people'}, "
        f"{len(layout.by_row):,} rows, {layout.origin} to {end}."
    )
    if people < len(layout.lanes):
        print(
            f"The picture stops after {people:,} of {len(layout.lanes):,} people (it would be too "
            "tall); use --from and --to, or a roster per team, for the rest.",
            file=sys.stderr,
        )
    if undated:
        print(f"{undated:,} rows have no readable dates and are not drawn.", file=sys.stderr)
    del app
    return 0
