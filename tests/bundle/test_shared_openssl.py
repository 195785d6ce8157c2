"""psycopg's own OpenSSL becomes a link to the bundle's, only when the bundle's offers every symbol
version asked of it: readelf's own words, and the real libraries when binutils is there."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.bundle.loader import load
from tests.system_tools import require_tools

shared = load("shared_openssl")


def defines(*versions: str) -> str:
    lines = [f"  0x00{i}0: Rev: 1  Flags: none  Index: {i + 2}  Cnt: 1  Name: {v}" for i, v in
             enumerate(versions)]  # fmt: skip
    return "Version definition section '.gnu.version_d' contains 2 entries:\n" + "\n".join(lines)


def needs(library: str, *versions: str) -> str:
    names = "".join(f"  0x00{i}0:   Name: {v}  Flags: none  Version: {i + 3}\n"
                    for i, v in enumerate(versions))  # fmt: skip
    return f"Version needs section '.gnu.version_r':\n 000000: Version: 1  File: {library}  Cnt: 1\n{names}"


BUNDLE = [
    ("libcrypto.so.3", "/src/libcrypto.so.3"),
    ("libssl.so.3", "/src/libssl.so.3"),
    ("psycopg_binary.libs/libcrypto-3a0647ea.so.3", "/src/hashed-crypto"),
    ("psycopg_binary.libs/libssl-6a9b88ec.so.3", "/src/hashed-ssl"),
    ("psycopg_binary.libs/libpq-e9b5c9ac.so.5.18", "/src/libpq"),
]


def test_the_copies_link_to_the_bundles_own_when_it_offers_what_is_asked() -> None:
    readelf = {
        "/src/libcrypto.so.3": defines("OPENSSL_3.0.0", "OPENSSL_3.0.9"),
        "/src/libssl.so.3": defines("OPENSSL_3.0.0"),
        # psycopg's libssl asks its own libcrypto for newer versions: it is replaced too.
        "/src/hashed-ssl": needs("libcrypto-3a0647ea.so.3", "OPENSSL_3.0.0", "OPENSSL_3.4.0"),
        "/src/libpq": needs("libssl-6a9b88ec.so.3", "OPENSSL_3.0.0")
        + needs("libcrypto-3a0647ea.so.3", "OPENSSL_3.0.0"),
    }
    twins = shared.openssl_twins(BUNDLE, lambda path: readelf.get(path, ""))
    assert twins == {
        "psycopg_binary.libs/libcrypto-3a0647ea.so.3": "../libcrypto.so.3",
        "psycopg_binary.libs/libssl-6a9b88ec.so.3": "../libssl.so.3",
    }


def test_a_copy_stays_when_a_library_that_stays_asks_for_more() -> None:
    readelf = {
        "/src/libcrypto.so.3": defines("OPENSSL_3.0.0"),
        "/src/libssl.so.3": defines("OPENSSL_3.0.0"),
        "/src/libpq": needs("libssl-6a9b88ec.so.3", "OPENSSL_3.2.0")
        + needs("libcrypto-3a0647ea.so.3", "OPENSSL_3.0.0"),
        "/src/hashed-ssl": needs("libcrypto-3a0647ea.so.3", "OPENSSL_3.4.0"),
    }
    # libpq needs a newer libssl: psycopg's stays, and so its libcrypto's asks count.
    assert shared.openssl_twins(BUNDLE, lambda path: readelf.get(path, "")) == {}


def test_the_real_libraries_read_as_the_tests_expect() -> None:
    require_tools(["readelf"], "apt-get install binutils")
    import ssl

    library = Path(ssl.__file__).parent / "lib-dynload"
    found = next(library.glob("_ssl*.so"), None)
    assert found is not None and shutil.which("readelf")
    asked = shared.needed_versions(shared.read_versions(str(found)))
    ssl_asks = [versions for name, versions in asked.items() if name.startswith("libssl")]
    assert ssl_asks and all(v.startswith("OPENSSL_") for v in ssl_asks[0])
    assert any(v.startswith("GLIBC_") for name, vs in asked.items() for v in vs if "libc" in name)
