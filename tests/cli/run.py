"""Runs `calven-desk` as a separate process, the way IT's scheduled jobs call it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO


def calven_desk(
    *args: str | Path,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    stdout: IO[str] | int = subprocess.PIPE,
) -> subprocess.CompletedProcess[str]:
    """The command's output as a job gets it: buffered, as Python buffers a pipe unless told not
    to (PYTHONUNBUFFERED, set in some shells and CI images, would hide output never flushed).
    `stdout`: where its output goes (captured unless told)."""
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "calven_desk", *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**inherited, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
