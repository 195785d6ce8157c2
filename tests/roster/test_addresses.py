"""Email addresses from many languages: which are valid, and that the address sent is the one written."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

from calven_desk.roster import load_roster
from calven_desk.roster.addresses import is_valid_email
from tests.roster.files import write_xlsx

#: An address of exactly 254 bytes, RFC 5321's limit: a 64-character local part and a 189-byte domain.
LONGEST = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com"

VALID = [
    pytest.param("björn.ek@example.se", id="Swedish"),
    pytest.param("Åsa.Öberg@Företaget.SE", id="Swedish, capitals"),
    pytest.param("jürgen.müller@bücher.example", id="German"),
    pytest.param("anna@xn--bcher-kva.example", id="German domain in its xn-- form"),
    pytest.param("straße@example.de", id="German sharp s"),
    pytest.param("françois.lefèvre@société.fr", id="French"),
    pytest.param("joão.conceição@empresa.com.br", id="Portuguese (Brazil)"),
    pytest.param("maria@açaí.com.br", id="Portuguese (Brazil) domain"),
    pytest.param("mañana@ejemplo.es", id="Spanish"),
    pytest.param("山田太郎@例え.jp", id="Japanese"),
    pytest.param("θεός@παράδειγμα.gr", id="Greek"),
    pytest.param("δοκιμή@παράδειγμα.δοκιμή", id="Greek top-level domain"),
    pytest.param("用户@例子.广告", id="Chinese"),
    pytest.param("иван@почта.рф", id="Russian"),
    pytest.param("अजय@डाटा.भारत", id="Hindi"),
    pytest.param("o'neil@example.ie", id="Irish apostrophe"),
    pytest.param("First.Last+leave@sub.example.co.uk", id="plus tag"),
    pytest.param("a" * 64 + "@example.com", id="64 characters before the @"),
    pytest.param(LONGEST, id="254 bytes in all"),
]

INVALID = [
    pytest.param("björn.ek.example.se", id="no @"),
    pytest.param("anna@bücher", id="no dot in the domain"),
    pytest.param("anna maria@example.de", id="space before the @"),
    pytest.param("jean@exem ple.fr", id="space in the domain"),
    pytest.param("jean..dupont@exemple.fr", id="two dots in a row"),
    pytest.param(".maria@empresa.com.br", id="leading dot"),
    pytest.param("maria.@empresa.com.br", id="dot just before the @"),
    pytest.param("山田@例え.jp.", id="trailing dot"),
    pytest.param("θεός@@παράδειγμα.gr", id="two @"),
    pytest.param("山田＠例え.jp", id="full-width at sign"),
    pytest.param("@example.com", id="nothing before the @"),
    pytest.param("jürgen@-bücher.example", id="domain starting with a hyphen"),
    pytest.param("anna@xn--zz.example", id="broken xn-- label"),
    pytest.param("a@example.c", id="one-letter top-level domain"),
    pytest.param('"anna maria"@example.de', id="quoted part before the @"),
    pytest.param("Anna <anna@example.de>", id="name and angle brackets"),
    pytest.param("a" * 65 + "@example.com", id="65 characters before the @"),
    pytest.param("ö" * 65 + "@example.se", id="65 accented characters before the @"),
    pytest.param("anna@" + "b" * 64 + ".com", id="domain label of 64"),
    pytest.param("a" + LONGEST, id="255 bytes in all"),
    pytest.param(
        "ö" * 60 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".se",
        id="over 254 bytes in UTF-8",
    ),
]


@pytest.mark.parametrize("address", VALID)
def test_valid_addresses(address: str) -> None:
    assert is_valid_email(address)


@pytest.mark.parametrize("address", INVALID)
def test_invalid_addresses(address: str) -> None:
    assert not is_valid_email(address)


def _library_verdict(address: str) -> bool:
    """email-validator called directly on the whole address, plus our one rule: a TLD of 2+ letters."""
    try:
        checked = validate_email(
            address, check_deliverability=False, allow_smtputf8=True, strict=True
        )
    except EmailNotValidError:
        return False
    return len(checked.ascii_domain.rsplit(".", 1)[-1]) >= 2


#: Pieces an address is made of in the property test: atoms, specials, accents and a combining mark.
_PIECES = st.sampled_from(
    [
        *"aZx9.-_+'@\"<> öß山",
        "\u0301",
        "＠",
        "。",
        "xn--",
        "bücher",
        "Zoë",
        "example",
        "com",
        "local",
    ]
)
_TEXT = st.lists(_PIECES, max_size=10).map("".join)
_DOMAINS = st.sampled_from(
    [
        *("example.com", "bücher.example", "xn--bcher-kva.example", "EXAMPLE.SE", "例え.jp"),
        *("example", "-x.com", "a..b", "corp.local", "x.c", "[192.0.2.1]", "", "xn--zz.example"),
        *("δοκιμή", "b" * 63 + ".com", "b" * 64 + ".com", ("c" * 63 + ".") * 3 + "d" * 57 + ".com"),
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.builds(lambda local, domain: f"{local}@{domain}", _TEXT, _DOMAINS),
        st.builds(lambda n, domain: "a" * n + "@" + domain, st.integers(1, 70), _DOMAINS),
        st.builds(lambda local, domain: f"{local}@{domain}", _TEXT, _TEXT),
        _TEXT,
    )
)
@example(LONGEST)
@example("a" + LONGEST)
@example("a" * 65 + "@example.com")
@example("ö" * 65 + "@example.se")
def test_the_fast_path_gives_the_library_answer(address: str) -> None:
    """Plain ASCII local parts skip the library's full parse; the verdict must not change by it."""
    assert is_valid_email(address) == _library_verdict(address)


def test_the_event_keeps_the_address_as_written(tmp_path: Path) -> None:
    """No normalisation reaches Calven: case, the `xn--` form and decomposed accents stay as typed."""
    decomposed = unicodedata.normalize("NFD", "Björn.Ek@Example.SE")
    assert decomposed != "Björn.Ek@Example.SE"
    addresses = [
        "Björn.Ek@Example.SE",
        decomposed,
        "Anna@XN--BCHER-KVA.example",
        "Jürgen@Bücher.Example",
        "not an address@example.de",
    ]
    path = write_xlsx(
        tmp_path / "leave.xlsx",
        {
            "Leave": [
                ["Email", "Start", "End"],
                *(
                    [f"  {a} ", date(2030, 3, 2), date(2030, 3, 2 + i)]
                    for i, a in enumerate(addresses)
                ),
            ]
        },
    )
    check = load_roster(path, today=date(2026, 11, 24))
    events = [r.sendable_event for r in check.rows]
    assert [e["email"] if e else None for e in events] == [*addresses[:4], None]
    assert check.rows[4].problems[0].message == (
        "'not an address@example.de' is not a valid email address (like name@company.com)."
    )
