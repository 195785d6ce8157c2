"""Every test runs with its own per-user folders and offscreen Qt, so nothing touches the real profile."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError

from tests.rosters import write_rosters

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every per-user folder (config, data, logs) into the test's own temporary folder."""
    home = tmp_path / "calven-home"
    monkeypatch.setenv("CALVEN_DESK_HOME", str(home))
    # The window's demo sandbox has a port of its own; tests running side by side each get one.
    monkeypatch.setenv("CALVEN_DESK_SANDBOX_PORT", str(free_port()))
    for name in ("CALVEN_API_KEY", "CALVEN_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    yield home


@pytest.fixture(autouse=True)
def no_personal_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep tests out of the developer's own keyring: by default there is none (a bare Linux box).

    Tests that need one ask for `memory_keyring` or start a real Secret Service; child processes
    get the same "no keyring" unless a test names a backend in their environment.
    """
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in that lives in this process, for unit tests of everything around it."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError("nothing stored")


@pytest.fixture
def memory_keyring(no_personal_keyring: None) -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())


@pytest.fixture
def rosters(tmp_path: Path) -> Path:
    """A folder with the project's own test rosters (tests/rosters.py): hr-export.xlsx,
    seed-example.csv and uk-semicolon.csv, written afresh for each test so none can spoil another's."""
    return write_rosters(tmp_path / "rosters")
