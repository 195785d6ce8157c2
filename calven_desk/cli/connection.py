"""Turns --profile / --base-url / --auth and the environment into a checked connection for a run."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from calven_desk.cli.options import UsageProblem

if TYPE_CHECKING:
    from calven_desk.calven.run import Connection, RunSettings

# The run's modules (httpx, keyring, SQLite) are imported when a connection is made, not when the
# parser is built, so `calven-desk validate` starts without them.


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile", metavar="NAME", help="a saved connection (see 'calven-desk profile')"
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="for runs without a profile: the Calven address, with CALVEN_API_KEY and CALVEN_API_SECRET set",
    )
    parser.add_argument(
        "--auth", choices=["hmac", "client_secret"], help="how to sign in (default hmac)"
    )


def connection_from_args(args: argparse.Namespace) -> Connection:
    from calven_desk.calven.run import Connection
    from calven_desk.calven.urls import BaseUrlError, check_base_url
    from calven_desk.store.profiles import ProfileError, resolve_connection

    try:
        resolved = resolve_connection(args.profile, args.base_url, args.auth)
        base_url = check_base_url(resolved.base_url)
    except (ProfileError, BaseUrlError) as exc:
        raise UsageProblem(str(exc)) from None
    return Connection(
        base_url, resolved.auth, resolved.key_id, resolved.secret.reveal(), resolved.profile
    )


def connection_identity(args: argparse.Namespace) -> tuple[str, str] | None:
    """The address and key id the options name, without the secret (a diff needs no sign-in);
    None when they name no connection at all."""
    from calven_desk.calven.urls import BaseUrlError, check_base_url
    from calven_desk.store.profiles import KEY_VARIABLE, load_profiles

    try:
        if args.profile:
            profile = load_profiles().get(args.profile)
            if profile is None:
                known = ", ".join(sorted(load_profiles())) or "none yet"
                raise UsageProblem(
                    f"There is no profile named '{args.profile}' (profiles: {known})."
                )
            return check_base_url(profile.base_url), profile.key_id
        if not args.base_url:
            return None
        key_id = os.environ.get(KEY_VARIABLE, "")
        if not key_id:
            raise UsageProblem(f"Set {KEY_VARIABLE} to the key id for a run without a profile.")
        return check_base_url(args.base_url), key_id
    except BaseUrlError as exc:
        raise UsageProblem(str(exc)) from None


def run_settings() -> RunSettings:
    """The person's saved batch size, parallelism, timeout and CA bundle."""
    from calven_desk.calven.run import RunSettings
    from calven_desk.store.settings import load_settings

    saved = load_settings()
    return RunSettings(
        batch_size=saved.batch_size,
        parallel=saved.parallel,
        timeout_seconds=saved.timeout_seconds,
        max_retries=saved.max_retries,
        ca_bundle=saved.ca_bundle,
        sender_wait_seconds=saved.sender_wait_seconds,
    )
