"""`calven-desk directory` and `--directory` on validate and submit, as separate processes on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from calven_desk.calven.sandbox import (
    ALL_PERMISSIONS,
    DEMO_KEY_ID,
    DEMO_SECRET,
    SUBMITTING,
    WAREHOUSE_KEY_ID,
    Sandbox,
)
from calven_desk.cli import main
from calven_desk.store.directory import directory_path
from calven_desk.store.settings import Settings, save_settings
from tests.cli.run import calven_desk
from tests.conftest import MemoryKeyring
from tests.roster.files import write_csv

ENV = {"CALVEN_API_KEY": DEMO_KEY_ID, "CALVEN_API_SECRET": DEMO_SECRET}
USERS = [
    "ana.lima@example.com, Ana, Lima, active, U-ANA",
    "Ben.Okafor@example.com, Ben, Okafor",
    "chen.wei@example.com, Chen, Wei",
    "old.hand@example.com, Old, Hand, deactivated",
]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(users=USERS, role=ALL_PERMISSIONS) as running:
        yield running


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "leave.csv",
        [
            ["Employee Name", "Email", "Calven uid", "Start", "End"],
            ["Ben Okafor", "Ben.Okafor@example.com", "", "2030-02-01", "2030-02-02"],
            ["Ben Okafor", "ben.okafor@example.com", "", "2030-03-01", "2030-03-02"],
            ["Chen Wei", "chen.wie@example.com", "", "2030-02-01", "2030-02-02"],
            ["Old Hand", "old.hand@example.com", "", "2030-02-01", "2030-02-02"],
            ["Ana Lima", "", "U-ANA", "2030-02-01", "2030-02-02"],
            ["Nobody", "", "U-NOBODY", "2030-02-01", "2030-02-02"],
        ],
    )


def by_row(report: dict[str, Any]) -> dict[int, Any]:
    return {r["row"]: r for r in report["rows"]}


def test_directory_command_counts_ages_refreshes_and_forgets(sandbox: Sandbox) -> None:
    first = calven_desk("directory", "--base-url", sandbox.url, "--json", env=ENV)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert set(report) == {
        "host",
        "checked",
        "users",
        "fetched_at",
        "by_status",
        "age_seconds",
        "refreshed",
    }
    assert (report["checked"], report["users"], report["refreshed"]) == (True, 4, True)
    assert report["by_status"] == {"active": 3, "deactivated": 1}
    datetime.fromisoformat(report["fetched_at"])

    again = json.loads(
        calven_desk("directory", "--base-url", sandbox.url, "--json", env=ENV).stdout
    )
    assert not again["refreshed"] and again["fetched_at"] == report["fetched_at"]
    text = calven_desk("directory", "--base-url", sandbox.url, env=ENV)
    assert "4 people (3 active, 1 deactivated), fetched" in text.stdout and " ago " in text.stdout
    asked = json.loads(
        calven_desk("directory", "--base-url", sandbox.url, "--refresh", "--json", env=ENV).stdout
    )
    assert asked["refreshed"] and asked["fetched_at"] != report["fetched_at"]

    path = directory_path(sandbox.url, DEMO_KEY_ID)
    assert path.exists()
    gone = calven_desk("directory", "--base-url", sandbox.url, "--forget", env=ENV)
    assert gone.returncode == 0 and "Deleted the kept user list" in gone.stdout
    assert not path.exists()
    again_gone = calven_desk("directory", "--base-url", sandbox.url, "--forget", env=ENV)
    assert "No user list was kept" in again_gone.stdout


def test_a_list_older_than_a_day_is_fetched_again(sandbox: Sandbox) -> None:
    calven_desk("directory", "--base-url", sandbox.url, env=ENV)
    path = directory_path(sandbox.url, DEMO_KEY_ID)
    kept = json.loads(path.read_text(encoding="utf-8"))
    kept["fetched_at"] = (datetime.now(UTC) - timedelta(hours=25)).isoformat()
    kept["users"] = kept["users"][:1]  # what Calven had a day ago
    path.write_text(json.dumps(kept), encoding="utf-8")
    report = json.loads(
        calven_desk("directory", "--base-url", sandbox.url, "--json", env=ENV).stdout
    )
    assert report["refreshed"] and report["users"] == 4 and report["age_seconds"] < 60


def test_the_age_limit_is_a_setting(sandbox: Sandbox) -> None:
    save_settings(Settings(directory_max_age_hours=1))
    calven_desk("directory", "--base-url", sandbox.url, env=ENV)
    path = directory_path(sandbox.url, DEMO_KEY_ID)
    kept = json.loads(path.read_text(encoding="utf-8"))
    kept["fetched_at"] = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    path.write_text(json.dumps(kept), encoding="utf-8")
    report = json.loads(
        calven_desk("directory", "--base-url", sandbox.url, "--json", env=ENV).stdout
    )
    assert report["refreshed"] and report["age_seconds"] < 60


def test_validate_with_the_directory(sandbox: Sandbox, roster: Path) -> None:
    result = calven_desk(
        "validate", roster, "--directory", "--base-url", sandbox.url, "--json", env=ENV
    )
    assert result.returncode == 1, result.stderr  # the wrongly capitalised row is an error
    report = json.loads(result.stdout)
    # Written piece by piece, the text is still exactly what json.dumps writes for it.
    assert result.stdout == json.dumps(report, ensure_ascii=False) + "\n"
    assert list(report)[-2:] == ["summary", "directory"]
    assert set(report["directory"]) == {"checked", "users", "fetched_at"}
    assert (report["directory"]["checked"], report["directory"]["users"]) == (True, 4)
    rows = by_row(report)
    assert rows[2]["status"] == "valid" and "person" not in rows[2]  # its email names them
    assert rows[3]["status"] == "invalid" and rows[3]["event"] is None
    assert rows[3]["problems"] == [
        {
            "field": "email",
            "severity": "error",
            "message": "Calven has this person as Ben.Okafor@example.com; Calven matches "
            "addresses exactly.",
            "suggestion": "Ben.Okafor@example.com",
        }
    ]
    near = rows[4]["problems"][0]
    assert near["severity"] == "warning" and near["suggestion"] == "chen.wei@example.com"
    assert near["message"].startswith("Calven does not know chen.wie@example.com as of ")
    assert rows[5]["status"] == "warning" and "not active" in rows[5]["problems"][0]["message"]
    assert rows[6]["status"] == "valid" and rows[6]["person"] == "Ana Lima"
    assert rows[7]["problems"][0]["field"] == "uid" and "person" not in rows[7]

    text = calven_desk("validate", roster, "--directory", "--base-url", sandbox.url, env=ENV)
    assert "Row 6: uid U-ANA is Ana Lima in Calven." in text.stdout
    assert "Checked against Calven's user list of 4 people as of " in text.stdout


def test_without_the_role_the_check_is_skipped_in_one_sentence(roster: Path) -> None:
    plain = json.loads(calven_desk("validate", roster, "--json").stdout)
    with Sandbox(users=USERS, role=SUBMITTING) as sandbox:
        result = calven_desk(
            "validate", roster, "--directory", "--base-url", sandbox.url, "--json", env=ENV
        )
        command = calven_desk("directory", "--base-url", sandbox.url, env=ENV)
    assert result.returncode == 0, result.stderr  # nothing else in the roster is wrong
    report = json.loads(result.stdout)
    assert report["directory"]["checked"] is False
    assert "'Data Warehouse'" in report["directory"]["reason"]
    assert result.stderr.strip() == report["directory"]["reason"]
    del report["directory"]
    assert report == plain
    assert command.returncode == 2 and "'Data Warehouse'" in command.stderr


def test_submit_with_the_directory_never_sends_the_wrong_capitals(
    sandbox: Sandbox, roster: Path
) -> None:
    result = calven_desk(
        "submit", roster, "--directory", "--base-url", sandbox.url, "--json", env=ENV
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["directory"]["checked"] is True and report["directory"]["users"] == 4
    outcomes = {r["row"]: r["outcome"] for r in report["rows"]}
    assert outcomes[3] == "skipped" and outcomes[2] == "accepted"
    assert "ben.okafor@example.com" not in {e.get("email") for e in sandbox.accepted}


def test_a_profile_with_a_directory_key(
    memory_keyring: MemoryKeyring,
    roster: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CALVEN_API_SECRET", DEMO_SECRET)
    with Sandbox(users=USERS, role=SUBMITTING) as sandbox:
        monkeypatch.setenv("CALVEN_DIRECTORY_SECRET", DEMO_SECRET)
        status = main(
            [
                "profile",
                "add",
                "work",
                "--key-id",
                DEMO_KEY_ID,
                "--base-url",
                sandbox.url,
                "--directory-key-id",
                WAREHOUSE_KEY_ID,
            ]
        )
        assert status == 0
        assert memory_keyring.store == {
            ("Calven Desk", "profile:work"): DEMO_SECRET,
            ("Calven Desk", "profile:work:directory"): DEMO_SECRET,
        }
        monkeypatch.delenv("CALVEN_API_SECRET")
        monkeypatch.delenv("CALVEN_DIRECTORY_SECRET")
        capsys.readouterr()
        assert main(["profile", "list"]) == 0
        assert f"directory key {WAREHOUSE_KEY_ID}" in capsys.readouterr().out
        status = main(["validate", str(roster), "--directory", "--profile", "work", "--json"])
        report = json.loads(capsys.readouterr().out)
        assert status == 1 and report["directory"]["checked"] is True
        assert main(["profile", "remove", "work"]) == 0
    assert memory_keyring.store == {}
