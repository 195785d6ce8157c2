"""`calven-desk WORD`: the window opens only for no word or an existing file; a typo is one sentence.

Each case runs the real command as a separate process with CALVEN_DESK_FIRST_PAINT=1, which makes a
window that does open print "painted" and quit: so "no window" is seen directly, never waited out.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from calven_desk import cli
from tests.cli.run import calven_desk
from tests.rosters import write_rosters

WINDOW = {"CALVEN_DESK_FIRST_PAINT": "1", "QT_QPA_PLATFORM": "offscreen"}


def refused(*args: str | Path) -> str:
    """Run the command, check it was refused without a window, and return its one line."""
    result = calven_desk(*args, env=WINDOW, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "painted" not in result.stdout and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_a_typo_lists_the_commands_and_suggests_the_closest(tmp_path: Path) -> None:
    roster = write_rosters(tmp_path) / "hr-export.xlsx"  # the file exists: the typo is the problem
    line = refused("valdate", roster)
    assert line.startswith("'valdate' is not a Calven Desk command or a file; the commands are ")
    assert all(name in line for name in cli.COMMANDS)
    assert line.endswith("(did you mean 'validate'?).")


def test_a_command_that_does_not_exist_suggests_nothing(tmp_path: Path) -> None:
    line = refused("frobnicate", tmp_path / "x.csv")
    assert line.startswith("'frobnicate' is not a Calven Desk command or a file;")
    assert "did you mean" not in line


@pytest.mark.parametrize("name", ["roster.xlsx", "leave/march.csv", "nothing-here.ods"])
def test_a_missing_file_is_named(tmp_path: Path, name: str) -> None:
    missing = tmp_path / name
    line = refused(missing)
    assert line == f"There is no file {missing}; check its name and folder."


def test_a_relative_missing_file_says_where_it_was_looked_for(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "calven_desk", "roster.xlsx"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, **WINDOW},
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2 and "painted" not in result.stdout
    assert result.stderr.strip() == (
        f"There is no file roster.xlsx (looked for {tmp_path / 'roster.xlsx'}); "
        "check its name and folder."
    )


def test_a_folder_is_not_a_roster(tmp_path: Path) -> None:
    assert "is a folder, not a roster file" in refused(tmp_path)


def test_refusing_never_loads_qt() -> None:
    """The refusal is fast because nothing of Qt is imported before it."""
    code = (
        "import sys; from calven_desk.cli import main; status = main(['valdate']); "
        "print(status, [m for m in sys.modules if m.startswith('PySide6')])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "2 []"


def test_an_existing_file_still_opens_the_window(tmp_path: Path) -> None:
    roster = write_rosters(tmp_path) / "uk-semicolon.csv"
    result = calven_desk(roster, env=WINDOW, timeout=120)
    assert result.returncode == 0 and "painted" in result.stdout, result.stderr


def test_suggestions_come_from_the_registered_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command registered later (in COMMANDS) is listed and suggested without other changes."""
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "forecast"))
    sentence = cli.not_a_command("forecats")
    assert f"{', '.join(cli.COMMANDS[:-1])} and forecast" in sentence
    assert sentence.endswith("(did you mean 'forecast'?).")
    assert not cli.opens_in_window("forecast")


def test_commands_and_options_still_reach_the_parser() -> None:
    result = calven_desk("--version", timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("calven-desk ")
    assert calven_desk("validate", timeout=60).returncode == 2  # argparse: FILE is required
