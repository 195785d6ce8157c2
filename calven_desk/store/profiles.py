"""Connection profiles (name, host, auth method, key id, where the memory is) in a config file;
their secrets in the keyring (the API secret, a second key's, the team memory's password)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from calven_desk.store.atomic import write_text_atomically
from calven_desk.store.memory_address import (
    MEMORY_VARIABLE,
    MemoryAddress,
    MemoryAddressError,
    parse_memory_address,
)
from calven_desk.store.paths import config_dir
from calven_desk.store.secrets import (
    Secret,
    delete_secret,
    keyring_problem,
    load_secret,
    save_secret,
)

log = logging.getLogger("calven_desk.store")

PROFILES_FILE = "profiles.json"
DEFAULT_BASE_URL = "https://api.calven.com"
AUTH_METHODS = ("hmac", "client_secret")
KEY_VARIABLE, SECRET_VARIABLE = "CALVEN_API_KEY", "CALVEN_API_SECRET"
#: The optional second key, for reading Calven's user list, in unattended runs without a profile.
DIRECTORY_KEY_VARIABLE, DIRECTORY_SECRET_VARIABLE = (
    "CALVEN_DIRECTORY_KEY",
    "CALVEN_DIRECTORY_SECRET",
)

#: Secrets a person typed "for this session only" when no keyring exists: memory, never disk.
_session_secrets: dict[str, Secret] = {}


class ProfileError(Exception):
    """A profile cannot be used or saved as asked; the message is a sentence for the person."""


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    key_id: str
    base_url: str = DEFAULT_BASE_URL
    auth: str = "hmac"
    #: A second key for reading Calven's user list, for when the sending key lacks the
    #: Data Warehouse role; "" means the sending key reads it too.
    directory_key_id: str = ""
    #: Where the memory of what Calven holds lives: "" for this computer's journal, or a team
    #: memory's PostgreSQL address (never with its password, which is in the keyring).
    memory: str = ""

    def keyring_account(self) -> str:
        return f"profile:{self.name}"

    def directory_keyring_account(self) -> str:
        return f"profile:{self.name}:directory"

    def memory_keyring_account(self) -> str:
        return f"profile:{self.name}:memory"


@dataclass(frozen=True, slots=True)
class ResolvedConnection:
    """Everything a run needs to authenticate; the secret stays wrapped so it cannot be logged."""

    base_url: str
    auth: str
    key_id: str
    secret: Secret
    profile: str | None


def profiles_path() -> Path:
    return config_dir() / PROFILES_FILE


def load_profiles() -> dict[str, Profile]:
    try:
        raw: Any = json.loads(profiles_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("Profiles file %s could not be read", profiles_path())
        return {}
    profiles: dict[str, Profile] = {}
    for item in raw if isinstance(raw, list) else []:
        try:
            profile = Profile(**{k: str(v) for k, v in item.items()})
        except (TypeError, AttributeError):  # a hand-edited entry that is not a profile
            continue
        profiles[profile.name] = profile
    return profiles


def _write(profiles: dict[str, Profile]) -> None:
    text = json.dumps([asdict(p) for p in profiles.values()], indent=2)
    write_text_atomically(profiles_path(), text)


def check_profile(profile: Profile) -> None:
    if not profile.name.strip() or len(profile.name) > 64:
        raise ProfileError("A profile needs a name of 1 to 64 characters.")
    if not profile.key_id.strip():
        raise ProfileError("A profile needs the API key id that Calven issued.")
    if profile.auth not in AUTH_METHODS:
        raise ProfileError("The sign-in method must be hmac or client_secret.")
    if profile.memory:
        try:
            parse_memory_address(profile.memory)
        except MemoryAddressError as exc:
            raise ProfileError(str(exc)) from None


def save_profile(
    profile: Profile,
    secret: str | None = None,
    directory_secret: str | None = None,
    memory_password: str | None = None,
) -> None:
    """Store the profile, and its secrets in the keyring when they are given.

    The secrets go first: if the keyring refuses one, no profile without a usable secret is left
    behind. A team memory's password typed into its address is moved to the keyring here, so the
    address is written down without it.
    """
    if profile.memory:
        try:
            address, typed = parse_memory_address(profile.memory, allow_password=True)
        except MemoryAddressError as exc:
            raise ProfileError(str(exc)) from None
        profile = replace(profile, memory=address)
        memory_password = memory_password or typed
    check_profile(profile)
    if secret:
        save_secret(profile.keyring_account(), secret)
    if directory_secret and profile.directory_key_id:
        save_secret(profile.directory_keyring_account(), directory_secret)
    if memory_password and profile.memory:
        save_secret(profile.memory_keyring_account(), memory_password)
    profiles = load_profiles()
    profiles[profile.name] = profile
    _write(profiles)


def remove_profile(name: str) -> None:
    profiles = load_profiles()
    profile = profiles.pop(name, None)
    if profile is None:
        raise ProfileError(f"There is no profile named '{name}'.")
    delete_secret(profile.keyring_account())
    if profile.directory_key_id:
        delete_secret(profile.directory_keyring_account())
    if profile.memory:
        delete_secret(profile.memory_keyring_account())
    for account in (name, f"{name}:directory", f"{name}:memory"):
        _session_secrets.pop(account, None)
    _write(profiles)


def use_for_session(name: str, secret: str) -> None:
    """Keep a secret in memory for this run only (no keyring on this computer)."""
    _session_secrets[name] = Secret(secret)


def secret_for(profile: Profile) -> Secret | None:
    return _session_secrets.get(profile.name) or load_secret(profile.keyring_account())


def use_directory_secret_for_session(name: str, secret: str) -> None:
    """Keep the directory key's secret in memory for this run only (no keyring on this computer)."""
    _session_secrets[f"{name}:directory"] = Secret(secret)


def directory_secret_for(profile: Profile) -> Secret | None:
    if not profile.directory_key_id:
        return None
    return _session_secrets.get(f"{profile.name}:directory") or load_secret(
        profile.directory_keyring_account()
    )


def use_memory_password_for_session(name: str, password: str) -> None:
    """Keep the team memory's password in memory for this run only (no keyring on this computer)."""
    _session_secrets[f"{name}:memory"] = Secret(password)


def memory_of(profile: Profile) -> MemoryAddress | None:
    """The profile's team memory with its password from the keyring (None there: libpq's own
    ways, PGPASSWORD or ~/.pgpass); None for a profile whose memory is this computer's."""
    if not profile.memory:
        return None
    password = _session_secrets.get(f"{profile.name}:memory") or load_secret(
        profile.memory_keyring_account()
    )
    return MemoryAddress(profile.memory, password)


def resolve_memory(
    profile_name: str | None, typed: str | None, environ: dict[str, str] | None = None
) -> MemoryAddress | None:
    """Where a run's memory is: the profile's, else `--memory`, else CALVEN_DESK_MEMORY, else
    this computer's journal (None). An address differing from the profile's is refused rather
    than quietly used or ignored: two memories for one Calven would each be wrong."""
    env = os.environ if environ is None else environ
    named = (typed or "").strip() or env.get(MEMORY_VARIABLE, "").strip()
    if profile_name:
        profile = load_profiles().get(profile_name)
        if profile is None:
            known = ", ".join(sorted(load_profiles())) or "none yet"
            raise ProfileError(f"There is no profile named '{profile_name}' (profiles: {known}).")
        if named and named != profile.memory:
            origin = "--memory" if (typed or "").strip() else MEMORY_VARIABLE
            kept = (
                f"keeps its memory at {profile.memory}"
                if profile.memory
                else "keeps its memory on this computer"
            )
            raise ProfileError(
                f"Profile '{profile_name}' {kept}; {origin} names another. Change the profile "
                f"(profile add {profile_name} … --memory URL), or leave {origin} out."
            )
        return memory_of(profile)
    if not named:
        return None
    try:
        address, _ = parse_memory_address(named)
    except MemoryAddressError as exc:
        raise ProfileError(str(exc)) from None
    return MemoryAddress(address)


def resolve_directory_key(
    profile_name: str | None, environ: dict[str, str] | None = None
) -> tuple[str, Secret] | None:
    """The second key for Calven's user list, or None when the sending key is to read it.

    From the profile (secret in the keyring, else CALVEN_DIRECTORY_SECRET), or for a run without a
    profile from CALVEN_DIRECTORY_KEY and CALVEN_DIRECTORY_SECRET.
    """
    env = os.environ if environ is None else environ
    if profile_name:
        profile = load_profiles().get(profile_name)
        if profile is None or not profile.directory_key_id:
            return None
        secret = directory_secret_for(profile)
        if secret is None and env.get(DIRECTORY_SECRET_VARIABLE):
            secret = Secret(env[DIRECTORY_SECRET_VARIABLE])
        if secret is None:
            raise ProfileError(
                f"No secret is stored for the directory key of profile '{profile_name}'. Add the "
                f"profile again, or set {DIRECTORY_SECRET_VARIABLE} for this run."
            )
        return profile.directory_key_id, secret
    key_id, secret_text = (
        env.get(DIRECTORY_KEY_VARIABLE, ""),
        env.get(DIRECTORY_SECRET_VARIABLE, ""),
    )
    if bool(key_id) != bool(secret_text):
        raise ProfileError(
            f"Set both {DIRECTORY_KEY_VARIABLE} and {DIRECTORY_SECRET_VARIABLE}, or neither."
        )
    return (key_id, Secret(secret_text)) if key_id else None


def resolve_connection(
    profile_name: str | None,
    base_url: str | None = None,
    auth: str | None = None,
    environ: dict[str, str] | None = None,
) -> ResolvedConnection:
    """The connection for a run: a saved profile, or (unattended) --base-url with the env variables."""
    env = os.environ if environ is None else environ
    if profile_name:
        profile = load_profiles().get(profile_name)
        if profile is None:
            known = ", ".join(sorted(load_profiles())) or "none yet"
            raise ProfileError(f"There is no profile named '{profile_name}' (profiles: {known}).")
        if base_url and base_url.rstrip("/") != profile.base_url.rstrip("/"):
            # A saved secret goes only to the host it was saved for: with client-secret sign-in the
            # secret itself crosses the wire, so --base-url must not redirect it elsewhere.
            raise ProfileError(
                f"Profile '{profile_name}' is for {profile.base_url}; it cannot be sent to {base_url}. "
                "Change the profile's address, or run without --profile."
            )
        secret = secret_for(profile)
        if secret is None and env.get(SECRET_VARIABLE):
            secret = Secret(env[SECRET_VARIABLE])
        if secret is None and keyring_problem() is not None:
            raise ProfileError(
                f"The secret of profile '{profile_name}' cannot be read: this computer has no usable "
                f"password store (keyring). Set {SECRET_VARIABLE} for this run."
            )
        if secret is None:
            raise ProfileError(
                f"No secret is stored for profile '{profile_name}'. Add it again with "
                f"'calven-desk profile add', or set {SECRET_VARIABLE} for this run."
            )
        return ResolvedConnection(
            profile.base_url,
            auth or profile.auth,
            profile.key_id,
            secret,
            profile.name,
        )
    key_id, secret_text = env.get(KEY_VARIABLE, ""), env.get(SECRET_VARIABLE, "")
    if not base_url:
        raise ProfileError(
            "Say where to send: --profile NAME, or --base-url URL with "
            f"{KEY_VARIABLE} and {SECRET_VARIABLE} set."
        )
    if not key_id or not secret_text:
        raise ProfileError(f"Set {KEY_VARIABLE} and {SECRET_VARIABLE} for a run without a profile.")
    method = auth or "hmac"
    if method not in AUTH_METHODS:
        raise ProfileError("The sign-in method must be hmac or client_secret.")
    return ResolvedConnection(base_url, method, key_id, Secret(secret_text), None)
