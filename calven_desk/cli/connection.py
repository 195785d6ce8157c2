"""Turns --profile / --base-url / --auth and the environment into a checked connection for a run."""

from __future__ import annotations

import argparse
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
    )
