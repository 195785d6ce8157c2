"""`calven-desk diff`: what a send of this roster would change in Calven, without sending anything."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from calven_desk.cli.connection import add_memory_option, connection_identity
from calven_desk.cli.options import UsageProblem, add_roster_options, load_from_args

if TYPE_CHECKING:
    from calven_desk.calven.sync import Comparison, LeftBehind

# The journal, the comparison and the profiles (keyring) are imported when diff runs, so building
# the parser for another command (such as validate) does not load them.

WORDS = {
    "new": "new",
    "changed": "changed since sent",
    "unchanged": "already in Calven",
    "unconfirmed": "sent, but Calven never confirmed it (sent again by the next submit)",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="show what sending a roster would change in Calven",
        description="Compare the roster with what Calven holds from earlier sends on this "
        "connection (this computer's, or the team's with a team memory): new, changed and "
        "unchanged rows, and events no longer in the roster. Needs no network but the team "
        "memory's. Exit status 0, or 2 when the file or the memory cannot be read.",
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
    add_memory_option(parser)
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    parser.set_defaults(func=run)


def removed_json(left: LeftBehind) -> dict[str, object]:
    held = left.held
    who = "email" if held.event.get("email") else "uid"
    return {
        "eventId": held.event_id,
        who: held.person,
        "startDate": held.event.get("startDate", ""),
        "endDate": held.event.get("endDate", ""),
        "timeOffType": held.event.get("timeOffType"),
        "held_since": held.held_since.isoformat(),
        "reason": left.reason,
        "days": [[first.isoformat(), last.isoformat()] for first, last in left.days],
        "row": left.row,
        "confirmed": held.confirmed,
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
        if c.old_days:
            print(f"Row {c.row}: old days still in Calven ({c.event_id})")
        elif c.change in WORDS and c.change != "unchanged":
            print(f"Row {c.row}: {WORDS[c.change]} ({c.event_id})")
    for left in comparison.removed:
        h = left.held
        what = (
            "Old days of row " + str(left.row)
            if left.reason == "moved"
            else "No longer in the roster"
        )
        spans = ", ".join(
            f"{a:%Y-%m-%d}" if a == b else f"{a:%Y-%m-%d} to {b:%Y-%m-%d}" for a, b in left.days
        )
        print(
            f"{what}: {h.person} {h.event.get('startDate')} to {h.event.get('endDate')} "
            f"({h.event_id}), in Calven since {h.held_since.astimezone():%Y-%m-%d}; "
            f"to cancel: {spans}"
        )
    s = comparison.summary()
    people, days = day_count(comparison.removal)
    who = "1 person" if people == 1 else f"{people} people"
    freed = f" ({who}, {days} day{'' if days == 1 else 's'})" if s["removed"] else ""
    unconfirmed = f"{s['unconfirmed']} not confirmed, " if s["unconfirmed"] else ""
    skipped = (
        f"{s['skipped']} not for Calven (pending, refused or shorter than half a day), "
        if s["skipped"]
        else ""
    )
    moved = (
        f", {s['moved']} with old days still in Calven (submit cancels those)" if s["moved"] else ""
    )
    print(
        f"{s['new']} new, {s['changed']} changed, {s['unchanged']} already in Calven, "
        f"{unconfirmed}{s['invalid']} invalid, {skipped}{s['removed']} no longer in the "
        f"roster{freed} "
        f"(submit --cancel-removed cancels those){moved}."
    )


def run(args: argparse.Namespace) -> int:
    from calven_desk.calven.sync import compare_roster, held_for
    from calven_desk.cli import end_process
    from calven_desk.roster.check import bulk_allocation
    from calven_desk.store.journal import Journal, JournalError
    from calven_desk.store.profiles import KEY_VARIABLE

    with bulk_allocation():  # the roster's and the memory's objects, made in bulk (see there)
        try:
            check = load_from_args(args)
            identity = connection_identity(args)
            if identity is None:
                raise UsageProblem(
                    "Say which Calven to compare with: --profile NAME, or --base-url URL with "
                    f"{KEY_VARIABLE} set to the key id."
                )
            with Journal(memory=identity.memory) as journal:
                held = held_for(journal, identity.base_url, identity.key_id, check)
        except (UsageProblem, JournalError) as exc:
            print(exc, file=sys.stderr)
            return 2
        comparison = compare_roster(check, held)
        if args.json:
            body = comparison_json(identity.base_url, identity.key_id, comparison)
            sys.stdout.write(json.dumps(body, ensure_ascii=False) + "\n")
        else:
            print_text(comparison)
    if args.whole_process:
        end_process(0)  # the journal is closed; nothing is left to free but memory
    return 0
