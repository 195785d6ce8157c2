"""Derived event ids: the same UUID every version has given, so a re-sent row stays the same event."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from calven_desk.roster.identity import EVENT_ID_NAMESPACE, derive_event_id


@given(st.text(), st.sampled_from(["scheduled", "cancelled", "Leave"]), st.text(), st.text())
def test_derived_id_is_the_uuid5_of_the_event(
    identity: str, kind: str, start: str, end: str
) -> None:
    name = f"{identity}|{kind}|{start}|{end}"
    expected = str(uuid.uuid5(uuid.UUID(EVENT_ID_NAMESPACE), name)).upper()
    assert derive_event_id(identity, kind, start, end) == expected


def test_a_known_id_never_changes() -> None:
    # Rows sent by earlier versions must keep their ids, or Calven would take them for new events.
    assert derive_event_id("ana.lima@example.com", "scheduled", "2030-03-02", "2030-03-06") == (
        "B4AA4DD9-677E-5D5A-8A2D-0AF6C2686521"
    )
