"""Whatever bytes a file holds, reading it gives a table or the one clear read error, never a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calven_desk.roster import DateOrderUnknown, RosterReadError, load_roster

PREFIXES = [
    b"",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"Email,Start,End\n",
    b"Email;Start;End\r\na@b.com;1/2/30;",
]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=2048),
    suffix=st.sampled_from(
        [".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".bin"]
    ),
)
def test_any_bytes(prefix: bytes, body: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"roster{suffix}"
        path.write_bytes(prefix + body)
        try:
            check = load_roster(path)
        except RosterReadError as exc:
            message = str(exc)
            assert message.startswith(f"Cannot open roster{suffix}:") and "\n" not in message
        except DateOrderUnknown as exc:  # readable, but nothing tells which way round its dates go
            message = str(exc)
            assert f"in roster{suffix} are day-first or month-first" in message
            assert "--date-order" in message and "\n" not in message
        else:
            assert all(r.row > check.table.header_row for r in check.rows)
