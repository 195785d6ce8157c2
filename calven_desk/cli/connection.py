"""Turns --profile / --base-url / --auth and the environment into a checked connection for a run."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from calven_desk.cli.options import UsageProblem

if TYPE_CHECKING:
    from calven_desk.calven.run import Connection, RunSettings
    from calven_desk.store.memory_address import MemoryAddress

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
    add_memory_option(parser)


def add_memory_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--memory",
        metavar="URL",
        help="for runs without a profile: the team memory's PostgreSQL address "
        "(postgresql://user@host/database; the password from PGPASSWORD or ~/.pgpass), "
        "or set CALVEN_DESK_MEMORY; default: this computer's memory",
    )


def memory_from_args(args: argparse.Namespace) -> MemoryAddress | None:
    """The team memory the options (or CALVEN_DESK_MEMORY, or the profile) name; None: this
    computer's journal."""
    from calven_desk.store.profiles import ProfileError, resolve_memory

    try:
        return resolve_memory(getattr(args, "profile", None), getattr(args, "memory", None))
    except ProfileError as exc:
        raise UsageProblem(str(exc)) from None


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
        base_url,
        resolved.auth,
        resolved.key_id,
        resolved.secret.reveal(),
        resolved.profile,
        memory_from_args(args),
    )


@dataclass(frozen=True, slots=True)
class Identity:
    """Which Calven and key, and where its memory is: all a comparison needs (no secret)."""

    base_url: str
    key_id: str
    memory: MemoryAddress | None


def connection_identity(args: argparse.Namespace) -> Identity | None:
    """The address and key id the options name, and the memory, without the secret (a diff needs
    no sign-in); None when they name no connection at all."""
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
            base_url, key_id = check_base_url(profile.base_url), profile.key_id
        else:
            if not args.base_url:
                return None
            key_id = os.environ.get(KEY_VARIABLE, "")
            if not key_id:
                raise UsageProblem(f"Set {KEY_VARIABLE} to the key id for a run without a profile.")
            base_url = check_base_url(args.base_url)
    except BaseUrlError as exc:
        raise UsageProblem(str(exc)) from None
    return Identity(base_url, key_id, memory_from_args(args))


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
