"""A real Secret Service (GNOME keyring) on a private D-Bus session, started and stopped by the tests."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.system_tools import require_tools


@contextmanager
def secret_service(root: Path) -> Iterator[None]:
    """Start dbus-daemon and an unlocked gnome-keyring-daemon; point `keyring` at them.

    Under CI a missing daemon is a failure, never a skip: these tests are how we know the secret
    really lands in an OS keyring and nowhere else.
    """
    require_tools(("dbus-daemon", "gnome-keyring-daemon"), "apt-get install dbus gnome-keyring")
    home = root / "keyring-home"
    runtime = root / "run"
    for folder in (home, runtime):
        folder.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    env_changes = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_RUNTIME_DIR": str(runtime),
    }
    saved = {k: os.environ.get(k) for k in [*env_changes, "DBUS_SESSION_BUS_ADDRESS"]}
    os.environ.update(env_changes)
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=20,
    )
    address, pid = bus.stdout.split()[:2]
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
    subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets"],
        input="test-password",
        capture_output=True,
        text=True,
        timeout=20,
    )
    import keyring
    from keyring.backends import SecretService

    previous = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())
    try:
        _wait_until_usable()
        yield
    finally:
        keyring.set_keyring(previous)
        # The keyring daemon forks away from us; it quits when its bus goes away.
        os.kill(int(pid), signal.SIGTERM)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _wait_until_usable() -> None:
    import keyring

    for _ in range(50):
        try:
            keyring.set_password("Calven Desk probe", "probe", "x")
            keyring.delete_password("Calven Desk probe", "probe")
            return
        except Exception:  # the daemon may still be registering on the bus
            time.sleep(0.1)
    pytest.fail("The GNOME keyring did not come up on the private D-Bus session")
