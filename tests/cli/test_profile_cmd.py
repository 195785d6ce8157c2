"""`calven-desk profile`: add, list, test and remove connections; secrets only in the keyring."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Sandbox
from calven_desk.cli import main
from calven_desk.store.profiles import Profile, load_profiles, profiles_path
from calven_desk.store.secrets import NO_KEYRING
from tests.cli.run import calven_desk
from tests.conftest import MemoryKeyring

ACCOUNT = ("Calven Desk", "profile:sandbox")


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def profile(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["profile", *args])
    out, err = capsys.readouterr()
    return status, out, err


def no_secret_in_files(home: Path, secret: str) -> bool:
    return all(secret.encode() not in f.read_bytes() for f in home.rglob("*") if f.is_file())


def test_add_list_test_remove(
    memory_keyring: MemoryKeyring,
    sandbox: Sandbox,
    isolated_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALVEN_API_SECRET", DEMO_SECRET)
    status, out, err = profile(
        capsys, "add", "sandbox", "--key-id", DEMO_KEY_ID, "--base-url", sandbox.url + "/"
    )
    assert (status, err) == (0, "") and "Saved profile 'sandbox'" in out
    assert memory_keyring.store == {ACCOUNT: DEMO_SECRET}
    assert load_profiles() == {"sandbox": Profile("sandbox", DEMO_KEY_ID, sandbox.url, "hmac")}
    monkeypatch.delenv("CALVEN_API_SECRET")

    status, out, _ = profile(capsys, "list")
    assert status == 0 and out.strip() == f"sandbox: {sandbox.url}  key {DEMO_KEY_ID}  sign-in hmac"

    status, out, err = profile(capsys, "test", "sandbox")
    assert (status, err) == (0, "") and "the key works" in out

    status, out, _ = profile(capsys, "remove", "sandbox")
    assert status == 0 and "Removed profile 'sandbox'" in out
    assert memory_keyring.store == {} and load_profiles() == {}
    assert no_secret_in_files(isolated_home, DEMO_SECRET)

    status, out, err = profile(capsys, "remove", "sandbox")
    assert (status, out) == (2, "") and err.strip() == "There is no profile named 'sandbox'."


def test_client_secret_sign_in(
    memory_keyring: MemoryKeyring,
    sandbox: Sandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALVEN_API_SECRET", DEMO_SECRET)
    args = ["--key-id", DEMO_KEY_ID, "--base-url", sandbox.url, "--auth", "client_secret"]
    assert profile(capsys, "add", "cs", *args)[0] == 0
    monkeypatch.delenv("CALVEN_API_SECRET")
    status, out, _ = profile(capsys, "test", "cs")
    assert status == 0 and "the key works" in out


def test_a_wrong_secret_is_said_in_plain_words(
    memory_keyring: MemoryKeyring,
    sandbox: Sandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALVEN_API_SECRET", "not-the-secret")
    profile(capsys, "add", "sandbox", "--key-id", DEMO_KEY_ID, "--base-url", sandbox.url)
    monkeypatch.delenv("CALVEN_API_SECRET")
    status, out, err = profile(capsys, "test", "sandbox")
    assert status == 1 and "not-the-secret" not in out + err
    assert "secret" in out.lower() and "Traceback" not in out + err


def test_an_unreachable_host_is_said_in_plain_words(
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Sandbox() as gone:
        url = gone.url  # a loopback port that nobody listens on once the sandbox stops
    monkeypatch.setenv("CALVEN_API_SECRET", DEMO_SECRET)
    profile(capsys, "add", "gone", "--key-id", DEMO_KEY_ID, "--base-url", url)
    status, out, err = profile(capsys, "test", "gone")
    assert status == 1 and "Cannot reach" in out and "Traceback" not in out + err


def test_without_a_keyring_a_profile_runs_on_the_environment_secret(
    sandbox: Sandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bare server: IT deployed profiles.json; the secret comes from the job's environment."""
    profiles_path().write_text(
        json.dumps([{"name": "sandbox", "key_id": DEMO_KEY_ID, "base_url": sandbox.url}])
    )
    status, out, err = profile(capsys, "test", "sandbox")
    assert status == 2 and "no usable password store" in err and "CALVEN_API_SECRET" in err
    monkeypatch.setenv("CALVEN_API_SECRET", DEMO_SECRET)
    status, out, err = profile(capsys, "test", "sandbox")
    assert (status, err) == (0, "") and "the key works" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--base-url", "http://calven.example.com"], "plain http"),
        (["--base-url", "api.calven.com"], "not a web address"),
        (["--key-id", " "], "API key id"),
    ],
)
def test_add_refuses_unusable_input_before_asking_for_a_secret(
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: str,
) -> None:
    """No CALVEN_API_SECRET and no terminal: had it asked for the secret, that would be the error."""
    key_id = [] if "--key-id" in args else ["--key-id", "k1"]
    status, out, err = profile(capsys, "add", "prod", *key_id, *args)
    assert (status, out) == (2, "") and words in err and len(err.strip().splitlines()) == 1
    assert load_profiles() == {} and memory_keyring.store == {}


def test_add_without_a_terminal_or_variable_asks_for_one(
    memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = profile(capsys, "add", "prod", "--key-id", "k1")
    assert status == 2 and "set CALVEN_API_SECRET" in err
    assert load_profiles() == {}


def test_test_refuses_a_hand_edited_plain_http_profile(
    memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    profiles_path().write_text(
        json.dumps([{"name": "odd", "key_id": "k1", "base_url": "http://calven.example.com"}])
    )
    memory_keyring.store[("Calven Desk", "profile:odd")] = "s"
    status, out, err = profile(capsys, "test", "odd")
    assert (status, out) == (2, "") and "plain http" in err


def test_test_names_the_profiles_there_are(
    memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = profile(capsys, "test", "prod")
    assert (status, out) == (2, "") and "There is no profile named 'prod'" in err
    status, out, _ = profile(capsys, "list")
    assert status == 0 and "No profiles yet" in out


def test_a_computer_without_a_keyring_refuses_to_save(isolated_home: Path) -> None:
    """A separate process, as a person runs it, on a box whose only backend is keyring's `fail`."""
    added = calven_desk(
        "profile", "add", "prod", "--key-id", "k1", env={"CALVEN_API_SECRET": "typed-secret"}
    )
    assert (added.returncode, added.stdout) == (2, "")
    assert added.stderr.strip() == NO_KEYRING
    assert not profiles_path().exists() and no_secret_in_files(isolated_home, "typed-secret")


def test_a_secret_service_nobody_answers_is_no_keyring(tmp_path: Path) -> None:
    """Secret Service chosen, but no D-Bus daemon: keyring raises while choosing; we say a sentence."""
    added = calven_desk(
        "profile",
        "add",
        "prod",
        "--key-id",
        "k1",
        env={
            "CALVEN_API_SECRET": "typed-secret",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
            "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path / 'no-bus'}",
        },
    )
    assert (added.returncode, added.stderr.strip()) == (2, NO_KEYRING)
