"""Which system libraries Qt's window needs on Linux and this computer lacks, and the Debian packages.

Run from source on a fresh Debian or Ubuntu, Qt aborts with its own text about an "xcb platform
plugin" that says nothing an HR or IT person can act on. Before the application is created,
`check_window_libraries` reads the libraries Qt's widgets and its X11 plugin are linked against
(their ELF DT_NEEDED entries, following Qt's own libraries through their RUNPATH), asks the
dynamic loader for each system one, and turns what is missing into one sentence naming the packages
to install. It imports no Qt (a missing library would abort that import) and costs a few
milliseconds. The bundle carries its own libraries, so a frozen app skips it.
"""

from __future__ import annotations

import ctypes
import os
import re
import struct
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.util import find_spec
from pathlib import Path

#: Returns None when the loader can load the library, else the name it could not find (the library
#: itself, or one that library needs).
Probe = Callable[[str], "str | None"]

#: Sonames whose Debian package does not follow Debian policy's naming (libfoo.so.1 -> libfoo1,
#: libfoo2.so.0 -> libfoo2-0), and the ones Qt's window needs, so the list reads as documentation.
PACKAGES: dict[str, str] = {
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "librt.so.1": "libc6",
    "ld-linux-x86-64.so.2": "libc6",
    "ld-linux-aarch64.so.1": "libc6",
    "libgcc_s.so.1": "libgcc-s1",
    "libstdc++.so.6": "libstdc++6",
    "libz.so.1": "zlib1g",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libzstd.so.1": "libzstd1",
}

_SONAME = re.compile(r"^(?P<base>.+?)\.so\.(?P<version>[0-9][0-9.]*)$")
_NOT_FOUND = re.compile(r"(?P<name>[^\s:/]+\.so[^\s:]*): cannot open shared object file")


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships `soname`: the table above, else Debian policy's rule
    (8.1: the package is the soname's base, lower-cased, then its version, with a hyphen between
    when the base ends in a digit)."""
    known = PACKAGES.get(soname)
    if known is not None:
        return known
    match = _SONAME.match(soname)
    if match is None:
        return soname
    base, version = match["base"].lower(), match["version"]
    return f"{base}-{version}" if base[-1].isdigit() else f"{base}{version}"


def read_dynamic(path: Path) -> tuple[list[str], list[Path]]:
    """The libraries an ELF file needs (DT_NEEDED) and the folders it looks in first (its RUNPATH
    or RPATH, with $ORIGIN expanded). Reads only the headers and the dynamic section."""
    with path.open("rb") as elf:
        ident = elf.read(16)
        if ident[:4] != b"\x7fELF" or ident[4] not in (1, 2) or ident[5] not in (1, 2):
            raise ValueError(f"{path} is not an ELF file")
        wide, order = ident[4] == 2, "<" if ident[5] == 1 else ">"
        word = "Q" if wide else "I"
        elf.seek(0x20 if wide else 0x1C)
        (phoff,) = struct.unpack(order + word, elf.read(8 if wide else 4))
        elf.seek(0x36 if wide else 0x2A)
        phentsize, phnum = struct.unpack(order + "HH", elf.read(4))
        loads: list[tuple[int, int, int]] = []  # (vaddr, offset, size in file)
        dynamic: tuple[int, int] | None = None
        header = order + ("IIQQQQQQ" if wide else "IIIIIIII")
        for index in range(phnum):
            elf.seek(phoff + index * phentsize)
            fields = struct.unpack(header, elf.read(struct.calcsize(header)))
            if wide:
                kind, offset, vaddr, filesz = fields[0], fields[2], fields[3], fields[5]
            else:
                kind, offset, vaddr, filesz = fields[0], fields[1], fields[2], fields[4]
            if kind == 1:  # PT_LOAD
                loads.append((vaddr, offset, filesz))
            elif kind == 2:  # PT_DYNAMIC
                dynamic = (offset, filesz)
        if dynamic is None:
            return [], []
        elf.seek(dynamic[0])
        raw = elf.read(dynamic[1])
        entry = order + word * 2
        entries = [
            e
            for e in struct.iter_unpack(entry, raw[: len(raw) - len(raw) % struct.calcsize(entry)])
        ]
        strtab = next((value for tag, value in entries if tag == 5), None)  # DT_STRTAB
        if strtab is None:
            return [], []
        base = next(
            (off + strtab - va for va, off, size in loads if va <= strtab < va + size), None
        )
        if base is None:
            return [], []

        def text(at: int) -> str:
            elf.seek(base + at)
            chunk = elf.read(4096)
            return chunk[: chunk.find(b"\0")].decode("utf-8", "replace")

        needed = [text(value) for tag, value in entries if tag == 1]  # DT_NEEDED
        runpath = [text(value) for tag, value in entries if tag == 29]  # DT_RUNPATH
        rpath = [text(value) for tag, value in entries if tag == 15]  # DT_RPATH
    origin = str(path.resolve().parent)
    folders = [
        Path(folder.replace("$ORIGIN", origin).replace("${ORIGIN}", origin))
        for search in (runpath or rpath)
        for folder in search.split(":")
        if folder
    ]
    return needed, folders


def missing_libraries(roots: Iterable[Path], probe: Probe) -> list[str]:
    """The system libraries `roots` need that the loader cannot find, each once, in the order met.

    A library found in a file's own RUNPATH folders (Qt's, shipped in the wheel) is followed
    instead, so its system needs are checked too; every other one is put to `probe`.
    """
    missing: list[str] = []
    probed: set[str] = set()
    seen: set[Path] = set()
    pending = [root for root in roots if root.is_file()]
    while pending:
        current = pending.pop(0)
        if current in seen:
            continue
        seen.add(current)
        needed, folders = read_dynamic(current)
        for name in needed:
            shipped = next((f / name for f in folders if (f / name).is_file()), None)
            if shipped is not None:
                pending.append(shipped.resolve())
            elif name not in probed:
                probed.add(name)
                lacking = probe(name)
                if lacking is not None and lacking not in missing:
                    missing.append(lacking)
    return missing


def dlopen_probe(soname: str) -> str | None:
    """Ask the dynamic loader, as Qt will: None if `soname` loads, else the library it lacks."""
    try:
        ctypes.CDLL(soname, mode=os.RTLD_LAZY)
    except OSError as error:
        found = _NOT_FOUND.search(str(error))
        return found["name"] if found else os.path.basename(soname)
    return None


def qt_expects_xcb(argv: Sequence[str], env: Mapping[str, str], has_wayland: bool) -> bool:
    """Whether Qt will use its X11 (xcb) plugin: no other platform asked for on the command line
    or in QT_QPA_PLATFORM (the first of a `a;b` list, before any `:options`), and not a Wayland
    session that Qt's Wayland plugin would take."""
    if any(arg in ("-platform", "--platform") or arg.startswith("-platform=") for arg in argv):
        return False
    wanted = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if wanted:
        return wanted == "xcb"
    return not (env.get("XDG_SESSION_TYPE", "").lower() == "wayland" and has_wayland)


def missing_sentence(missing: Sequence[str]) -> str:
    """One sentence an IT person can act on: what is missing and the command that installs it."""
    packages = list(dict.fromkeys(debian_package(name) for name in missing))
    return (
        f"Calven Desk's window cannot start: this computer lacks the system "
        f"{'library' if len(missing) == 1 else 'libraries'} {', '.join(missing)} that Qt needs; "
        f"on Debian or Ubuntu install {'it' if len(packages) == 1 else 'them'} with "
        f"`sudo apt-get install {' '.join(packages)}` and start it again."
    )


def qt_folder() -> Path | None:
    """The wheel's Qt folder (PySide6/Qt), found without importing PySide6."""
    spec = find_spec("PySide6")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) / "Qt" if locations else None


def check_window_libraries(
    argv: Sequence[str],
    env: Mapping[str, str] = os.environ,
    qt: Path | None = None,
    probe: Probe = dlopen_probe,
) -> str | None:
    """None when the window can start (or this is not Linux from source), else the sentence."""
    if not sys.platform.startswith("linux") or getattr(sys, "frozen", False):
        return None
    qt = qt or qt_folder()
    if qt is None:
        return None
    platforms = qt / "plugins" / "platforms"
    roots = [qt / "lib" / "libQt6Widgets.so.6"]
    if qt_expects_xcb(argv, env, has_wayland=any(platforms.glob("libqwayland*.so"))):
        roots.append(platforms / "libqxcb.so")
    try:
        missing = missing_libraries(roots, probe)
    except (OSError, ValueError, struct.error):
        return None  # an unreadable library: let Qt say what it says rather than guess
    return missing_sentence(missing) if missing else None
