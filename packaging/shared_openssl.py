"""Lets the team memory's libpq use the OpenSSL the Linux bundle already carries.

Why: psycopg's binary wheel brings its own copy of OpenSSL 3 under hashed names
(`psycopg_binary.libs/libcrypto-<hash>.so.3`, `libssl-<hash>.so.3`: 7 MB), beside the OpenSSL the
bundle carries for Python's own `ssl` module (`libcrypto.so.3`, `libssl.so.3`). Two copies of one
library, in a bundle with a 120 MB budget. The hashed copies become links to the bundle's own, only
when every library in the bundle that needs them asks for no symbol version the bundle's OpenSSL
does not define (libpq 18 asks for OPENSSL_3.0.0 alone, which every OpenSSL 3 defines). The dynamic
loader then maps one file once: it knows a library by its file, not by the name it was asked for.
Linux only, like the other trims; `readelf` (binutils) reads the versions.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

#: psycopg's hashed copies (auditwheel's names) and the bundle's own library each one twins.
_HASHED = re.compile(r"^(libssl|libcrypto)-[0-9a-f]{8}\.so\.3$")
_VERSION_NEED = re.compile(r"File: (\S+)\s+Cnt: \d+\n((?:\s+0x[0-9a-f]+:\s+Name: \S+.*\n)+)")
_NAME = re.compile(r"Name: (\S+)")
_DEFINED = re.compile(r"Index: \d+\s+Cnt: \d+\s+Name: (\S+)")


def read_versions(path: str) -> str:
    done = subprocess.run(["readelf", "-V", path], capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else ""


def needed_versions(text: str) -> dict[str, set[str]]:
    """From `readelf -V`: the symbol versions a binary asks of each library it needs."""
    return {m.group(1): set(_NAME.findall(m.group(2))) for m in _VERSION_NEED.finditer(text)}


def defined_versions(text: str) -> set[str]:
    """From `readelf -V`: the symbol versions a library defines (its own soname's aside)."""
    return {name for name in _DEFINED.findall(text) if not name.startswith("lib")}


def openssl_twins(
    binaries: Iterable[tuple[str, str]], versions: Callable[[str], str] = read_versions
) -> dict[str, str]:
    """{bundle name of a hashed copy: the link that replaces it}, for each copy the bundle's own
    OpenSSL can stand in for. `binaries`: (name in the bundle, source file)."""
    entries = [(name.replace("\\", "/"), source) for name, source in binaries]
    read: dict[str, str] = {}

    def cached(source: str) -> str:
        if source not in read:
            read[source] = versions(source)
        return read[source]

    own = {PurePosixPath(n).name: s for n, s in entries if "/" not in n}
    candidates: dict[str, str] = {}  # a hashed copy's bundle name: the bundle's own library's
    for name, _ in entries:
        found = _HASHED.match(PurePosixPath(name).name)
        if found is not None and f"{found.group(1)}.so.3" in own:
            candidates[name] = f"{found.group(1)}.so.3"
    # A copy that is itself replaced asks nothing (psycopg's libssl asks its libcrypto for
    # OPENSSL_3.4.0; the bundle's libssl asks the bundle's libcrypto). Until nothing changes: a
    # copy that must stay makes its own asks count again.
    changed = True
    while changed:
        changed = False
        for name in list(candidates):
            soname = PurePosixPath(name).name
            offered = defined_versions(cached(own[candidates[name]]))
            asked: set[str] = set()
            for other, source in entries:
                if other not in candidates:
                    asked |= needed_versions(cached(source)).get(soname, set())
            if not offered or not asked <= offered:
                del candidates[name]
                changed = True
    return {
        name: "/".join([".."] * (len(PurePosixPath(name).parts) - 1) + [library])
        for name, library in candidates.items()
    }
