"""The secret really lives in the OS keyring (GNOME's Secret Service) and in no file of ours."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.run import calven_desk
from tests.keyring_service import secret_service

SECRET = "s3cr3t-value-that-must-not-leak"

pytestmark = pytest.mark.keyring


@pytest.fixture
def real_keyring(tmp_path: Path) -> Iterator[None]:
    with secret_service(tmp_path):
        yield


def test_profile_secret_in_secret_service_only(real_keyring: None, isolated_home: Path) -> None:
    import keyring
    from keyring.backends import SecretService

    from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Sandbox
    from calven_desk.store.profiles import Profile, resolve_connection, save_profile
    from calven_desk.store.secrets import keyring_problem

    assert isinstance(keyring.get_keyring(), SecretService.Keyring)
    assert keyring_problem() is None
    save_profile(Profile("prod", "key-1"), SECRET)
    assert keyring.get_password("Calven Desk", "profile:prod") == SECRET
    assert resolve_connection("prod").secret.reveal() == SECRET
    # Through the command line too, in a separate process that finds the same keyring.
    with Sandbox() as sandbox:
        env = {
            "CALVEN_API_SECRET": DEMO_SECRET,
            "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        }
        added = calven_desk(
            "profile", "add", "sandbox", "--key-id", DEMO_KEY_ID, "--base-url", sandbox.url, env=env
        )
        assert added.returncode == 0, added.stderr
        tested = calven_desk(
            "profile",
            "test",
            "sandbox",
            env={"PYTHON_KEYRING_BACKEND": env["PYTHON_KEYRING_BACKEND"]},
        )
        assert tested.returncode == 0 and "the key works" in tested.stdout, (
            tested.stdout + tested.stderr
        )
        roster = isolated_home / "r.csv"
        roster.write_text("email,start,end\na@example.com,2030-01-01,2030-01-02\n")
        sent = calven_desk(
            "submit",
            roster,
            "--profile",
            "sandbox",
            env={"PYTHON_KEYRING_BACKEND": env["PYTHON_KEYRING_BACKEND"]},
        )
        assert sent.returncode == 0, sent.stdout + sent.stderr
    for secret in (SECRET, DEMO_SECRET):
        for path in isolated_home.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), f"secret found in {path}"
    assert "CALVEN_API_SECRET" not in os.environ
