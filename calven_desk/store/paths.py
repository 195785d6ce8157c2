"""Per-user folders for settings, the journal and logs, following each OS's conventions."""

from __future__ import annotations

import logging
import os
import stat
import sys
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
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    owner_only(path)
    return path


def owner_only(path: Path) -> None:
    """The journal, autosaves, the kept user list and logs hold people's names, e-mails and leave
    dates: only their owner may open the folder, also when it was made earlier with looser
    rights (an older version, a copy, a hand-made folder). Windows keeps these folders in the
    person's own profile, whose access list already says so (chmod would only set read-only)."""
    if sys.platform == "win32":
        return
    try:
        if stat.S_IMODE(path.stat().st_mode) != 0o700:
            path.chmod(0o700)
    except OSError as exc:  # a folder someone else owns: say so in the log, carry on
        logging.getLogger("calven_desk").warning("Cannot make %s owner-only: %s", path, exc)


def secure_folders() -> None:
    """At start: every folder of the app exists and is owner-only."""
    for folder in (config_dir, data_dir, log_dir, cache_dir):
        folder()


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
