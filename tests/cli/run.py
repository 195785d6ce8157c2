"""Runs `calven-desk` as a separate process, the way IT's scheduled jobs call it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def calven_desk(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The command's output as a job gets it: buffered, as Python buffers a pipe unless told not
    to (PYTHONUNBUFFERED, set in some shells and CI images, would hide output never flushed)."""
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "calven_desk", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**inherited, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
