"""`calven-desk diff`: what a send of this roster would change in Calven, without sending anything."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from calven_desk.cli.connection import connection_identity
from calven_desk.cli.options import UsageProblem, add_roster_options, load_from_args

if TYPE_CHECKING:
    from calven_desk.calven.sync import Comparison
    from calven_desk.store.held import HeldEvent

# The journal, the comparison and the profiles (keyring) are imported when diff runs, so building
# the parser for another command (such as validate) does not load them.

WORDS = {"new": "new", "changed": "changed since sent", "unchanged": "already in Calven"}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="show what sending a roster would change in Calven",
        description="Compare the roster with what Calven holds from this computer's earlier sends on "
        "this connection: new, changed and unchanged rows, and events no longer in the roster. "
        "Needs no network. Exit status 0, or 2 when the file cannot be read.",
    )
    add_roster_options(parser)
    parser.add_argument(
        "--profile", metavar="NAME", help="a saved connection (see 'calven-desk profile')"
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the Calven address, with CALVEN_API_KEY set to the key id",
    )
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.set_defaults(func=run)


def removed_json(held: HeldEvent) -> dict[str, object]:
    who = "email" if held.event.get("email") else "uid"
    return {
        "eventId": held.event_id,
        who: held.person,
        "startDate": held.event.get("startDate", ""),
        "endDate": held.event.get("endDate", ""),
        "timeOffType": held.event.get("timeOffType"),
        "held_since": held.held_since.isoformat(),
    }


def comparison_json(base_url: str, key_id: str, comparison: Comparison) -> dict[str, object]:
    return {
        "connection": {"base_url": base_url, "key_id": key_id},
        "rows": [
            {
                "row": c.row,
                "eventId": c.event_id,
                "change": c.change,
                "held_since": c.held_since.isoformat() if c.held_since else None,
            }
            for c in comparison.rows
        ],
        "removed": [removed_json(h) for h in comparison.removed],
        "summary": comparison.summary(),
    }


def print_text(comparison: Comparison) -> None:
    from calven_desk.calven.sync import day_count

    for c in comparison.rows:
        if c.change in ("new", "changed"):
            print(f"Row {c.row}: {WORDS[c.change]} ({c.event_id})")
    for h in comparison.removed:
        print(
            f"No longer in the roster: {h.person} {h.event.get('startDate')} to "
            f"{h.event.get('endDate')} ({h.event_id}), in Calven since "
            f"{h.held_since.astimezone():%Y-%m-%d}"
        )
    s = comparison.summary()
    people, days = day_count(comparison)
    who = "1 person" if people == 1 else f"{people} people"
    freed = f" ({who}, {days} day{'' if days == 1 else 's'})" if s["removed"] else ""
    print(
        f"{s['new']} new, {s['changed']} changed, {s['unchanged']} already in Calven, "
        f"{s['invalid']} invalid, {s['removed']} no longer in the roster{freed} "
        "(submit --cancel-removed cancels those)."
    )


def run(args: argparse.Namespace) -> int:
    from calven_desk.calven.sync_run import compare_roster
    from calven_desk.store.journal import Journal, JournalError
    from calven_desk.store.profiles import KEY_VARIABLE

    try:
        check = load_from_args(args)
        identity = connection_identity(args)
        if identity is None:
            raise UsageProblem(
                "Say which Calven to compare with: --profile NAME, or --base-url URL with "
                f"{KEY_VARIABLE} set to the key id."
            )
        with Journal() as journal:
            held = journal.held(*identity)
    except (UsageProblem, JournalError) as exc:
        print(exc, file=sys.stderr)
        return 2
    comparison = compare_roster(check, held)
    if args.json:
        body = comparison_json(identity[0], identity[1], comparison)
        sys.stdout.write(json.dumps(body, ensure_ascii=False) + "\n")
    else:
        print_text(comparison)
    return 0
