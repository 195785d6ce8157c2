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
    return None if _os_store() is not None else NO_KEYRING


def _os_store() -> KeyringBackend | None:
    """The backend secrets go to: keyring's own choice, minus any that would not keep them safe.

    keyring chains every backend it finds, so with `keyrings.alt` installed a write refused by the
    OS store could fall through to a plaintext file; talking to the chosen store directly rules that out.
    """
    try:
        candidates = _backends(keyring.get_keyring())
    except Exception as exc:  # a backend named in the environment that cannot even load
        # info, not warning: the person is told in a sentence; this is for the log file only.
        log.info("No keyring backend could be loaded: %s", type(exc).__name__)
        return None
    return next((candidate for candidate in candidates if _usable(candidate)), None)


def _usable(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")):
        return False
    try:
        # A Secret Service backend answers its priority by asking D-Bus, and raises when no daemon
        # can be reached: that is "no keyring", not a crash.
        return float(getattr(backend, "priority", 1)) > 0
    except Exception as exc:
        log.info("Keyring backend %s is not usable: %s", type(backend).__name__, exc)
        return False


def save_secret(account: str, secret: str) -> None:
    store = _os_store()
    if store is None:
        raise KeyringUnavailable(NO_KEYRING)
    try:
        store.set_password(SERVICE, account, secret)
    except Exception as exc:  # any backend (D-Bus, secretstorage) failure, not only KeyringError
        log.info("Keyring refused to store a secret: %s", type(exc).__name__)
        raise KeyringUnavailable(
            "The password store (keyring) refused to save the secret; it may be locked. "
            "Unlock it and try again, or use the secret for this session only."
        ) from None


def load_secret(account: str) -> Secret | None:
    store = _os_store()
    if store is None:
        return None
    try:
        value = store.get_password(SERVICE, account)
    except Exception as exc:  # any backend failure reads as "nothing stored", with a log line
        log.warning("Keyring could not be read: %s", type(exc).__name__)
        return None
    return Secret(value) if value else None


def delete_secret(account: str) -> None:
    store = _os_store()
    if store is None:
        return
    try:
        store.delete_password(SERVICE, account)
    except keyring.errors.PasswordDeleteError:
        pass  # nothing was stored: nothing to forget
    except Exception as exc:  # any backend failure: the profile still goes, the log says why
        log.warning("Keyring could not delete a secret: %s", type(exc).__name__)
