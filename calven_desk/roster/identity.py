"""Rules for who an event is about and how it is named: email syntax and deterministic event ids."""

from __future__ import annotations

import uuid

from calven_desk.roster.addresses import is_valid_email

#: A fixed namespace so the same row yields the same eventId on every computer, in every version.
EVENT_ID_NAMESPACE = uuid.UUID("6f1c3a52-2b7e-4d38-9a57-0c4e1d9b8a21")


def derive_event_id(identity: str, event_type: str, start: str, end: str) -> str:
    """An upper-case UUID from what makes the event itself, so a re-sent row is recognisably the same."""
    return str(uuid.uuid5(EVENT_ID_NAMESPACE, f"{identity}|{event_type}|{start}|{end}")).upper()


__all__ = ["EVENT_ID_NAMESPACE", "derive_event_id", "is_valid_email"]
