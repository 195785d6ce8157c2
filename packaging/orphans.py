"""Finds shared libraries in a Linux bundle that nothing left in the bundle loads.

Why: PyInstaller collects each library's dependencies when it analyses the Qt plugins, before the
spec drops the plugins the app does not use (the GTK theme, Wayland, EGL). Their dependencies stay
behind, unloaded: GTK, Cairo, Pango, HarfBuzz, GIO and friends. Naming each one by hand goes stale
with every Qt release; asking the bundle's own binaries what they link does not.

The roots are what is loaded by path rather than by a library's DT_NEEDED entry: the executable,
libpython (opened by PyInstaller's bootloader), Python extension modules and Qt plugins. A library
stays when a root, or a library that stays, names it as needed. Linux only: on Windows and macOS the
wheels' layouts differ and their bundles carry no such leftovers.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

_NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")
_EXTENSION = re.compile(r"\.(abi3|cpython-[^.]+)\.so$")
_LIBRARY = re.compile(r"^lib[^/]*\.so(\.\d+)*$")


def needed_by(path: str) -> list[str]:
    """The sonames a binary names as needed, read by `readelf` (binutils)."""
    done = subprocess.run(
        ["readelf", "--dynamic", path], capture_output=True, text=True, check=False
    )
    return _NEEDED.findall(done.stdout) if done.returncode == 0 else []


def is_root(name: str) -> bool:
    """Whether a bundle entry (its path inside the bundle) is loaded by path, not as a dependency."""
    file = PurePosixPath(name.replace("\\", "/"))
    return (
        not _LIBRARY.match(file.name)
        or file.name.startswith("libpython")
        or _EXTENSION.search(file.name) is not None
        or "plugins" in file.parts
    )


def orphans(
    entries: Iterable[tuple[str, str]], needed: Callable[[str], list[str]] = needed_by
) -> set[str]:
    """Bundle names (from (name, source path) pairs) of the libraries that nothing kept loads."""
    by_soname: dict[str, list[tuple[str, str]]] = {}
    pending: list[tuple[str, str]] = []
    for name, source in entries:
        if is_root(name):
            pending.append((name, source))
        else:
            by_soname.setdefault(PurePosixPath(name.replace("\\", "/")).name, []).append(
                (name, source)
            )
    kept: set[str] = set()
    while pending:
        _, source = pending.pop()
        for soname in needed(source):
            for library in by_soname.pop(soname, []):
                kept.add(library[0])
                pending.append(library)
    return {name for libraries in by_soname.values() for name, _ in libraries}
