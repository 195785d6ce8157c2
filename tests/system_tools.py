"""Tests that need a program from the operating system: a keyring daemon, binutils, ICU's tools."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable

import pytest


def require_tools(tools: Iterable[str], install: str) -> None:
    """Skip when a tool is missing on a developer's machine, but fail under CI: .ci/run installs
    every one, so a missing tool there is a broken CI, never a test quietly counted as done."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} not installed ({install})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
