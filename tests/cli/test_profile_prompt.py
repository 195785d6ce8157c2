"""`profile add` at a real terminal: the secret is typed at a hidden prompt and lands in the keyring."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tests.keyring_service import secret_service

pytestmark = pytest.mark.keyring

SECRET = "typed-at-the-prompt-7f3a"
BACKEND = {"PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}


def add_at_a_terminal(name: str, typed: str) -> tuple[int, str]:
    """Run `profile add` on a pseudo-terminal, type `typed` at the prompt; (status, screen)."""
    controller, terminal = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "calven_desk", "profile", "add", name, "--key-id", "k1"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, **BACKEND},
        start_new_session=True,  # no other controlling terminal: getpass uses this one
    )
    os.close(terminal)
    screen = b""
    typed_yet = False
    try:
        while True:
            ready, _, _ = select.select([controller], [], [], 60)
            if not ready:  # a safety net against a hang, not a timing check
                pytest.fail(f"profile add stopped answering; the screen so far: {screen!r}")
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            screen += chunk
            if not typed_yet and b"API secret" in screen:
                os.write(controller, typed.encode() + b"\n")
                typed_yet = True
    finally:
        os.close(controller)
    assert typed_yet, screen
    return child.wait(timeout=60), screen.decode(errors="replace")


def test_the_secret_is_asked_for_without_echo(tmp_path: Path, isolated_home: Path) -> None:
    import keyring

    with secret_service(tmp_path):
        status, screen = add_at_a_terminal("typed", SECRET)
        assert status == 0, screen
        assert "Saved profile 'typed'" in screen
        assert SECRET not in screen  # the terminal never showed what was typed
        assert keyring.get_password("Calven Desk", "profile:typed") == SECRET

        status, screen = add_at_a_terminal("empty", "")
        assert status == 2 and "No secret was typed" in screen, screen
        assert keyring.get_password("Calven Desk", "profile:empty") is None
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), f"secret found in {path}"
