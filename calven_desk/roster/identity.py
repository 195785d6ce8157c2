"""Rules for who an event is about and how it is named: email syntax and deterministic event ids."""

from __future__ import annotations

from hashlib import sha1

from calven_desk.roster.addresses import is_valid_email

#: A fixed namespace so the same row yields the same eventId on every computer, in every version.
EVENT_ID_NAMESPACE = "6f1c3a52-2b7e-4d38-9a57-0c4e1d9b8a21"
_NAMESPACE_BYTES = bytes.fromhex(EVENT_ID_NAMESPACE.replace("-", ""))


def derive_event_id(identity: str, event_type: str, start: str, end: str) -> str:
    """An upper-case UUID from what makes the event itself, so a re-sent row is recognisably the same.

    Exactly `str(uuid.uuid5(UUID(EVENT_ID_NAMESPACE), name)).upper()` (tests/roster/test_identity.py
    holds it to that), written out because building a `uuid.UUID` costs 8 µs a row on a 50,000-row
    roster.
    """
    digest = bytearray(
        sha1(_NAMESPACE_BYTES + f"{identity}|{event_type}|{start}|{end}".encode()).digest()
    )
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest[:16].hex().upper()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


__all__ = ["EVENT_ID_NAMESPACE", "derive_event_id", "is_valid_email"]
