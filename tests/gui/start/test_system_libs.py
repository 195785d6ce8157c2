"""Before the window starts on Linux: the system libraries Qt needs, what is missing, which package.

The ELF files here are real: the wheel's own Qt plugin, and small ones written by the test (a
header, a dynamic section naming the libraries) in the layout of Qt's folder; the loader asked is
the real one. Only which libraries count as "missing" is injected where the real answer depends
on this computer.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from calven_desk.gui.start import system_libs
from calven_desk.gui.start.system_libs import (
    check_window_libraries,
    debian_package,
    dlopen_probe,
    missing_libraries,
    missing_sentence,
    qt_expects_xcb,
    qt_folder,
    read_dynamic,
)
from tests.system_tools import require_tools

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")

ABSENT = "libcalven-absent-for-test.so.7"  # no computer has it


def write_elf(path: Path, needed: list[str], runpath: str | None = None) -> Path:
    """A minimal 64-bit little-endian shared-object header: one PT_LOAD over the whole file and a
    PT_DYNAMIC with DT_NEEDED entries, an optional DT_RUNPATH and DT_STRTAB."""
    strings = b"\0"
    offsets = []
    for text in [*needed, *([runpath] if runpath else [])]:
        offsets.append(len(strings))
        strings += text.encode() + b"\0"
    strtab_at = 64 + 2 * 56
    dynamic_at = strtab_at + len(strings) + (-len(strings) % 8)
    entries = [(1, offset) for offset in offsets[: len(needed)]]
    if runpath:
        entries.append((29, offsets[-1]))
    entries += [(5, strtab_at), (0, 0)]
    dynamic = b"".join(struct.pack("<QQ", tag, value) for tag, value in entries)
    size = dynamic_at + len(dynamic)
    header = b"\x7fELF\x02\x01\x01" + b"\0" * 9
    header += struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, 64, 0, 0, 64, 56, 2, 64, 0, 0)
    load = struct.pack("<IIQQQQQQ", 1, 4, 0, 0, 0, size, size, 0x1000)
    dyn = struct.pack(
        "<IIQQQQQQ", 2, 6, dynamic_at, dynamic_at, dynamic_at, len(dynamic), len(dynamic), 8
    )
    body = header + load + dyn + strings + b"\0" * (dynamic_at - strtab_at - len(strings)) + dynamic
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return path


def fake_qt(folder: Path, plugin_needs: list[str]) -> Path:
    """A Qt folder laid out like the wheel's: lib/ with the widgets library, plugins/platforms/."""
    write_elf(folder / "lib" / "libQt6Widgets.so.6", ["libQt6Gui.so.6", "libc.so.6"], "$ORIGIN")
    write_elf(folder / "lib" / "libQt6Gui.so.6", ["libc.so.6", "libm.so.6"], "$ORIGIN")
    write_elf(
        folder / "plugins" / "platforms" / "libqxcb.so",
        ["libQt6Gui.so.6", *plugin_needs],
        "$ORIGIN/../../lib",
    )
    return folder


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        # What .ci/run installs for the window, by the library Qt asks for.
        ("libEGL.so.1", "libegl1"),
        ("libGL.so.1", "libgl1"),
        ("libOpenGL.so.0", "libopengl0"),
        ("libxkbcommon.so.0", "libxkbcommon0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libfontconfig.so.1", "libfontconfig1"),
        ("libfreetype.so.6", "libfreetype6"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
        ("libgthread-2.0.so.0", "libglib2.0-0"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-shape.so.0", "libxcb-shape0"),
        ("libxcb-xinerama.so.0", "libxcb-xinerama0"),
        ("libxcb-randr.so.0", "libxcb-randr0"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libxcb-image.so.0", "libxcb-image0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        # Exceptions to Debian's naming rule.
        ("libz.so.1", "zlib1g"),
        ("libgcc_s.so.1", "libgcc-s1"),
        ("libm.so.6", "libc6"),
        # Not in the table: Debian policy 8.1's rule.
        ("libXcomposite.so.1", "libxcomposite1"),
        ("libwayland-client.so.0", "libwayland-client0"),
        ("libfoo2.so.0", "libfoo2-0"),
        ("libbar.so.1.2", "libbar1.2"),
    ],
)
def test_debian_package_for_each_library(soname: str, package: str) -> None:
    assert debian_package(soname) == package


def test_the_wheels_xcb_plugin_is_read_and_qts_own_libraries_followed() -> None:
    qt = qt_folder()
    assert qt is not None
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    needed, folders = read_dynamic(plugin)
    assert "libxcb-cursor.so.0" in needed and "libQt6XcbQpa.so.6" in needed
    assert (qt / "lib").resolve() in [f.resolve() for f in folders]
    asked: list[str] = []
    lacking = {"libxcb-cursor.so.0", "libxkbcommon-x11.so.0"}

    def probe(name: str) -> str | None:
        asked.append(name)
        return name if name in lacking else None

    missing = missing_libraries([plugin], probe)
    assert sorted(missing) == sorted(lacking)
    # The wheel's own Qt libraries are found in its folder and followed, never put to the loader.
    assert not [name for name in asked if name.startswith("libQt6")]
    assert "libdbus-1.so.3" in asked  # reached through libQt6Gui -> libQt6DBus
    assert len(asked) == len(set(asked))  # each library asked once
    sentence = missing_sentence(missing)
    command = sentence.split("`")[1]
    assert sorted(command.split()[3:]) == ["libxcb-cursor0", "libxkbcommon-x11-0"]
    assert command.startswith("sudo apt-get install ")


def test_the_real_loader_finds_what_is_there_and_names_what_is_not(tmp_path: Path) -> None:
    qt = fake_qt(tmp_path / "Qt", ["libc.so.6", ABSENT, "libQt6XcbQpa.so.6"])
    write_elf(qt / "lib" / "libQt6XcbQpa.so.6", ["libcalven-deeper-for-test.so.1"], "$ORIGIN")
    missing = missing_libraries([qt / "plugins" / "platforms" / "libqxcb.so"], dlopen_probe)
    assert missing == [ABSENT, "libcalven-deeper-for-test.so.1"]
    assert dlopen_probe("libc.so.6") is None


def test_a_library_whose_own_dependency_is_missing_names_that_one(tmp_path: Path) -> None:
    """The loader's own words name the deeper library, so the sentence names the right package."""
    require_tools(["gcc"], "sudo apt-get install gcc")
    (tmp_path / "inner.c").write_text("int inner(void) { return 1; }\n")
    (tmp_path / "outer.c").write_text("int inner(void);\nint outer(void) { return inner(); }\n")
    gcc = ["gcc", "-shared", "-fPIC"]
    subprocess.run(
        [*gcc, "-Wl,-soname,libcalveninner.so.1", "-o", "libcalveninner.so.1", "inner.c"],
        cwd=tmp_path,
        check=True,
    )
    subprocess.run(
        [*gcc, "-o", "libcalvenouter.so.1", "outer.c", "-L.", "-l:libcalveninner.so.1"],
        cwd=tmp_path,
        check=True,
    )
    (tmp_path / "libcalveninner.so.1").unlink()
    assert dlopen_probe(str(tmp_path / "libcalvenouter.so.1")) == "libcalveninner.so.1"


@pytest.mark.parametrize(
    ("argv", "env", "has_wayland", "expected"),
    [
        ([], {}, True, True),
        ([], {"QT_QPA_PLATFORM": "xcb"}, True, True),
        ([], {"QT_QPA_PLATFORM": "xcb:no-glx"}, True, True),
        ([], {"QT_QPA_PLATFORM": "offscreen"}, True, False),
        ([], {"QT_QPA_PLATFORM": "wayland;xcb"}, True, False),
        (["-platform", "offscreen"], {}, True, False),
        ([], {"XDG_SESSION_TYPE": "wayland"}, True, False),
        ([], {"XDG_SESSION_TYPE": "wayland"}, False, True),
        ([], {"XDG_SESSION_TYPE": "x11"}, True, True),
    ],
)
def test_only_when_qt_will_use_x11(
    argv: list[str], env: dict[str, str], has_wayland: bool, expected: bool
) -> None:
    assert qt_expects_xcb(argv, env, has_wayland) is expected


def test_offscreen_checks_only_what_every_platform_needs(tmp_path: Path) -> None:
    qt = fake_qt(tmp_path / "Qt", [ABSENT])
    assert check_window_libraries([], {"QT_QPA_PLATFORM": "offscreen"}, qt) is None
    sentence = check_window_libraries([], {"QT_QPA_PLATFORM": "xcb"}, qt)
    assert sentence is not None and "sudo apt-get install libcalven-absent-for-test7" in sentence


def test_the_bundle_skips_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A frozen bundle carries its own libraries beside it, where a bare dlopen would not look."""
    qt = fake_qt(tmp_path / "Qt", [ABSENT])
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert check_window_libraries([], {"QT_QPA_PLATFORM": "xcb"}, qt) is None


def test_the_window_command_stops_with_one_sentence_before_qt(tmp_path: Path) -> None:
    """`calven-desk` itself, with the wheel's Qt folder swapped for one whose X11 plugin needs a
    library no computer has: exit 2, one sentence naming the package, and Qt never imported."""
    qt = fake_qt(tmp_path / "Qt", ["libc.so.6", "libxcb-calven-test.so.0"])
    code = (
        "import sys; from pathlib import Path; import calven_desk.gui.start.system_libs as s; "
        f"s.qt_folder = lambda: Path({str(qt)!r}); from calven_desk.cli import main; "
        "status = main([]); print(status, [m for m in sys.modules if m.startswith('PySide6')])"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "CALVEN_DESK_FIRST_PAINT": "1"}
    env.pop("XDG_SESSION_TYPE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout.strip() == "2 []", result.stderr
    assert result.stderr.count("\n") == 1
    assert "libxcb-calven-test.so.0" in result.stderr
    assert "`sudo apt-get install libxcb-calven-test0`" in result.stderr


def test_this_computer_has_what_the_readme_lists() -> None:
    """Under CI, whose .ci/run installs the packages the README's set-up lists, nothing Qt's window
    needs is missing, so a library both forgot turns CI red. Elsewhere the sentence says why it skips."""
    sentence = check_window_libraries([], {"QT_QPA_PLATFORM": "xcb"})
    if sentence is not None:
        if os.environ.get("CI"):
            pytest.fail(sentence)
        pytest.skip(sentence)
    assert system_libs.qt_folder() is not None
