"""Rules for who an event is about and how it is named: email syntax and deterministic event ids."""

from __future__ import annotations

import re
import uuid
from functools import lru_cache

#: A fixed namespace so the same row yields the same eventId on every computer, in every version.
EVENT_ID_NAMESPACE = uuid.UUID("6f1c3a52-2b7e-4d38-9a57-0c4e1d9b8a21")

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")


@lru_cache(maxsize=65_536)
def is_valid_email(address: str) -> bool:
    """Syntax only (RFC 5321 lengths, a dotted domain): whether the mailbox exists is Calven's to say."""
    if len(address) > 254 or "@" not in address or len(address.split("@", 1)[0]) > 64:
        return False
    return _EMAIL.fullmatch(address) is not None


def derive_event_id(identity: str, event_type: str, start: str, end: str) -> str:
    """An upper-case UUID from what makes the event itself, so a re-sent row is recognisably the same."""
    return str(uuid.uuid5(EVENT_ID_NAMESPACE, f"{identity}|{event_type}|{start}|{end}")).upper()
