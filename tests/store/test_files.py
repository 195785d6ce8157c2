"""Per-user folders, and settings and profile files that a person or a crash may have damaged."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from calven_desk.store import paths
from calven_desk.store.atomic import write_text_atomically
from calven_desk.store.profiles import (
    Profile,
    ProfileError,
    check_profile,
    load_profiles,
    profiles_path,
)
from calven_desk.store.settings import (
    MAX_DATE_ORDERS,
    MAX_RECENT,
    Settings,
    load_settings,
    save_settings,
)


def test_every_folder_lives_under_the_home_variable(isolated_home: Path) -> None:
    folders = [paths.config_dir(), paths.data_dir(), paths.log_dir(), paths.cache_dir()]
    assert [f.relative_to(isolated_home).as_posix() for f in folders] == [
        "config",
        "data",
        "logs",
        "cache",
    ]
    assert all(f.is_dir() for f in folders)
    if sys.platform != "win32":  # the journal holds people's leave: nobody else may read it
        assert all(stat.S_IMODE(f.stat().st_mode) == 0o700 for f in folders)


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG variables are Linux's convention")
def test_without_the_variable_the_os_conventions_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CALVEN_DESK_HOME")
    for variable, folder in [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "share"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ]:
        monkeypatch.setenv(variable, str(tmp_path / folder))
    assert paths.config_dir() == tmp_path / "config" / "CalvenDesk"
    assert paths.data_dir() == tmp_path / "share" / "CalvenDesk"
    assert paths.log_dir() == tmp_path / "state" / "CalvenDesk" / "log"
    assert paths.cache_dir() == tmp_path / "cache" / "CalvenDesk"


def test_settings_of_the_wrong_kind_give_defaults() -> None:
    for junk in (
        {"parallel": 2.5},
        {"batch_size": True},
        {"timeout_seconds": "30"},
        {"recent_files": "C:/roster.xlsx"},
        {"recent_files": ["a.xlsx", 3]},
        {"date_order": 5},
        {"last_profile": ["prod"]},
    ):
        paths.config_dir().joinpath("settings.json").write_text(json.dumps(junk))
        assert load_settings() == Settings(), junk
    # Values from a newer or older version that this one does not know are simply ignored.
    paths.config_dir().joinpath("settings.json").write_text(
        json.dumps({"parallel": 2, "timeout_seconds": 10, "colour_scheme": "dark"})
    )
    assert load_settings() == Settings(parallel=2, timeout_seconds=10)


def test_settings_keep_recent_files_and_last_profile() -> None:
    settings = Settings(last_profile="prod", ca_bundle="/etc/ssl/corporate.pem")
    for number in range(MAX_RECENT + 5):
        settings.remember_file(f"/rosters/{number}.xlsx")
    save_settings(settings)
    loaded = load_settings()
    assert loaded == settings and len(loaded.recent_files) == MAX_RECENT
    assert loaded.recent_files[0] == f"/rosters/{MAX_RECENT + 4}.xlsx"
    # A missing CA file is kept (and reported when used), not silently thrown away.
    assert loaded.ca_bundle == "/etc/ssl/corporate.pem"
    assert any("certificate file" in p for p in loaded.problems())


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text('{"parallel": 2}', encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomically(target, '{"parallel": 3, "bad": "\ud800"}')
    assert target.read_text(encoding="utf-8") == '{"parallel": 2}'
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temporary left behind


def test_damaged_profile_files_keep_what_can_be_read() -> None:
    profiles_path().write_text(
        json.dumps(
            [
                1,
                "prod",
                {"name": "prod", "key_id": "k1"},
                {"name": "odd", "key_id": "k2", "colour": "red"},
                {"name": "test", "key_id": "k3", "base_url": "http://127.0.0.1:8080"},
            ]
        )
    )
    assert load_profiles() == {
        "prod": Profile("prod", "k1"),
        "test": Profile("test", "k3", "http://127.0.0.1:8080"),
    }
    for junk in ("{not json", '{"prod": {}}', "null"):
        profiles_path().write_text(junk)
        assert load_profiles() == {}


@pytest.mark.parametrize(
    ("profile", "words"),
    [
        (Profile("", "k"), "needs a name"),
        (Profile("x" * 65, "k"), "needs a name"),
        (Profile("prod", " "), "API key id"),
        (Profile("prod", "k", auth="password"), "hmac or client_secret"),
    ],
)
def test_unusable_profiles_are_refused(profile: Profile, words: str) -> None:
    with pytest.raises(ProfileError, match=words):
        check_profile(profile)


def test_answers_about_date_order_are_kept_per_shape_and_checked() -> None:
    """Issue 19: the window remembers "day-first" or "month-first" for files of each shape."""
    settings = Settings()
    for number in range(MAX_DATE_ORDERS + 3):
        settings.remember_date_order(f"email|start|end|{number}", "mdy")
    settings.remember_date_order("email|start|end|5", "dmy")  # answered again: newest now
    save_settings(settings)
    loaded = load_settings()
    assert len(loaded.date_orders) == MAX_DATE_ORDERS
    assert "email|start|end|0" not in loaded.date_orders  # the oldest answers went first
    assert list(loaded.date_orders.items())[-1] == ("email|start|end|5", "dmy")
    for junk in (
        {"date_orders": {"a|b": "ymd"}},
        {"date_orders": ["a|b"]},
        {"date_orders": {"a": 1}},
    ):
        paths.config_dir().joinpath("settings.json").write_text(json.dumps(junk))
        assert load_settings() == Settings(), junk
