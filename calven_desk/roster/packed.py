"""A workbook's zip container, opened so that no part may unpack past the limits (xlsx, xlsm, xlsb, ods).

What each part says it unpacks to is checked before anything is read (in total, and against its
packed size), and what it really unpacks to is counted as it is read: Python's zipfile stops at
the size a part declares and a part that lied fails its checksum.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from calven_desk.roster.limits import (
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    RATIO_FREE_BYTES,
    unpacks_too_big,
)
from calven_desk.roster.model import RosterReadError


def damaged(path: Path) -> RosterReadError:
    return RosterReadError(
        f"Cannot open {path.name}: it is damaged or is not really a spreadsheet; try saving it "
        "again from Excel."
    )


class Package:
    """The zip's parts by name, checked against MAX_UNPACKED_BYTES and MAX_RATIO."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise damaged(path) from None
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > RATIO_FREE_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise unpacks_too_big(path)
        if total > MAX_UNPACKED_BYTES:
            raise unpacks_too_big(path)
        self.names = {info.filename for info in infos}
        self.lower = {name.lower(): name for name in self.names}

    def find(self, name: str) -> str | None:
        """The part's name as stored (zip names are compared ignoring case, as Excel does)."""
        return self.lower.get(name.lstrip("/").lower())

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        try:
            with self.zip.open(name) as stream:
                yield stream
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise damaged(self.path) from None

    def read(self, name: str) -> bytes:
        with self.open(name) as stream:
            try:
                return stream.read()
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError):
                raise damaged(self.path) from None

    def close(self) -> None:
        self.zip.close()
