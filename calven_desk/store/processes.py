"""Whether a process on this computer still runs: for a run's or a sender's claim left by a crash.

`os.kill(pid, 0)` asks that on Linux and macOS without touching the process. On Windows any signal
but Ctrl+C and Ctrl+Break ends the process outright, so there the question goes to the system:
a second window asking whether the first one still sends must never end it.
"""

from __future__ import annotations

import os
import sys


def process_alive(pid: int) -> bool:
    """True while a process with this id exists (another person's included: it is alive, only
    not ours to signal)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _windows_alive(pid: int) -> bool:
    import ctypes
    from ctypes import wintypes

    query = 0x1000  # PROCESS_QUERY_LIMITED_INFORMATION
    still_active, access_denied = 259, 5
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    handle = kernel32.OpenProcess(query, False, pid)
    if not handle:
        # Denied: it exists (another user's, or a protected one); else no such process.
        return bool(ctypes.get_last_error() == access_denied)  # type: ignore[attr-defined,unused-ignore]
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True  # it exists; whether it ended cannot be told: the safe answer
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
