"""Telling a live process from a dead one without touching it (on Windows, a signal would end it)."""

from __future__ import annotations

import os
import subprocess
import sys

from calven_desk.store.processes import process_alive


def test_a_live_process_is_alive_and_an_ended_one_is_not() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert process_alive(child.pid)
        assert process_alive(child.pid)  # asking again did not end it
    finally:
        child.kill()
        child.wait()
    assert not process_alive(child.pid)
    assert process_alive(os.getpid())
    assert not process_alive(0) and not process_alive(-5)
