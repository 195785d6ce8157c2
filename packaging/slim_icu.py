"""Rebuilds the ICU data library that the Linux PySide6 wheel carries, keeping only what Qt uses.

Why: Qt Core on Linux links ICU, and ICU's data library (libicudata, 32 MB) is a fifth of the
bundle. Qt itself formats dates and numbers from its own CLDR tables and finds word and line breaks
with its own Unicode tables; the app sorts the table with QCollator, which is ICU's collation, and
Qt's case mapping and normalisation use ICU's core tables. Those stay. What goes: currency,
language, region and unit names, break dictionaries, transliteration, spell-out rules, per-locale
formatting data, time-zone display names (QTimeZone.displayName() becomes empty) and the legacy
code pages (QStringDecoder knows 32 encodings instead of 233). The app uses none of these: it
formats dates and decodes rosters in Python.

ICU's own tool for trimming a data package is `icupkg` (Debian: icu-devtools), so it does the
trimming; the trimmed package is then wrapped back into a shared library under the same soname and
symbol with the C compiler, as ICU's `pkgdata` would.

Windows and macOS builds of Qt use the system's ICU, so there this step finds nothing to do. Where
the tools are missing, or a step fails, the bundle keeps the whole library and says so: bigger,
never broken.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Folders (item prefixes) of the ICU data that Qt never reads in this app.
DROPPED_FOLDERS = ("brkitr", "curr", "lang", "rbnf", "region", "translit", "unit", "zone")
# A top-level locale bundle such as de.res or zh_Hant_TW.res: ICU's formatting data, unused by Qt.
LOCALE_BUNDLE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*\.res$")
# Top-level items kept although they match LOCALE_BUNDLE or sit beside dropped ones.
KEPT_ITEMS = frozenset({"root.res", "res_index.res", "pool.res"})

#: What the trim runs: ICU's package tool, binutils to read the library, the C compiler to rebuild it.
TOOLS = ("icupkg", "objcopy", "objdump", "nm", "cc")

_LIBRARY = re.compile(r"^libicudata\.so\.(\d+)$")


@dataclass(frozen=True)
class SlimResult:
    """What happened, in a sentence for the build log, and the library to bundle."""

    library: Path
    message: str


def dropped(item: str) -> bool:
    """Whether an ICU data item (a path inside the package, like 'coll/de.res') is left out."""
    if item in KEPT_ITEMS:
        return False
    folder, _, name = item.rpartition("/")
    if folder:
        return folder.split("/")[0] in DROPPED_FOLDERS
    return name.endswith(".cnv") or bool(LOCALE_BUNDLE.match(name))


def slim_icu_data(library: Path, workdir: Path) -> SlimResult:
    """Returns a trimmed copy of `library` (a libicudata.so.NN), or the original with the reason."""
    match = _LIBRARY.match(library.name)
    if not match:
        return SlimResult(library, f"{library.name} is not an ICU data library; left as it is.")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return SlimResult(
            library,
            f"ICU data left whole ({library.stat().st_size / 1e6:.0f} MB): install "
            f"{', '.join(missing)} (Debian: icu-devtools, binutils, gcc) to trim it.",
        )
    try:
        return _slim(library, match.group(1), workdir)
    except (OSError, RuntimeError) as error:
        return SlimResult(library, f"ICU data left whole, as trimming it failed: {error}")


def _slim(library: Path, version: str, workdir: Path) -> SlimResult:
    symbol = f"icudt{version}_dat"
    workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=workdir) as scratch_name:
        scratch = Path(scratch_name)
        package = scratch / f"icudt{version}l.dat"
        _extract_data_symbol(library, symbol, package)
        items = _run("icupkg", "--list", str(package)).split()
        unwanted = [item for item in items if dropped(item)]
        listing = scratch / "dropped.txt"
        listing.write_text("\n".join(unwanted) + "\n", encoding="utf-8")
        _run("icupkg", "--remove", str(listing), str(package))
        slim = workdir / library.name
        _wrap_as_library(package, symbol, library.name, slim, scratch)
    before, after = library.stat().st_size, slim.stat().st_size
    return SlimResult(
        slim,
        f"ICU data trimmed from {before / 1e6:.1f} MB to {after / 1e6:.1f} MB "
        f"({len(items) - len(unwanted)} of {len(items)} items kept).",
    )


def _extract_data_symbol(library: Path, symbol: str, target: Path) -> None:
    """Copies the bytes of the exported data symbol out of the library: an ICU .dat package."""
    sections = target.with_suffix(".rodata")
    _run("objcopy", "-O", "binary", "--only-section=.rodata", str(library), str(sections))
    rodata_address = _section_address(library, ".rodata")
    for line in _run("nm", "-D", "--defined-only", "-S", str(library)).splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[3] == symbol:
            start = int(fields[0], 16) - rodata_address
            size = int(fields[1], 16)
            target.write_bytes(sections.read_bytes()[start : start + size])
            sections.unlink()
            return
    raise RuntimeError(f"{library} does not export {symbol}")


def _section_address(library: Path, section: str) -> int:
    for line in _run("objdump", "-h", str(library)).splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[1] == section:
            return int(fields[3], 16)
    raise RuntimeError(f"{library} has no {section} section")


def _wrap_as_library(package: Path, symbol: str, soname: str, target: Path, scratch: Path) -> None:
    """Builds a data-only shared library exporting `symbol`, as ICU's pkgdata does on Linux."""
    source = scratch / "icudata.S"
    source.write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n"
        f"\t.type {symbol}, @object\n"
        "\t.balign 16\n"
        f"{symbol}:\n"
        f'\t.incbin "{package.name}"\n'
        f"\t.size {symbol}, . - {symbol}\n"
        '\t.section .note.GNU-stack,"",@progbits\n',
        encoding="utf-8",
    )
    _run(
        "cc",
        "-shared",
        "-nostdlib",
        "-s",
        f"-Wl,-soname,{soname}",
        "-o",
        str(target),
        source.name,
        cwd=scratch,
    )


def _run(*command: str, cwd: Path | None = None) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed: {done.stderr.strip() or done.stdout.strip()}"
        )
    return done.stdout
