"""Times `calven-desk validate --json` on a 50,000-row xlsx against pandas' openpyxl read of the same file.

Run: python bench/bench_validate.py [ROWS] (pandas comes with `pip install -e ".[bench]"`).
Both sides are whole processes (interpreter start-up included), median of three runs, on the same
file made fresh by this script.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, make_roster_xlsx, time_process


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        path = make_roster_xlsx(Path(folder) / "big.xlsx", rows)
        # validate exits 1 when some rows need fixing, as the generated roster's do on purpose.
        ours = time_process(
            [PYTHON, "-m", "calven_desk", "validate", str(path), "--json"], ok=frozenset({0, 1})
        )
        pandas = time_process(
            [
                PYTHON,
                "-c",
                f"import pandas; pandas.read_excel({str(path)!r}, engine='openpyxl', header=2)",
            ]
        )
    print(f"rows: {rows}")
    print(f"calven-desk validate --json (read, map, check, JSON out): {ours:.2f} s")
    print(f"pandas.read_excel(engine='openpyxl') (read only):        {pandas:.2f} s")
    print(f"ratio: validate is {pandas / ours:.1f}x faster")


if __name__ == "__main__":
    main()
