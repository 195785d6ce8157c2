"""`calven-desk profile`: saved connections; each secret goes to the OS keyring, never to a file."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from calven_desk.calven.urls import DEFAULT_BASE_URL, BaseUrlError, check_base_url

# httpx and the keyring are imported by `run`, so building the parser for another command (such
# as validate) does not load them.


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("profile", help="add, list, test or remove saved connections")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="save a connection; the secret is asked for, or read from env"
    )
    add.add_argument("name")
    add.add_argument("--key-id", required=True, help="the API key id Calven issued")
    add.add_argument("--base-url", default=DEFAULT_BASE_URL, help=f"default {DEFAULT_BASE_URL}")
    add.add_argument("--auth", choices=["hmac", "client_secret"], default="hmac")
    add.add_argument(
        "--directory-key-id",
        default="",
        metavar="ID",
        help="a second key, with the Data Warehouse role, for reading Calven's user list "
        "(its secret is asked for, or read from CALVEN_DIRECTORY_SECRET)",
    )
    add.add_argument(
        "--memory",
        default="",
        metavar="URL",
        help="keep the memory of what Calven holds in the team's PostgreSQL "
        "(postgresql://user@host/database); its password is asked for, or read from PGPASSWORD, "
        "and kept in the system keyring",
    )
    actions.add_parser("list", help="list saved connections (never their secrets)")
    remove = actions.add_parser("remove", help="forget a connection and its stored secret")
    remove.add_argument("name")
    test = actions.add_parser(
        "test", help="sign in with a saved connection and say whether it works"
    )
    test.add_argument("name")
    parser.set_defaults(func=run)


def _secret_from_person(variable: str = "", prompt: str = "API secret (not shown): ") -> str:
    from calven_desk.store.profiles import SECRET_VARIABLE, ProfileError

    variable = variable or SECRET_VARIABLE
    if os.environ.get(variable):
        return os.environ[variable]
    if not sys.stdin.isatty():
        raise ProfileError(
            f"Type the secret at the prompt, or set {variable} when there is no terminal."
        )
    secret = getpass.getpass(prompt)
    if not secret:
        raise ProfileError("No secret was typed; the profile was not saved.")
    return secret


def _memory_password() -> str | None:
    """The team memory's password: typed at the prompt (empty: libpq's ~/.pgpass or none), or
    PGPASSWORD when there is no terminal."""
    if not sys.stdin.isatty():
        return os.environ.get("PGPASSWORD") or None
    return (
        getpass.getpass("Team memory password (not shown; empty to use ~/.pgpass or none): ")
        or None
    )


def run(args: argparse.Namespace) -> int:
    from calven_desk.store.profiles import ProfileError
    from calven_desk.store.secrets import KeyringUnavailable

    try:
        return _run(args)
    except (ProfileError, KeyringUnavailable, BaseUrlError) as exc:
        print(exc, file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from calven_desk.calven.client import check_connection
    from calven_desk.store.memory_address import (
        MemoryAddressError,
        describe,
        parse_memory_address,
    )
    from calven_desk.store.profiles import (
        DIRECTORY_SECRET_VARIABLE,
        Profile,
        ProfileError,
        check_profile,
        load_profiles,
        memory_of,
        remove_profile,
        resolve_connection,
        save_profile,
    )
    from calven_desk.store.secrets import KeyringUnavailable, keyring_problem
    from calven_desk.store.settings import load_settings
    from calven_desk.store.team_memory import check_team_memory
    from calven_desk.store.unavailable import TeamMemoryUnavailable

    if args.action == "add":
        if (problem := keyring_problem()) is not None:
            raise KeyringUnavailable(problem)
        memory, typed = "", None
        if args.memory.strip():
            try:
                memory, typed = parse_memory_address(args.memory, allow_password=True)
            except MemoryAddressError as exc:
                raise ProfileError(str(exc)) from None
        profile = Profile(
            args.name,
            args.key_id.strip(),
            check_base_url(args.base_url),
            args.auth,
            args.directory_key_id.strip(),
            memory,
        )
        check_profile(profile)  # before the prompt: nobody should type a secret for nothing
        secret = _secret_from_person()
        directory_secret = (
            _secret_from_person(DIRECTORY_SECRET_VARIABLE, "Directory key secret (not shown): ")
            if profile.directory_key_id
            else None
        )
        memory_password = (typed or _memory_password()) if memory else None
        save_profile(profile, secret, directory_secret, memory_password)
        several = directory_secret or memory_password
        team = f"; its memory is the team's ({describe(memory)})" if memory else ""
        print(
            f"Saved profile '{profile.name}' for {profile.base_url}{team}; "
            f"{'its secrets are' if several else 'its secret is'} in the system keyring."
        )
        return 0
    if args.action == "list":
        profiles = load_profiles()
        if not profiles:
            print("No profiles yet. Add one with: calven-desk profile add NAME --key-id ID")
        for p in profiles.values():
            extra = f"  directory key {p.directory_key_id}" if p.directory_key_id else ""
            extra += f"  memory {p.memory}" if p.memory else ""
            print(f"{p.name}: {p.base_url}  key {p.key_id}  sign-in {p.auth}{extra}")
        return 0
    if args.action == "remove":
        remove_profile(args.name)
        print(f"Removed profile '{args.name}' and its stored secret.")
        return 0
    # The same resolution a run uses (keyring, else CALVEN_API_SECRET), and the same URL check: a
    # hand-edited profile must not send its secret over plain http.
    resolved = resolve_connection(args.name)
    settings = load_settings()
    verdict = check_connection(
        check_base_url(resolved.base_url),
        resolved.auth,
        resolved.key_id,
        resolved.secret.reveal(),
        ca_bundle=settings.ca_bundle,
        timeout=settings.timeout_seconds,
    )
    print(verdict.message)
    profile = load_profiles()[args.name]
    address = memory_of(profile)
    if address is None:
        return 0 if verdict.ok else 1
    try:
        print(check_team_memory(address))
    except TeamMemoryUnavailable as exc:
        print(exc)
        return 1
    return 0 if verdict.ok else 1
