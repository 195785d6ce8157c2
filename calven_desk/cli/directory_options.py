"""`--directory` for validate and submit: which key reads Calven's user list, and running the check.

Shared by the three commands that touch the list (directory, validate, submit), so the key choice
(the profile's directory key, else its sending key) and the wording live in one place.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from calven_desk.calven.urls import BaseUrlError, check_base_url
from calven_desk.cli.connection import add_connection_options
from calven_desk.cli.options import UsageProblem
from calven_desk.roster import RosterCheck
from calven_desk.roster.check import bulk_allocation

if TYPE_CHECKING:
    from calven_desk.calven.directory import DirectoryAccess, DirectoryState

# store.profiles (and with it the keyring) is imported by the functions that read a connection,
# and calven.directory and roster.directory_check by those that fetch, read or use the list
# (40 ms), so a validate without --directory loads none of them.


def add_directory_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--directory",
        action="store_true",
        help="also check every person against Calven's user list (kept for a day; "
        "needs --profile, or --base-url with the key in the environment)",
    )


def add_where_options(parser: argparse.ArgumentParser) -> None:
    """--profile, --base-url and --auth, exactly as submit takes them (cli/connection.py builds
    them without loading the sending machinery, so `validate` still starts lean)."""
    add_connection_options(parser)


def access_from_args(args: argparse.Namespace) -> DirectoryAccess:
    """The key that reads the list: the profile's directory key when it has one, else its own key.

    Without a profile, CALVEN_DIRECTORY_KEY/SECRET are used when set, else CALVEN_API_KEY/SECRET.
    """
    from calven_desk.calven.directory import DirectoryAccess
    from calven_desk.store.profiles import ProfileError, resolve_connection, resolve_directory_key

    profile, base_url, auth = args.profile, args.base_url, getattr(args, "auth", None)
    try:
        second = resolve_directory_key(profile)
        if second is not None and not profile:
            if not base_url:
                raise ProfileError("Say where Calven is: --profile NAME, or --base-url URL.")
            return DirectoryAccess(
                check_base_url(base_url), auth or "hmac", second[0], second[1].reveal()
            )
        resolved = resolve_connection(profile, base_url, auth)
        url = check_base_url(resolved.base_url)
    except (ProfileError, BaseUrlError) as exc:
        raise UsageProblem(str(exc)) from None
    if second is not None:
        return DirectoryAccess(url, resolved.auth, second[0], second[1].reveal())
    return DirectoryAccess(url, resolved.auth, resolved.key_id, resolved.secret.reveal())


def kept_copy_key(args: argparse.Namespace) -> tuple[str, str]:
    """Host and key id naming the kept copy, found without any secret (--forget, a fresh copy).

    Without a profile it reads the environment only (the names store/profiles.py gives them), so
    a run on a kept list loads neither the profiles nor the keyring (0.1 s to import).
    """
    if args.profile:
        from calven_desk.store.profiles import load_profiles

        profile = load_profiles().get(args.profile)
        if profile is None:
            raise UsageProblem(f"There is no profile named '{args.profile}'.")
        try:
            return check_base_url(profile.base_url), profile.directory_key_id or profile.key_id
        except BaseUrlError as exc:
            raise UsageProblem(str(exc)) from None
    if not args.base_url:
        raise UsageProblem("Say where Calven is: --profile NAME, or --base-url URL.")
    key_id = os.environ.get("CALVEN_DIRECTORY_KEY") or os.environ.get("CALVEN_API_KEY", "")
    if not key_id:
        raise UsageProblem("Set CALVEN_API_KEY (or CALVEN_DIRECTORY_KEY) for --base-url.")
    try:
        return check_base_url(args.base_url), key_id
    except BaseUrlError as exc:
        raise UsageProblem(str(exc)) from None


def obtain_from_args(args: argparse.Namespace, *, refresh: bool = False) -> DirectoryState:
    """A kept list young enough is used without asking for any secret; else the list is fetched."""
    from calven_desk.calven.directory import kept_directory
    from calven_desk.store.settings import load_settings

    if not refresh:
        max_age = timedelta(hours=load_settings().directory_max_age_hours)
        try:
            fresh = kept_directory(*kept_copy_key(args), max_age)
        except UsageProblem:
            fresh = None  # access_from_args says what is wrong, in its own words
        if fresh is not None:
            return fresh
    return obtain(access_from_args(args), refresh=refresh)


def obtain(access: DirectoryAccess, *, refresh: bool = False) -> DirectoryState:
    """The list with the person's saved settings: its maximum age, timeout and CA file."""
    from calven_desk.calven.directory import obtain_directory
    from calven_desk.store.settings import load_settings

    settings = load_settings()
    return obtain_directory(
        access,
        refresh=refresh,
        max_age=timedelta(hours=settings.directory_max_age_hours),
        timeout=settings.timeout_seconds,
        ca_bundle=settings.ca_bundle,
    )


@dataclass(slots=True)
class DirectoryOutcome:
    """How the check went for a roster: the list's state, and Calven's name by sheet row."""

    state: DirectoryState
    names: dict[int, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return self.state.as_json()


def check_directory(args: argparse.Namespace, check: RosterCheck) -> DirectoryOutcome | None:
    """Run the check when --directory was given; the row problems land on the rows themselves.

    A list that cannot be had (403, network) is said on stderr in one sentence; the rest goes on.
    """
    if not getattr(args, "directory", False):
        return None
    from calven_desk.roster.directory_check import check_roster

    # The roster's rows are alive and acyclic: a collection set off by the list's 20,000 people
    # would walk millions of objects to free nothing (it tripled the check's time).
    with bulk_allocation():
        state = obtain_from_args(args)
        for sentence in (state.reason, state.note):
            if sentence:
                print(sentence, file=sys.stderr)
        if state.users is None:
            return DirectoryOutcome(state)
        return DirectoryOutcome(state, check_roster(check, state.users, state.as_of()))


def add_to_report(report: dict[str, Any], outcome: DirectoryOutcome | None) -> dict[str, Any]:
    """`validate --json` gains "directory", and each row sent by uid that Calven knows gains
    "person": its name (a row sent by email names the person already)."""
    if outcome is None:
        return report
    report["directory"] = outcome.as_json()
    names = outcome.names
    for row in report["rows"]:
        event = row["event"]
        if event is not None and "uid" in event and row["row"] in names:
            row["person"] = names[row["row"]]
    return report


def text_lines(outcome: DirectoryOutcome | None, check: RosterCheck) -> list[str]:
    """Lines for the text report: what the list was, and the names behind uids."""
    if outcome is None:
        return []
    state = outcome.state
    if state.users is None:
        return [f"Not checked against Calven's user list: {state.reason}"]
    lines = [
        f"Checked against Calven's user list of {len(state.users)} people as of {state.as_of()}."
    ]
    for row in check.rows:
        uid = (row.event or {}).get("uid")
        if uid and "email" not in (row.event or {}) and row.row in outcome.names:
            lines.append(f"Row {row.row}: uid {uid} is {outcome.names[row.row]} in Calven.")
    return lines
