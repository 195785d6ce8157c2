"""Per-user folders for settings, the journal and logs, following each OS's conventions."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "CalvenDesk"
#: Puts every folder under one root: tests use it so nothing touches the real profile, and IT can
#: use it for a portable or service-account install.
HOME_VARIABLE = "CALVEN_DESK_HOME"


def _folder(kind: str) -> Path:
    root = os.environ.get(HOME_VARIABLE)
    if root:
        path = Path(root) / kind
    elif kind == "config":
        path = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    elif kind == "data":
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    elif kind == "cache":
        path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    else:
        path = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    # Owner-only: the journal and autosaves hold people's names, e-mails and leave dates.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Settings and connection profiles (never secrets)."""
    return _folder("config")


def data_dir() -> Path:
    """The journal and autosaved recovery files."""
    return _folder("data")


def log_dir() -> Path:
    return _folder("logs")


def cache_dir() -> Path:
    """Things that can be thrown away and rebuilt (the OS may clear it)."""
    return _folder("cache")
