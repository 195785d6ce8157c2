"""Options shared by the commands that read a roster (validate, submit), and turning them into a check."""

from __future__ import annotations

import argparse
from dataclasses import replace

from calven_desk.roster import (
    DateOrder,
    DateOrderUnknown,
    MappingError,
    RosterCheck,
    RosterReadError,
    load_roster,
)


class UsageProblem(Exception):
    """The command cannot run as asked; the message is printed as it is, and the exit status is 2."""


def add_roster_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the roster: .xlsx, .xls, .ods or .csv")
    parser.add_argument("--sheet", metavar="NAME", help="read this sheet of a workbook")
    parser.add_argument(
        "--date-order",
        choices=[o.value for o in DateOrder],
        help="how to read dates like 03/04/2030 when the file does not show it (default: the "
        "order chosen in the window for files like this, else the one in Settings, else what "
        "the rows make sense as; when none tells, the command stops and asks for this option)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar='FIELD="Header"',
        help="take a Calven field from this column (repeatable); FIELD= leaves a field out",
    )
    parser.add_argument(
        "--send-short-absences",
        action="store_true",
        help="send absences shorter than half a day (a 2-hour appointment) as whole days, with "
        "a warning; by default they are skipped, unless the window's Settings say otherwise",
    )


def parse_map(items: list[str]) -> dict[str, str]:
    forced: dict[str, str] = {}
    for item in items:
        name, sep, header = item.partition("=")
        if not sep or not name.strip():
            raise UsageProblem(f'--map {item!r} should look like --map startDate="Leave From".')
        forced[name.strip()] = header.strip().strip('"')
    return forced


def parse_rows(spec: str) -> set[int]:
    """`4-20,31` -> {4, ..., 20, 31}: sheet row numbers as the person sees them in Excel."""
    rows: set[int] = set()
    for part in spec.replace(" ", "").split(","):
        if not part:
            continue
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise UsageProblem(f"--rows {spec!r} should list row numbers like 4-20,31.")
        low, high = int(first), int(last) if dash else int(first)
        if high < low:
            raise UsageProblem(f"--rows {part!r} runs backwards; write the smaller number first.")
        if high - low > 1_000_000:
            raise UsageProblem(f"--rows {part!r} is larger than any roster.")
        rows.update(range(low, high + 1))
    if not rows:
        raise UsageProblem(f"--rows {spec!r} names no rows.")
    return rows


def load_from_args(args: argparse.Namespace) -> RosterCheck:
    """Read and check the roster the options name; every failure becomes a UsageProblem sentence.

    The day/month order is never guessed: --date-order, else the settings (the order the person
    chose in the window for files with these columns, then the one in Settings), else the rows'
    evidence; with none, the command stops with a sentence naming --date-order. Absences shorter
    than half a day are sent as whole days with --send-short-absences or when Settings say so.
    """
    from calven_desk.store.settings import load_settings

    settings = load_settings()
    choices = settings.order_choices()
    if args.date_order:
        choices = replace(choices, option=DateOrder(args.date_order), option_source="option")
    try:
        return load_roster(
            args.file,
            sheet=args.sheet,
            forced=parse_map(args.map),
            date_order=choices,
            short_as_whole=args.send_short_absences or settings.send_short_absences,
        )
    except (RosterReadError, MappingError, DateOrderUnknown) as exc:
        raise UsageProblem(str(exc)) from None
