"""Only a real OS keyring may hold a secret: every kind of "no keyring" is told apart, none is a crash."""

from __future__ import annotations

import logging
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, fail, null

from calven_desk.store.profiles import (
    Profile,
    ProfileError,
    load_profiles,
    resolve_connection,
    save_profile,
)
from calven_desk.store.secrets import (
    NO_KEYRING,
    KeyringUnavailable,
    delete_secret,
    keyring_problem,
    load_secret,
    save_secret,
)
from tests.conftest import MemoryKeyring

SECRET = "do-not-write-me-anywhere"


class PlaintextFile(MemoryKeyring):
    """Stands in for keyrings.alt's plaintext backend (not installed here): same module name."""

    priority = 0.5  # type: ignore[assignment]


PlaintextFile.__module__ = "keyrings.alt.file"


class RefusingStore(MemoryKeyring):
    """An OS store that answers, then fails the way D-Bus backends do (not a KeyringError)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise OSError(f"D-Bus said no to {password}")

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("D-Bus connection dropped")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("D-Bus connection dropped")


class Chain(KeyringBackend):
    """Shaped like keyring's ChainerBackend: a `backends` list, best first."""

    priority = 10

    def __init__(self, *backends: KeyringBackend) -> None:
        super().__init__()
        self.backends = list(backends)

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("the chain itself must not be used")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("the chain itself must not be used")

    def delete_password(self, service: str, username: str) -> None:
        raise AssertionError("the chain itself must not be used")


def use(backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)  # the autouse fixture puts the "no keyring" default back


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring(), Chain(), Chain(fail.Keyring()), PlaintextFile()],
    ids=["fail", "null", "empty-chain", "chain-of-fail", "keyrings.alt-plaintext"],
)
def test_unusable_backends_store_nothing(backend: KeyringBackend, isolated_home: Path) -> None:
    use(backend)
    assert keyring_problem() == NO_KEYRING
    with pytest.raises(KeyringUnavailable) as raised:
        save_profile(Profile("prod", "key-1"), SECRET)
    assert str(raised.value) == NO_KEYRING and SECRET not in str(raised.value)
    assert load_profiles() == {}  # no profile left without its secret
    assert load_secret("profile:prod") is None
    delete_secret("profile:prod")  # nothing to forget, and no crash
    if isinstance(backend, PlaintextFile):
        assert backend.store == {}


def test_secret_service_without_a_daemon_is_no_keyring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keyring's Secret Service backend raises from `priority` when D-Bus has nobody to answer."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    use(SecretService.Keyring())
    assert keyring_problem() == NO_KEYRING
    with pytest.raises(KeyringUnavailable, match="no usable password store"):
        save_secret("profile:prod", SECRET)
    assert load_secret("profile:prod") is None


def test_a_named_backend_that_cannot_load_is_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """PYTHON_KEYRING_BACKEND naming something absent: keyring refuses to load, we say why."""
    import keyring.core

    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.not_installed.Keyring")
    assert keyring_problem() == NO_KEYRING


def test_a_failing_store_becomes_a_sentence_without_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    use(RefusingStore())
    assert keyring_problem() is None
    caplog.set_level(logging.DEBUG)
    with pytest.raises(KeyringUnavailable, match="refused to save the secret") as raised:
        save_secret("profile:prod", SECRET)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert load_secret("profile:prod") is None
    delete_secret("profile:prod")
    assert SECRET not in caplog.text and SECRET not in str(raised.value)


def test_a_chain_never_falls_through_to_plaintext() -> None:
    """With keyrings.alt installed beside a real store, a refused write must not land in a file."""
    plaintext = PlaintextFile()
    use(Chain(RefusingStore(), plaintext))
    with pytest.raises(KeyringUnavailable):
        save_secret("profile:prod", SECRET)
    assert plaintext.store == {}

    good = MemoryKeyring()
    use(Chain(plaintext, good))
    save_secret("profile:prod", SECRET)
    assert good.store == {("Calven Desk", "profile:prod"): SECRET} and plaintext.store == {}
    secret = load_secret("profile:prod")
    assert secret is not None and secret.reveal() == SECRET


def test_no_keyring_says_so_when_a_profile_is_used(memory_keyring: MemoryKeyring) -> None:
    save_profile(Profile("prod", "key-1"), SECRET)
    use(fail.Keyring())
    with pytest.raises(ProfileError, match="no usable password store") as raised:
        resolve_connection("prod", environ={})
    assert "CALVEN_API_SECRET" in str(raised.value)
    # For this run only, from the environment (an unattended job on a box without a keyring).
    resolved = resolve_connection("prod", environ={"CALVEN_API_SECRET": "from-env"})
    assert (resolved.key_id, resolved.secret.reveal(), resolved.profile) == (
        "key-1",
        "from-env",
        "prod",
    )


def test_a_profile_whose_secret_was_removed_from_the_keyring(
    memory_keyring: MemoryKeyring,
) -> None:
    save_profile(Profile("prod", "key-1"), SECRET)
    memory_keyring.store.clear()  # e.g. deleted in the OS's password manager
    with pytest.raises(ProfileError, match="No secret is stored for profile 'prod'"):
        resolve_connection("prod", environ={})
