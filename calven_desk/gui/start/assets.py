"""Finds the files shipped in resources/ from a checkout, an install or a PyInstaller bundle."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

PACKAGE = "calven_desk.resources"


def asset(name: str) -> Path:
    with as_file(files(PACKAGE) / name) as path:
        return Path(path)


def sample_roster() -> Path:
    return asset("sample-roster.xlsx")


def sample_users() -> list[str]:
    text = asset("sample-users.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]
