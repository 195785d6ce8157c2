"""Launch to first paint of the bundled app, beside a bare PySide6 window in the same kind of bundle.

Run after `python packaging/build.py`: python bench/bench_startup.py [RUNS]. Each launch sets
CALVEN_DESK_FIRST_PAINT=1, which makes the window print the seconds since process start at its first
paint and quit; the bare window does the same. Median of RUNS (default 7) per side, offscreen.
The bare bundle is built here, once, into bench/out/.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
BARE = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
class First(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print("painted", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
app = QApplication(sys.argv)
label = QLabel("bare window")
first = First()
label.installEventFilter(first)
label.show()
app.exec()
"""


def launch(argv: list[str], home: str) -> float:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CALVEN_DESK_FIRST_PAINT": "1",
        "CALVEN_DESK_HOME": home,
    }
    began = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    elapsed = time.perf_counter() - began
    if "painted" not in done.stdout:
        raise SystemExit(f"{argv[0]} did not paint: {done.stdout} {done.stderr}")
    return elapsed


def bare_bundle() -> Path:
    target = OUT / "dist" / "bare" / "bare"
    if not target.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        script = OUT / "bare.py"
        script.write_text(BARE)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--log-level",
                "WARN",
                "--name",
                "bare",
                "--distpath",
                str(OUT / "dist"),
                "--workpath",
                str(OUT / "build"),
                "--specpath",
                str(OUT),
                str(script),
            ],
            check=True,
        )
    return target


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    ours = ROOT / "dist" / "calven-desk" / "calven-desk"
    if not ours.exists():
        raise SystemExit("Build the bundle first: python packaging/build.py")
    bare = bare_bundle()
    with tempfile.TemporaryDirectory() as home:
        launch([str(ours)], home)  # warm the file cache once for both
        launch([str(bare)], home)
        app_times = [launch([str(ours)], home) for _ in range(runs)]
        bare_times = [launch([str(bare)], home) for _ in range(runs)]
    print(f"runs: {runs} each, offscreen, launch to first paint, median")
    print(
        f"Calven Desk bundle (window with menus, table, problems panel): {statistics.median(app_times):.2f} s"
    )
    print(
        f"bare PySide6 window bundle:                                 {statistics.median(bare_times):.2f} s"
    )


if __name__ == "__main__":
    main()
