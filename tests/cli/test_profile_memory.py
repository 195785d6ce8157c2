"""A profile's team memory: its address in the profile, its password in the keyring only; a job
without a profile names it with --memory or CALVEN_DESK_MEMORY; a profile's memory is never
quietly swapped for another."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Sandbox
from calven_desk.cli import main
from calven_desk.store.profiles import load_profiles
from tests.conftest import MemoryKeyring
from tests.sync.calendar import write_roster
from tests.team_db import TeamDb, team_db

__all__ = ["team_db"]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_profiles_team_memory_keeps_its_password_in_the_keyring(
    memory_keyring: MemoryKeyring,
    sandbox: Sandbox,
    team_db: TeamDb,
    isolated_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALVEN_API_SECRET", DEMO_SECRET)
    monkeypatch.setenv("PGPASSWORD", team_db.password)  # what `profile add` reads with no terminal
    status, out, err = run(
        capsys, "profile", "add", "team", "--key-id", DEMO_KEY_ID, "--base-url", sandbox.url,
        "--memory", team_db.url,
    )  # fmt: skip
    assert status == 0, err
    assert "its memory is the team's (PostgreSQL at 127.0.0.1:" in out
    assert memory_keyring.store[("Calven Desk", "profile:team:memory")] == team_db.password
    assert load_profiles()["team"].memory == team_db.url
    monkeypatch.delenv("PGPASSWORD")  # from now on only the keyring has it
    monkeypatch.delenv("CALVEN_API_SECRET")

    status, out, _ = run(capsys, "profile", "list")
    assert f"memory {team_db.url}" in out
    status, out, _ = run(capsys, "profile", "test", "team")
    assert status == 0 and "the key works" in out
    assert "The team memory (PostgreSQL at 127.0.0.1:" in out and "answers: 0 events" in out

    roster = write_roster(
        tmp_path / "march.csv",
        [("anna@example.com", "2031-05-04", "2031-05-05", "Annual", "Approved", "R1")],
        True,
    )
    status, out, err = run(capsys, "submit", roster, "--profile", "team", "--json")
    assert status == 0, err
    held = team_db.query("SELECT event_id, state FROM calven_desk.memory_events")
    assert held == [("R1", "held")]  # in the team's database, not in this computer's journal
    status, out, _ = run(capsys, "diff", roster, "--profile", "team", "--json")
    assert json.loads(out)["summary"]["unchanged"] == 1

    # A profile's memory is its own: another named beside it is refused, not used or ignored.
    status, out, err = run(
        capsys, "diff", roster, "--profile", "team", "--memory", "postgresql://x@elsewhere/db"
    )
    assert status == 2 and err.startswith("Profile 'team' keeps its memory at ")
    monkeypatch.setenv("CALVEN_DESK_MEMORY", "postgresql://x@elsewhere/db")
    status, out, err = run(capsys, "submit", roster, "--profile", "team")
    assert status == 2 and "CALVEN_DESK_MEMORY names another" in err
    monkeypatch.delenv("CALVEN_DESK_MEMORY")

    # The password is in no file of ours, and a password typed into the address moves too.
    everything = b"".join(f.read_bytes() for f in isolated_home.rglob("*") if f.is_file())
    assert team_db.password.encode() not in everything
    with_password = team_db.url.replace("@", ":typed-secret@", 1)
    monkeypatch.setenv("CALVEN_API_SECRET", DEMO_SECRET)
    status, _, err = run(
        capsys, "profile", "add", "typed", "--key-id", DEMO_KEY_ID, "--base-url", sandbox.url,
        "--memory", with_password,
    )  # fmt: skip
    assert status == 0, err
    assert load_profiles()["typed"].memory == team_db.url
    assert memory_keyring.store[("Calven Desk", "profile:typed:memory")] == "typed-secret"
    run(capsys, "profile", "remove", "typed")
    assert ("Calven Desk", "profile:typed:memory") not in memory_keyring.store


def test_a_password_in_a_jobs_address_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = write_roster(
        tmp_path / "march.csv",
        [("anna@example.com", "2031-05-04", "2031-05-05", "Annual", "Approved", "R1")],
        True,
    )
    monkeypatch.setenv("CALVEN_API_KEY", DEMO_KEY_ID)
    for address in (
        "postgresql://hr:s3cret@db/calven",
        "postgresql://hr@db/calven?password=s3cret",
    ):
        status, _, err = run(
            capsys, "diff", roster, "--base-url", "https://api.calven.com", "--memory", address
        )
        assert status == 2 and "Leave the password out" in err and "s3cret" not in err
    status, _, err = run(
        capsys, "diff", roster, "--base-url", "https://api.calven.com", "--memory", "mysql://x/y"
    )
    assert status == 2 and "must start with postgresql://" in err
