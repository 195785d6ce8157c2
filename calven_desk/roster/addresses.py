"""Email address syntax by email-validator's rules, worked out once per distinct address and domain.

Internationalised addresses are valid (RFC 6531/6532: `björn.ek@example.se`, `anna@bücher.example`
and its `xn--` form). Only the syntax is checked, never DNS: whether the mailbox exists is Calven's
to say. The address is only judged here, never rewritten: email-validator's normalised form is not
used anywhere, because Calven matches the address exactly as HR wrote it, case included.
"""

from __future__ import annotations

from contextlib import suppress
from functools import cache, lru_cache
from types import ModuleType
from typing import Any

#: email-validator's options: syntax only (no DNS), UTF-8 local parts, and `strict` so a part
#: before the @ longer than RFC 5321's 64 characters is refused too.
OPTIONS: dict[str, Any] = {
    "check_deliverability": False,
    "allow_smtputf8": True,
    "strict": True,
}


def load_library() -> None:
    """Import email-validator ahead of its first use: compiling its patterns takes 30 ms.

    `load_roster` runs this on another thread while calamine parses a workbook, which it does
    without holding Python's lock, so on two cores the import costs no time. A failed import is
    left for the first real use to report.
    """
    with suppress(ImportError):
        import email_validator.rfc_constants  # noqa: F401


def library_accepts(address: str) -> bool:
    """email-validator's own verdict on the whole address (about 50 µs: the slow, general path)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, **OPTIONS)
    except EmailNotValidError:
        return False
    return True


@lru_cache(maxsize=4096)
def domain_length(domain: str) -> int | None:
    """The longest form of a valid domain in UTF-8 bytes (as written, Unicode, `xn--`), else None.

    email-validator checks the length of the whole address in each of those forms. A top-level
    domain of one letter is refused as well: none exists, so `name@company.c` is a typo.
    """
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email("a@" + domain, **OPTIONS)
    except EmailNotValidError:
        return None
    if len(checked.ascii_domain.rsplit(".", 1)[-1]) < 2:
        return None
    return max(len(form.encode()) for form in (domain, checked.domain, checked.ascii_domain))


@cache
def _rfc_constants() -> ModuleType:
    """email-validator's constants, imported once: an import statement in `is_valid_email` cost
    2 µs on each of a roster's thousands of distinct addresses. An import statement it stays, not
    a look in sys.modules, which could find the module half made by `load_library`'s thread."""
    import email_validator.rfc_constants

    return email_validator.rfc_constants


@lru_cache(maxsize=65_536)
def is_valid_email(address: str) -> bool:
    """Whether `address` (already trimmed) is a syntactically valid email address.

    Cached, and split so that a 50,000-row roster stays fast: most addresses have a plain ASCII
    part before the @, which email-validator accepts by its dot-atom rule alone (its own pattern is
    used here), so only the domain needs the library's full check, once per distinct domain; the
    whole address must then fit in 254 bytes in every form, as the library requires. Anything else
    (UTF-8 or quoted local parts, angle brackets, several @) gets the library's full verdict.
    tests/roster/test_addresses.py checks both paths give the library's answer.
    """
    rfc = _rfc_constants()
    local, _, domain = address.partition("@")
    if (
        domain
        and "@" not in domain
        and "<" not in address
        and len(local) <= rfc.LOCAL_PART_MAX_LENGTH
        and rfc.DOT_ATOM_TEXT.match(local)
    ):
        longest = domain_length(domain)
        return longest is not None and len(local) + 1 + longest <= rfc.EMAIL_MAX_LENGTH
    return library_accepts(address) and domain_length(address.rpartition("@")[2]) is not None
