"""`calven-desk directory`: how many people Calven's kept user list holds, by status, and its age."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from calven_desk.calven.directory import DirectoryState
from calven_desk.cli.directory_options import (
    access_from_args,
    add_where_options,
    kept_copy_key,
    obtain,
)
from calven_desk.cli.options import UsageProblem
from calven_desk.store.directory import forget_directory


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "directory",
        help="show (or refresh, or forget) the kept copy of Calven's user list",
        description="Calven Desk keeps a copy of Calven's user list for a day (a setting) to check "
        "rosters against it. This shows how many people it holds, by status, and how old it is. "
        "Exit status: 0, or 2 when the list cannot be had (the reason on stderr).",
    )
    add_where_options(parser)
    parser.add_argument("--refresh", action="store_true", help="fetch the list again now")
    parser.add_argument(
        "--forget", action="store_true", help="delete the kept copy from this computer"
    )
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    parser.set_defaults(func=run)


def age_words(seconds: float) -> str:
    """`42 minutes`, `3 hours`, `2 days`: how a person says an age."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "less than a minute"
    for size, word in ((1440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size:
            count = minutes // size
            return f"{count} {word}{'s' if count != 1 else ''}"
    return "less than a minute"  # pragma: no cover - the loop always answers


def describe(state: DirectoryState, host: str) -> dict[str, Any]:
    if state.users is None or state.fetched_at is None:
        return {"host": host, "checked": False, "reason": state.reason}
    return {
        "host": host,
        **state.as_json(),
        "by_status": state.by_status(),
        "age_seconds": int((datetime.now(UTC) - state.fetched_at).total_seconds()),
        "refreshed": state.refreshed,
    }


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageProblem as exc:
        print(exc, file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.forget:
        host, key_id = kept_copy_key(args)
        gone = forget_directory(host, key_id)
        host = urlsplit(host).netloc
        if args.json:
            print(json.dumps({"host": host, "forgotten": gone}))
        else:
            print(
                f"Deleted the kept user list for {host}."
                if gone
                else f"No user list was kept for {host}."
            )
        return 0
    access = access_from_args(args)
    state = obtain(access, refresh=args.refresh)
    host = urlsplit(access.base_url).netloc
    report = describe(state, host)
    if state.note:
        print(state.note, file=sys.stderr)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    elif state.users is not None:
        statuses = ", ".join(f"{n} {status}" for status, n in report["by_status"].items())
        when = (
            "fetched just now"
            if state.refreshed
            else f"fetched {age_words(report['age_seconds'])} ago"
        )
        print(
            f"Calven's user list: {len(state.users)} people ({statuses or 'none'}), {when} "
            f"({state.as_of()})."
        )
    if state.users is None:
        print(state.reason, file=sys.stderr)
        return 2
    return 0
