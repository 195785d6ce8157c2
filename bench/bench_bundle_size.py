"""The one-folder bundle's size with the Linux trims, beside the same spec without them (TRIM=0).

Run: python bench/bench_bundle_size.py (needs `pip install ".[bundle]"`; about a minute). Both
bundles are built here, into bench/out/, from packaging/calven-desk.spec; the trims are: libraries
nothing in the bundle loads left out (packaging/orphans.py), ICU's data cut to what Qt reads
(packaging/slim_icu.py) and debug symbols stripped. Prints both totals and the biggest files of each,
so a newcomer sees where the megabytes go.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "size"


def build(trim: bool) -> Path:
    name = "trimmed" if trim else "untrimmed"
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "ERROR",
        "--distpath", str(OUT / name / "dist"), "--workpath", str(OUT / name / "build"),
        str(ROOT / "packaging" / "calven-desk.spec"),
    ]  # fmt: skip
    env = {**os.environ, "TRIM": "1" if trim else "0", "ONEFILE": "0"}
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return OUT / name / "dist" / "calven-desk"


def files(folder: Path) -> dict[str, int]:
    return {
        str(f.relative_to(folder)): f.stat().st_size
        for f in folder.rglob("*")
        if f.is_file() and not f.is_symlink()
    }


def main() -> None:
    sizes = {trim: files(build(trim)) for trim in (True, False)}
    total = {trim: sum(sizes[trim].values()) / 1e6 for trim in sizes}
    print("one-folder bundle, Linux, same spec:")
    print(f"  with the trims (what packaging/build.py makes)  {total[True]:6.1f} MB")
    print(f"  TRIM=0 (Qt exclusions only)                    {total[False]:6.1f} MB")
    for trim, label in ((False, "TRIM=0"), (True, "trimmed")):
        print(f"biggest files, {label}:")
        for name, size in sorted(sizes[trim].items(), key=lambda item: -item[1])[:8]:
            print(f"  {size / 1e6:6.1f} MB  {name}")


if __name__ == "__main__":
    main()
