"""Builds the PyInstaller bundle and reports its size: `python packaging/build.py [--onefile]`.

The result is dist/calven-desk/ (one folder: fastest start) or dist/calven-desk[.exe] (one file).
Run `dist/calven-desk/calven-desk --self-test` afterwards to prove the bundle works.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--onefile", action="store_true", help="one executable instead of a folder")
    parser.add_argument(
        "--budget-mb",
        type=float,
        help="fail when the bundle is larger than this many megabytes (CI keeps the size target)",
    )
    args = parser.parse_args()
    env = {**os.environ, "ONEFILE": "1" if args.onefile else "0"}
    for stale in (ROOT / "build" / "calven-desk", ROOT / "dist" / "calven-desk"):
        shutil.rmtree(stale, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(ROOT / "dist"),
        "--workpath",
        str(ROOT / "build"),
        str(ROOT / "packaging" / "calven-desk.spec"),
    ]
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        print("The bundle could not be built; see PyInstaller's messages above.", file=sys.stderr)
        return result.returncode
    target = ROOT / "dist" / ("calven-desk" + (".exe" if os.name == "nt" and args.onefile else ""))
    size_mb = folder_size(target) / 1_000_000
    print(f"Built {target}: {size_mb:.1f} MB")
    if args.budget_mb is not None and size_mb > args.budget_mb:
        print(
            f"The bundle is {size_mb:.1f} MB, over its {args.budget_mb:g} MB budget: see what "
            "grew with `du -a dist/calven-desk | sort -n | tail`.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
