"""Files keep the permissions people and IT gave them; the app's own folders are owner-only."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from calven_desk.calven.results_file import write_results
from calven_desk.roster import read_table
from calven_desk.store import paths
from calven_desk.store.atomic import (
    REPLACEFILE_IGNORE_MERGE_ERRORS,
    put_in_place,
    replacing,
    write_text_atomically,
)
from calven_desk.store.settings import Settings, save_settings
from tests.roster.files import write_csv

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_002() -> Iterator[None]:
    """A shared-folder person's umask (group may write), as on many HR file servers."""
    old = os.umask(0o002)
    try:
        yield
    finally:
        os.umask(old)


def test_saving_over_a_shared_file_keeps_its_mode(tmp_path: Path, umask_002: None) -> None:
    roster = write_csv(
        tmp_path / "team.csv",
        [["Email", "Start Date", "End Date"], ["a@example.com", "2030-01-02", "2030-01-03"]],
    )
    for kept in (0o664, 0o640, 0o644):
        roster.chmod(kept)
        write_results(roster, read_table(roster), [])
        assert mode(roster) == kept
        assert read_table(roster).headers[-1] == "Sent at"  # the new contents are there
    assert [p.name for p in tmp_path.iterdir()] == ["team.csv"]  # no temporary file left


def test_a_new_file_gets_the_persons_usual_mode_not_600(tmp_path: Path, umask_002: None) -> None:
    with replacing(tmp_path / "new.xlsx") as temporary:
        temporary.write_bytes(b"contents")
    assert mode(tmp_path / "new.xlsx") == 0o664
    os.umask(0o022)
    with replacing(tmp_path / "other.csv") as temporary:
        temporary.write_text("x")
    assert mode(tmp_path / "other.csv") == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "keep.csv"
    target.write_text("old")
    target.chmod(0o664)
    with pytest.raises(RuntimeError), replacing(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old" and mode(target) == 0o664
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_the_apps_own_files_are_owner_only(tmp_path: Path, umask_002: None) -> None:
    state = tmp_path / "settings.json"
    state.write_text("{}")
    state.chmod(0o644)  # an older copy, made looser by hand
    write_text_atomically(state, "{}")
    assert mode(state) == 0o600
    save_settings(Settings())
    assert mode(paths.config_dir() / "settings.json") == 0o600


def test_folders_that_already_exist_are_made_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv(paths.HOME_VARIABLE, str(home))
    for kind in ("config", "data", "logs", "cache"):
        (home / kind).mkdir(parents=True)
        (home / kind).chmod(0o755)
    paths.secure_folders()
    assert {
        kind: mode(home / kind) for kind in ("config", "data", "logs", "cache")
    } == dict.fromkeys(("config", "data", "logs", "cache"), 0o700)


def test_the_command_line_makes_them_owner_only_at_start(tmp_path: Path) -> None:
    from tests.cli.run import calven_desk

    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    (home / "data").chmod(0o755)
    result = calven_desk("history", env={paths.HOME_VARIABLE: str(home)})
    assert result.returncode == 0, result.stderr
    assert mode(home / "data") == 0o700


def test_windows_replaces_the_contents_keeping_the_files_acl(tmp_path: Path) -> None:
    """ReplaceFileW cannot run here: a stand-in records how it is called, and does what it
    does to the contents (the access list it keeps is Windows' own)."""
    target, temporary = tmp_path / "shared.xlsx", tmp_path / ".shared.tmp.xlsx"
    target.write_text("old")
    temporary.write_text("new")
    calls: list[tuple[object, ...]] = []

    def replace_file(*args: object) -> int:
        calls.append(args)
        os.replace(str(args[1]), str(args[0]))
        return 1

    put_in_place(temporary, target, windows_replace=replace_file)
    assert calls == [
        (str(target), str(temporary), None, REPLACEFILE_IGNORE_MERGE_ERRORS, None, None)
    ]
    assert target.read_text() == "new"
    temporary.write_text("newer")
    with pytest.raises(OSError, match="could not be replaced"):
        put_in_place(temporary, target, windows_replace=lambda *_: 0)
