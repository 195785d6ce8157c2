"""The Linux bundle's ICU data is trimmed to what Qt reads, and what Qt reads still works."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.bundle.loader import load
from tests.system_tools import require_tools

slim_icu = load("slim_icu")


def test_collation_and_core_data_stay_display_names_and_code_pages_go() -> None:
    for kept in (
        "coll/sv.res",
        "coll/ucadata.icu",
        "root.res",
        "pool.res",
        "res_index.res",
        "uprops.icu",
        "nfc.nrm",
        "cnvalias.icu",
        "likelySubtags.res",
    ):
        assert not slim_icu.dropped(kept), kept
    for gone in (
        "brkitr/cjdict.dict",
        "curr/de.res",
        "lang/fr.res",
        "region/en.res",
        "unit/ja.res",
        "zone/es.res",
        "translit/el_Latn.res",
        "rbnf/en.res",
        "ibm-1390_P110-2003.cnv",
        "de.res",
        "zh_Hant_TW.res",
        "es_419.res",
    ):
        assert slim_icu.dropped(gone), gone


def test_something_that_is_not_icu_data_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "libQt6Core.so.6"
    other.write_bytes(b"\x7fELF")
    result = slim_icu.slim_icu_data(other, tmp_path / "work")
    assert result.library == other
    assert "not an ICU data library" in result.message


def _wheel_icu() -> Path:
    if not sys.platform.startswith("linux"):
        pytest.skip("only the Linux Qt wheel carries ICU")
    import PySide6

    library = Path(PySide6.__file__).parent / "Qt" / "lib" / "libicudata.so.73"
    if not library.exists():
        pytest.fail(f"the Qt wheel no longer carries {library.name}: update slim_icu and this test")
    require_tools(slim_icu.TOOLS, "apt-get install icu-devtools binutils gcc")
    return library


def test_a_library_that_cannot_be_trimmed_is_bundled_whole(tmp_path: Path) -> None:
    """A failed trim makes a bigger bundle, never a failed or broken one."""
    _wheel_icu()  # the tools must be there, or the trim is never attempted
    broken = tmp_path / "libicudata.so.73"
    broken.write_bytes(b"not a shared library")
    result = slim_icu.slim_icu_data(broken, tmp_path / "work")
    assert result.library == broken
    assert result.message.startswith("ICU data left whole, as trimming it failed")


COLLATE = textwrap.dedent(
    """
    import ctypes, sys
    icu = ctypes.CDLL(sys.argv[1])
    icu.ucol_open_73.restype = ctypes.c_void_p
    icu.ucol_open_73.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    icu.ucol_strcoll_73.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                    ctypes.c_char_p, ctypes.c_int]
    def compare(locale, a, b):
        status = ctypes.c_int(0)
        collator = icu.ucol_open_73(locale.encode(), ctypes.byref(status))
        assert status.value <= 0, (locale, status.value)
        return icu.ucol_strcoll_73(collator, a.encode("utf-16-le"), len(a), b.encode("utf-16-le"), len(b))
    print(compare("sv", "\u00e4", "z"), compare("de", "\u00e4", "z"), compare("en", "\u00c5sa", "Bob"))
    """
)


def test_the_trimmed_library_still_collates_by_language(tmp_path: Path) -> None:
    """ICU itself, loaded from the trimmed data, sorts ä after z in Swedish and before it in German."""
    library = _wheel_icu()
    result = slim_icu.slim_icu_data(library, tmp_path / "work")
    assert result.library != library, result.message
    assert result.library.stat().st_size < library.stat().st_size / 4
    # ICU's other libraries find their data beside them ($ORIGIN), so they are set up as in the bundle.
    beside = tmp_path / "lib"
    beside.mkdir()
    shutil.copy(result.library, beside / library.name)
    for name in ("libicuuc.so.73", "libicui18n.so.73"):
        shutil.copy(library.parent / name, beside / name)
    # A fresh process: this one may already have Qt's ICU loaded, which would answer instead.
    done = subprocess.run(
        [sys.executable, "-c", COLLATE, str(beside / "libicui18n.so.73")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    swedish, german, english = (int(value) for value in done.stdout.split())
    assert (swedish, german, english) == (1, -1, -1)
    assert "ICU data trimmed" in result.message
