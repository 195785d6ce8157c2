"""Keep a long day's memory from creeping up: the C allocator's per-thread pools on Linux.

glibc gives every thread that allocates its own pool of memory (up to eight per core), and memory
freed in one is reused only by that pool. The window's workers, the comparison with Calven and the
user-list check each run on threads of their own, so a day of rosters left memory stranded in a
dozen pools: 20 rosters of 5,000 rows in one window grew 64 MB, 39 MB with two pools
(bench/bench_long_session.py). Python's own small objects are not affected (they come from its own
arenas); the big lists, strings and Qt's buffers are.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

#: glibc's mallopt parameter for the number of pools (malloc.h: M_ARENA_MAX).
M_ARENA_MAX = -8
#: Two pools: the window's thread and the workers, which take turns running Python anyway.
POOLS = 2


def limit_allocator_pools(pools: int = POOLS) -> bool:
    """Ask glibc to keep at most `pools` pools, before any thread starts; True when it did.

    Elsewhere (Windows, macOS, another C library) nothing is done: their allocators share freed
    memory between threads already."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, pools))
