"""The window keeps the C allocator to two pools on Linux, so threads' freed memory is shared."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

SCRIPT = """
import ctypes, ctypes.util, sys, threading
from calven_desk.gui.start.allocator import limit_allocator_pools
if sys.argv[1] == "limit":
    assert limit_allocator_pools()
def churn():
    kept = [bytes(600 + i % 300) for i in range(20000)]  # above Python's small-object size
    del kept
threads = [threading.Thread(target=churn) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.fflush(None)
out = ctypes.c_void_p.in_dll(libc, "stdout")
libc.malloc_info(0, out)
libc.fflush(None)
"""


def pools(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return len(re.findall(r'<heap nr="\d+">', done.stdout))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's pools are Linux's")
def test_threads_share_two_pools_instead_of_one_each() -> None:
    assert pools("limit") <= 2
    assert pools("free") > 2  # without the limit, the eight threads took pools of their own
