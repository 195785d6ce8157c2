"""`calven-desk history`: what Calven holds from us per connection, past runs, one run's rows, purging."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import timedelta
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("history", help="list past runs, or show one run's rows")
    parser.add_argument("run", nargs="?", type=int, metavar="RUN", help="show this run's rows")
    parser.add_argument(
        "--purge-older-than", metavar="AGE", help="delete runs older than e.g. 90d, 12w or 6m"
    )
    parser.set_defaults(func=run)


def parse_age(text: str) -> timedelta:
    match = re.fullmatch(r"\s*(\d+)\s*([dwm]?)\s*", text.lower())
    if not match:
        raise ValueError(
            f"'{text}' is not an age; write it like 90d (days), 12w (weeks) or 6m (months)."
        )
    number, unit = int(match.group(1)), match.group(2) or "d"
    try:
        return timedelta(days=number * {"d": 1, "w": 7, "m": 30}[unit])
    except OverflowError:
        raise ValueError(f"'{text}' is longer than anything the journal can hold.") from None


def run(args: argparse.Namespace) -> int:
    # Imported here so that building the parser for another command does not load SQLite.
    from calven_desk.store.journal import Journal, JournalError

    try:
        journal = Journal()
    except JournalError as exc:
        print(exc, file=sys.stderr)
        return 2
    with journal:
        if args.purge_older_than:
            try:
                age = parse_age(args.purge_older_than)
            except ValueError as exc:
                print(exc, file=sys.stderr)
                return 2
            print(
                f"Deleted {journal.purge_older_than(age)} runs older than {age.days} days "
                "(what Calven holds from earlier sends is kept)."
            )
            return 0
        if args.run is None:
            for base_url, key_id, count in journal.held_counts():
                print(f"Calven at {base_url} (key {key_id}) holds {count} events sent from here.")
            runs = journal.runs()
            if not runs:
                print("No runs yet.")
            for info in runs:
                counts = ", ".join(
                    f"{n} {state.replace('_', ' ')}" for state, n in sorted(info.counts.items())
                )
                started = info.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
                print(
                    f"Run {info.id}  {started}  {info.status:<9}  {info.source}  -> {info.host}  ({counts})"
                )
            return 0
        chosen = journal.run(args.run)
        if chosen is None:
            print(f"There is no run {args.run}; 'calven-desk history' lists them.", file=sys.stderr)
            return 2
        print(f"Run {chosen.id}: {chosen.source} -> {chosen.host}, {chosen.status}")
        for r in journal.run_rows(args.run):
            code = f" (code {r.result_code})" if r.result_code is not None else ""
            # A cancellation the run made has no sheet row: say which event it retracts, and why.
            what = f"Row {r.row}" if r.retracts is None else f"Cancels {r.retracts} ({r.reason})"
            print(f"{what}  {r.event_id}  {r.state.replace('_', ' ')}{code}  {r.message}")
        return 0
