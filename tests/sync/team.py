"""HR computers for the team-memory tests: each its own Calven Desk folder (`CALVEN_DESK_HOME`,
so its own journal, settings and profiles), all sending to one sandbox through one team memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET
from calven_desk.store.settings import Settings, save_settings
from tests.cli.run import calven_desk
from tests.team_db import TeamDb

KEYS = {"CALVEN_API_KEY": DEMO_KEY_ID, "CALVEN_API_SECRET": DEMO_SECRET}


@contextmanager
def at_home(home: Path) -> Iterator[None]:
    """This process acting as that computer (its settings, its journal), for a moment."""
    before = os.environ.get("CALVEN_DESK_HOME")
    os.environ["CALVEN_DESK_HOME"] = str(home)
    try:
        yield
    finally:
        if before is None:
            del os.environ["CALVEN_DESK_HOME"]
        else:
            os.environ["CALVEN_DESK_HOME"] = before


@dataclass(frozen=True)
class Computer:
    """One HR computer: its own folder, the team's memory (or none: its own journal's)."""

    home: Path
    team: TeamDb | None

    def env(self) -> dict[str, str]:
        memory = self.team.env() if self.team is not None else {}
        return {**KEYS, **memory, "CALVEN_DESK_HOME": str(self.home)}

    def settings(self, **chosen: Any) -> None:
        with at_home(self.home):
            save_settings(Settings(**chosen))

    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return calven_desk(*args, env=self.env())

    def start(self, *args: str | Path) -> subprocess.Popen[str]:
        """A command left running (a send under way), as a scheduled job would be."""
        return subprocess.Popen(
            [sys.executable, "-m", "calven_desk", *map(str, args)],
            env={**os.environ, **self.env()},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
        )

    def submit(self, roster: Path, url: str, *more: str) -> dict[str, Any]:
        result = self.run("submit", roster, "--base-url", url, "--json", *more)
        assert result.stdout, result.stderr
        body: dict[str, Any] = json.loads(result.stdout)
        return body

    def diff(self, roster: Path, url: str) -> dict[str, Any]:
        result = self.run("diff", roster, "--base-url", url, "--json")
        assert result.returncode == 0, result.stderr
        body: dict[str, Any] = json.loads(result.stdout)
        return body


def changes(found: dict[str, Any]) -> dict[str, int]:
    """A diff's summary without its zeros."""
    return {k: v for k, v in found["summary"].items() if v}
