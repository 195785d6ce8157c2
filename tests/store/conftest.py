"""The memory's rules are tested over both places it can live: this computer's journal (SQLite)
and a team's PostgreSQL (issue 22), one implementation of the rules for both."""

from __future__ import annotations

import pytest

from calven_desk.store.memory_address import MemoryAddress
from calven_desk.store.secrets import Secret
from tests.team_db import team_db

__all__ = ["team_db"]


@pytest.fixture(params=["this computer", "team"])
def memory(request: pytest.FixtureRequest) -> MemoryAddress | None:
    """Where a test's journal keeps its memory: None (its own SQLite) or a team database."""
    if request.param == "this computer":
        return None
    made = request.getfixturevalue("team_db")
    return MemoryAddress(made.url, Secret(made.password))
