"""Every test runs with its own per-user folders and offscreen Qt, so nothing touches the real profile."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED_ROSTERS = Path(__file__).resolve().parents[2] / "shared" / "rosters"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every per-user folder (config, data, logs) into the test's own temporary folder."""
    home = tmp_path / "calven-home"
    monkeypatch.setenv("CALVEN_DESK_HOME", str(home))
    for name in ("CALVEN_API_KEY", "CALVEN_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    yield home


@pytest.fixture
def shared_rosters() -> Path:
    """The test rosters that come with the project brief; their README says what each must give."""
    if not SHARED_ROSTERS.is_dir():
        pytest.fail(f"The shared test rosters are missing: expected them in {SHARED_ROSTERS}")
    return SHARED_ROSTERS
