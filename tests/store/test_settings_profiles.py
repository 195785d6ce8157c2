"""Settings survive bad files; profiles keep secrets only in the keyring."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest

from calven_desk.store import paths
from calven_desk.store.profiles import (
    Profile,
    ProfileError,
    load_profiles,
    remove_profile,
    resolve_connection,
    save_profile,
    secret_for,
    use_for_session,
)
from calven_desk.store.secrets import NO_KEYRING, KeyringUnavailable, Secret, keyring_problem
from calven_desk.store.settings import Settings, load_settings, save_settings, settings_path
from tests.conftest import MemoryKeyring


def test_paths_follow_the_home_variable(isolated_home: Path) -> None:
    assert paths.config_dir() == isolated_home / "config" and paths.config_dir().is_dir()
    assert paths.data_dir().parent == isolated_home and paths.log_dir().is_dir()


def test_settings_round_trip_and_bad_files() -> None:
    settings = Settings(date_order="mdy", batch_size=50)
    settings.remember_file("/a.xlsx")
    settings.remember_file("/b.xlsx")
    settings.remember_file("/a.xlsx")
    save_settings(settings)
    loaded = load_settings()
    assert (loaded.date_order, loaded.batch_size, loaded.recent_files) == (
        "mdy",
        50,
        ["/a.xlsx", "/b.xlsx"],
    )
    for junk in (
        "{not json",
        "[1, 2]",
        json.dumps({"parallel": "four"}),
        json.dumps({"batch_size": 0}),
    ):
        settings_path().write_text(junk)
        assert load_settings() == Settings()
    assert Settings(parallel=99).problems() == ["Parallel requests must be between 1 and 16."]


def test_profile_secret_goes_to_the_keyring_only(
    memory_keyring: MemoryKeyring, isolated_home: Path
) -> None:
    save_profile(Profile("prod", "key-1"), "top-secret-value")
    assert load_profiles() == {"prod": Profile("prod", "key-1")}
    assert memory_keyring.store == {("Calven Desk", "profile:prod"): "top-secret-value"}
    assert all(
        b"top-secret-value" not in f.read_bytes() for f in isolated_home.rglob("*") if f.is_file()
    )
    resolved = resolve_connection("prod")
    assert resolved.secret.reveal() == "top-secret-value" and "top-secret" not in repr(resolved)
    with pytest.raises(ProfileError, match=r"cannot be sent to https://elsewhere\.example"):
        resolve_connection("prod", "https://elsewhere.example")
    assert resolve_connection("prod", "https://api.calven.com/").profile == "prod"
    remove_profile("prod")
    assert memory_keyring.store == {} and load_profiles() == {}


def test_resolving_without_a_profile_uses_the_environment() -> None:
    env = {"CALVEN_API_KEY": "k", "CALVEN_API_SECRET": "s"}
    resolved = resolve_connection(None, "https://api.calven.com", None, env)
    assert (resolved.key_id, resolved.secret.reveal(), resolved.auth) == ("k", "s", "hmac")
    with pytest.raises(ProfileError, match="CALVEN_API_KEY"):
        resolve_connection(None, "https://api.calven.com", None, {})
    with pytest.raises(ProfileError, match="--profile NAME"):
        resolve_connection(None, None, None, env)
    with pytest.raises(ProfileError, match="no profile named 'nope'"):
        resolve_connection("nope", None, None, env)


def test_no_keyring_refuses_to_store_but_allows_this_session() -> None:
    previous = keyring.get_keyring()
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    try:
        assert keyring_problem() == NO_KEYRING
        with pytest.raises(KeyringUnavailable, match="this session only"):
            save_profile(Profile("p", "k"), "s")
        assert load_profiles() == {}  # nothing half-saved
        profile = Profile("p", "k")
        use_for_session("p", "session-secret")
        assert secret_for(profile) == Secret("session-secret")
    finally:
        keyring.set_keyring(previous)


def test_secret_wrapper_hides_itself() -> None:
    secret = Secret("hunter2")
    assert (
        "hunter2" not in repr(secret)
        and "hunter2" not in str(secret)
        and "hunter2" not in f"{secret}"
    )
    assert secret.reveal() == "hunter2"
