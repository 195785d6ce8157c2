"""End to end: the real window under Xvfb, read through AT-SPI, the bus Linux screen readers use.

A private D-Bus session (which starts AT-SPI's own bus on demand), a private X server, the app with
Qt's accessibility bridge on, and tests/gui/atspi_reader.py run by Debian's own Python 3 (pyatspi
lives there, not in the project's virtual environment). The reader finds the table, the Submit
actions and the status bar by name, sends the sample roster to the sandbox, and hears the run
announced. Needs xvfb, dbus, at-spi2-core and python3-pyatspi (`.ci/run` installs them): skipped
on a machine without them, a failure under CI.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.system_tools import require_tools

SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
READER = Path(__file__).with_name("atspi_reader.py")
ROOT = Path(__file__).resolve().parents[2]


def require_pyatspi() -> None:
    require_tools(("Xvfb", "dbus-daemon", BUS_LAUNCHER, SYSTEM_PYTHON),
                  "apt-get install xvfb dbus at-spi2-core python3-pyatspi")  # fmt: skip
    found = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, timeout=60)
    if found.returncode != 0:
        message = "pyatspi is not installed for /usr/bin/python3 (apt-get install python3-pyatspi)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private D-Bus session and X server; the environment that reaches them."""
    require_pyatspi()
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QT_", "DBUS_", "DISPLAY", "XDG_RUNTIME", "AT_SPI"))
    }
    env.update({"XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path / "home")})
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True, text=True, check=True, timeout=30, env=env,
    )  # fmt: skip
    address, bus_pid = bus.stdout.split()[:2]
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as displays:
        env["DISPLAY"] = f":{displays.readline().strip()}"
    try:
        yield env
    finally:
        xvfb.terminate()
        xvfb.wait(20)
        # AT-SPI's bus and registry were started by this session bus; they leave with it.
        os.kill(int(bus_pid), signal.SIGTERM)


def test_a_screen_reader_finds_the_table_the_submit_actions_and_hears_the_run(
    desktop: dict[str, str], tmp_path: Path
) -> None:
    app_env = {
        **desktop,
        "QT_QPA_PLATFORM": "xcb",
        # Qt starts its AT-SPI bridge only when a screen reader says it is listening; the
        # reader below listens without saying so, as the accessibility tests of Qt itself do.
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "CALVEN_DESK_HOME": str(tmp_path / "calven-home"),
    }
    log = (tmp_path / "app.log").open("w")
    app = subprocess.Popen(
        [sys.executable, "-m", "calven_desk"], cwd=ROOT, env=app_env, stdout=log, stderr=log
    )
    try:
        read = subprocess.run(
            [SYSTEM_PYTHON, str(READER), "Calven Desk"],
            capture_output=True, text=True, timeout=300, env=desktop,
        )  # fmt: skip
    finally:
        app.terminate()
        try:
            app.wait(20)
        except subprocess.TimeoutExpired:
            app.kill()
        log.close()
    assert read.returncode == 0, read.stderr + (tmp_path / "app.log").read_text()
    report = json.loads(read.stdout.strip().splitlines()[-1])
    assert report["app"] == "Calven Desk", (tmp_path / "app.log").read_text()
    assert report["table"] == "Roster"
    # Each cell's text, and its row's status as its description.
    cells = {name: description for name, description in report["cells"]}
    assert cells["dara.quinn@example"].startswith("Needs fixing. Needs fixing: ")
    assert "email address" in cells["dara.quinn@example"]
    assert cells["ana.lima@example.com"].startswith("Ready")
    assert {"Submit selected", "Submit all ready"} <= set(report["buttons"])
    assert {"Submit selected", "Submit all ready"} <= set(report["menu items"])
    assert report["status bar"] == "Status" and report["counts"] == ["Row counts"]
    assert report["question"] == "Send to Calven?"
    heard = [h["text"] for h in report["heard"] if h["from"] == "Status"]
    assert any(text.startswith("sample-roster.xlsx opened.") for text in heard), heard
    assert any(text.startswith("Sending ") and text.endswith(" rows to Calven.") for text in heard)
    assert any(text.startswith("Sending finished: 6 accepted, 2 rejected") for text in heard)
    assert report["status description"].startswith("Sending finished")
    # The columns in the order the screen starts with (the file has the name first, then Email,
    # Leave Type, Status, the dates and Reference), In Calven once Calven's user list is read.
    who = ["Row", "Status", "Employee Name (not sent)", "Email", "Start date", "End date",
           "Time-off type", "Event type"]  # fmt: skip
    rest = ["Result", "Message", "Event ID", "Result code", "Sent at"]
    assert report["columns"] in ([*who, *rest], [*who, "In Calven", *rest]), report["columns"]


def test_the_reader_runs_with_debians_python_beside_ours() -> None:
    """The reader is a plain script for /usr/bin/python3: it must not import the project."""
    text = READER.read_text(encoding="utf-8")
    assert "calven_desk" not in text and "import pyatspi" in text
    assert shutil.which("python3") is not None
