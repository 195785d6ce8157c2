"""Writes a file whole or not at all, and keeps the permissions people and IT gave it.

A file is written beside its target and put in its place once complete, so a crash or a full disk
leaves the old file, never half of a new one. Putting it in place must not change who may read
it: a roster saved over a shared 664 file stays 664 for colleagues (on Windows the file keeps its
access list: `ReplaceFileW` swaps the contents under the old file's identity), and a new roster
gets the person's usual permissions (their umask, the folder's inherited rights), not 600.
The app's own state files (settings, profiles, autosaves) are the exception: owner-only
(`private=True`), as their folders are (`store/paths.py`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: Windows' ReplaceFileW flag: carry on when the old file's ACL or attributes cannot be merged
#: (a file on a share that does not keep them); the contents are replaced all the same.
REPLACEFILE_IGNORE_MERGE_ERRORS = 0x00000002


def _new_beside(path: Path, private: bool) -> Path:
    """An empty file in the target's folder, created with the mode a new file gets there:
    0o666 less the person's umask (and the folder's default access lists), or 0o600."""
    for _ in range(100):
        temporary = path.with_name(f".{path.stem}.{secrets.token_hex(4)}{path.suffix}")
        try:
            handle = os.open(
                temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600 if private else 0o666
            )
        except FileExistsError:
            continue
        os.close(handle)
        return temporary
    raise FileExistsError(f"no free temporary name beside {path.name}")


def _keep_permissions_of(target: Path, temporary: Path) -> None:
    """Give `temporary` the old file's mode, and its group when this user may (POSIX)."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        return
    os.chmod(temporary, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown"):
        # Not a member of that group: the folder's default group stays.
        with contextlib.suppress(OSError):
            os.chown(temporary, -1, old.st_gid)


def _windows_replace() -> Callable[[str, str, None, int, None, None], int]:
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    function: Callable[[str, str, None, int, None, None], int] = kernel32.ReplaceFileW
    return function


def _not_replaced(target: Path) -> OSError:
    """Why ReplaceFileW failed, in Windows' own words ("The process cannot access the file
    because it is being used by another process": the roster is open in Excel). Its error is a
    Windows code, which os.strerror reads as a C library's (32 became "Broken pipe")."""
    if sys.platform == "win32":
        import ctypes

        return ctypes.WinError(ctypes.get_last_error())
    return OSError(0, "the file could not be replaced", str(target))


def put_in_place(
    temporary: Path,
    target: Path,
    *,
    windows_replace: Callable[[str, str, None, int, None, None], int] | None = None,
) -> None:
    """Move a complete `temporary` over `target`, keeping the target's permissions.

    On Windows an existing target is swapped with ReplaceFileW, which keeps its access list,
    owner, attributes and creation time; `windows_replace` stands in for it where Windows is
    not (the tests)."""
    if (sys.platform == "win32" or windows_replace is not None) and target.exists():
        replace = windows_replace or _windows_replace()
        if not replace(
            str(target), str(temporary), None, REPLACEFILE_IGNORE_MERGE_ERRORS, None, None
        ):
            raise _not_replaced(target)
        return
    _keep_permissions_of(target, temporary)
    os.replace(temporary, target)


@contextmanager
def replacing(path: Path | str, *, private: bool = False) -> Iterator[Path]:
    """A path to write the new contents to (same folder and suffix); once the block ends
    without an error it takes `path`'s place keeping its permissions, else it is removed."""
    target = Path(path)
    temporary = _new_beside(target, private)
    try:
        yield temporary
        with open(temporary, "rb+") as stream:
            os.fsync(stream.fileno())
        put_in_place(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write `data` in `path`'s place in one step (a roster saved with Save as: it keeps the
    permissions it had, or gets the person's usual ones; `private`: owner-only)."""
    with replacing(path, private=private) as temporary:
        temporary.write_bytes(data)
    if private and sys.platform != "win32":
        os.chmod(path, 0o600)  # also when an older copy was looser


def write_text_atomically(path: Path, text: str, *, private: bool = True) -> None:
    """The app's own small state files: owner-only unless told."""
    write_bytes_atomically(path, text.encode("utf-8"), private=private)
