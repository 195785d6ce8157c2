"""The project's own test rosters (tests/rosters.py) give what the shared rosters' README documents."""

from __future__ import annotations

from pathlib import Path

from tests.roster.outcomes import check_hr_export, check_seed_example, check_uk_semicolon


def test_seed_example(rosters: Path) -> None:
    check_seed_example(rosters / "seed-example.csv")


def test_hr_export(rosters: Path) -> None:
    check_hr_export(rosters / "hr-export.xlsx")


def test_uk_semicolon(rosters: Path) -> None:
    raw = (rosters / "uk-semicolon.csv").read_bytes()
    assert "Zoë".encode("cp1252") in raw and b";" in raw  # really Windows-1252 with semicolons
    check_uk_semicolon(rosters / "uk-semicolon.csv")
