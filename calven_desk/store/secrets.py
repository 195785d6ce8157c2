"""API secrets in the OS keyring (Credential Manager, Keychain, Secret Service), and nowhere else."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

log = logging.getLogger("calven_desk.store")

SERVICE = "Calven Desk"


class KeyringUnavailable(Exception):
    """No OS keyring can hold the secret; the message says what the person can do instead."""


NO_KEYRING = (
    "This computer has no usable password store (keyring), so the API secret cannot be saved. "
    "Enter it for this session only, or set CALVEN_API_KEY and CALVEN_API_SECRET for unattended runs."
)


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret that cannot leak through repr, str or a log line; `.reveal()` is the only way out."""

    _value: str

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


def _backends(backend: KeyringBackend) -> list[KeyringBackend]:
    chained = getattr(backend, "backends", None)
    return list(chained) if chained is not None else [backend]


def keyring_problem() -> str | None:
    """None when a real OS keyring is usable, else the sentence to show.

    keyring falls back to a `fail` or `null` backend on a bare Linux box, and `keyrings.alt` would
    offer plaintext files: none of them is acceptable for an API secret.
    """
    backend = keyring.get_keyring()
    for candidate in _backends(backend):
        module = type(candidate).__module__
        if module.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")):
            continue
        if getattr(candidate, "priority", 1) <= 0:
            continue
        return None
    return NO_KEYRING


def save_secret(account: str, secret: str) -> None:
    if (problem := keyring_problem()) is not None:
        raise KeyringUnavailable(problem)
    try:
        keyring.set_password(SERVICE, account, secret)
    except keyring.errors.KeyringError as exc:
        log.warning("Keyring refused to store a secret: %s", type(exc).__name__)
        raise KeyringUnavailable(
            "The password store (keyring) refused to save the secret; it may be locked. "
            "Unlock it and try again, or use the secret for this session only."
        ) from None


def load_secret(account: str) -> Secret | None:
    if keyring_problem() is not None:
        return None
    try:
        value = keyring.get_password(SERVICE, account)
    except keyring.errors.KeyringError as exc:
        log.warning("Keyring could not be read: %s", type(exc).__name__)
        return None
    return Secret(value) if value else None


def delete_secret(account: str) -> None:
    if keyring_problem() is not None:
        return
    try:
        keyring.delete_password(SERVICE, account)
    except keyring.errors.PasswordDeleteError:
        pass  # nothing was stored: nothing to forget
    except keyring.errors.KeyringError as exc:
        log.warning("Keyring could not delete a secret: %s", type(exc).__name__)
