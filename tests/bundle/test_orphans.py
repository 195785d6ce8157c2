"""The bundle drops the libraries that only the plugins it left out would have loaded."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.bundle.loader import load
from tests.system_tools import require_tools

orphans = load("orphans")

LINKS = {
    "/src/calven-desk": ["libc.so.6"],
    "/src/libpython3.11.so.1.0": ["libm.so.6"],
    "/src/_ssl.cpython-311-x86_64-linux-gnu.so": ["libssl.so.3"],
    "/src/libssl.so.3": ["libcrypto.so.3"],
    "/src/libcrypto.so.3": [],
    "/src/QtWidgets.abi3.so": ["libQt6Widgets.so.6"],
    "/src/libQt6Widgets.so.6": ["libQt6Gui.so.6"],
    "/src/libQt6Gui.so.6": [],
    "/src/libqxcb.so": ["libQt6XcbQpa.so.6"],
    "/src/libQt6XcbQpa.so.6": ["libxcb.so.1"],
    "/src/libxcb.so.1": [],
    # What the GTK theme plugin linked; the plugin itself was dropped from the bundle.
    "/src/libgtk-3.so.0": ["libcairo.so.2"],
    "/src/libcairo.so.2": [],
}
ENTRIES = [
    ("calven-desk", "/src/calven-desk"),
    ("libpython3.11.so.1.0", "/src/libpython3.11.so.1.0"),
    (
        "python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
        "/src/_ssl.cpython-311-x86_64-linux-gnu.so",
    ),
    ("libssl.so.3", "/src/libssl.so.3"),
    ("libcrypto.so.3", "/src/libcrypto.so.3"),
    ("PySide6/QtWidgets.abi3.so", "/src/QtWidgets.abi3.so"),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", "/src/libQt6Widgets.so.6"),
    ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6"),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so"),
    ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/src/libQt6XcbQpa.so.6"),
    ("libxcb.so.1", "/src/libxcb.so.1"),
    ("libgtk-3.so.0", "/src/libgtk-3.so.0"),
    ("libcairo.so.2", "/src/libcairo.so.2"),
]


def test_only_libraries_nothing_kept_links_are_orphans() -> None:
    assert orphans.orphans(ENTRIES, LINKS.__getitem__) == {"libgtk-3.so.0", "libcairo.so.2"}


def test_a_library_needed_through_a_chain_of_libraries_stays() -> None:
    without_extension = [
        entry for entry in ENTRIES if not entry[0].endswith("_ssl.cpython-311-x86_64-linux-gnu.so")
    ]
    assert orphans.orphans(without_extension, LINKS.__getitem__) == {
        "libssl.so.3",
        "libcrypto.so.3",
        "libgtk-3.so.0",
        "libcairo.so.2",
    }


def test_roots_are_whatever_is_loaded_by_path() -> None:
    assert orphans.is_root("calven-desk")
    assert orphans.is_root("libpython3.11.so.1.0")
    assert orphans.is_root("PySide6/QtCore.abi3.so")
    assert orphans.is_root("PySide6\\Qt\\plugins\\platforms\\libqxcb.so")
    assert not orphans.is_root("PySide6/Qt/lib/libQt6Core.so.6")
    assert not orphans.is_root("libgtk-3.so.0")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF libraries are Linux's")
def test_readelf_reads_what_a_real_qt_plugin_links() -> None:
    require_tools(["readelf"], "apt-get install binutils")
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    assert "libQt6XcbQpa.so.6" in orphans.needed_by(str(plugin))
    entries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", str(plugin)),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", str(qt / "lib" / "libQt6XcbQpa.so.6")),
        ("PySide6/Qt/lib/libQt6Network.so.6", str(qt / "lib" / "libQt6Network.so.6")),
    ]
    assert orphans.orphans(entries) == {"PySide6/Qt/lib/libQt6Network.so.6"}
