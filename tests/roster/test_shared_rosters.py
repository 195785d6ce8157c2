"""An extra check: the team's shared test rosters in ../shared/rosters give what their README says.

The suite's own rosters (tests/rosters.py) copy their situations, so a bare clone passes without
them. When the folder sits beside the checkout these tests run the same checks on the originals;
under CI (`CI=1`, which has the folder) its absence is a failure, elsewhere a skip that says why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from calven_desk.roster import load_roster
from tests.roster.outcomes import TODAY, check_hr_export, check_seed_example, check_uk_semicolon

SHARED_ROSTERS = Path(__file__).resolve().parents[3] / "shared" / "rosters"
NAMES = ("hr-export.xlsx", "seed-example.csv", "uk-semicolon.csv")


@pytest.fixture
def shared_rosters() -> Path:
    if not SHARED_ROSTERS.is_dir():
        message = (
            f"the shared test rosters are not beside the checkout (looked in {SHARED_ROSTERS})"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must have them")
        pytest.skip(message)
    return SHARED_ROSTERS


def test_seed_example(shared_rosters: Path) -> None:
    check_seed_example(shared_rosters / "seed-example.csv")


def test_hr_export(shared_rosters: Path) -> None:
    check_hr_export(shared_rosters / "hr-export.xlsx")


def test_uk_semicolon(shared_rosters: Path) -> None:
    check_uk_semicolon(shared_rosters / "uk-semicolon.csv")


@pytest.mark.parametrize("name", NAMES)
def test_own_rosters_read_like_the_shared_ones(
    shared_rosters: Path, rosters: Path, name: str
) -> None:
    """The suite's own copies hold the same cells and give the same rows, so the tests that use
    them test what the shared rosters would."""
    ours = load_roster(rosters / name, today=TODAY)
    theirs = load_roster(shared_rosters / name, today=TODAY)
    assert ours.table.header_row == theirs.table.header_row
    assert [r.cells for r in ours.table.rows] == [r.cells for r in theirs.table.rows]
    assert [(r.row, r.status, r.event, r.problems) for r in ours.rows] == [
        (r.row, r.status, r.event, r.problems) for r in theirs.rows
    ]
