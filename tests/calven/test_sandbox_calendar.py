"""The sandbox keeps each person's calendar as Calven would: scheduled sets days away, cancelled frees them."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import date
from typing import Any

import pytest

from calven_desk.calven.client import CalvenClient
from calven_desk.calven.sandbox import Faults, Sandbox


def get(sandbox: Sandbox, query: str) -> Any:
    with urllib.request.urlopen(f"{sandbox.url}/sandbox/away?{query}") as answer:
        return json.loads(answer.read())


def event(event_id: str, kind: str, first: str, last: str, who: str = "a@x.io") -> dict[str, str]:
    key = "email" if "@" in who else "uid"
    return {"eventId": event_id, key: who, "eventType": kind, "startDate": first, "endDate": last}


def test_calendar_in_arrival_order_past_days_ignored(
    sandbox: Sandbox, client: CalvenClient
) -> None:
    sandbox.state.today = date(2031, 1, 3)
    client.post_timeoff(
        [
            event("1", "scheduled", "2031-01-01", "2031-01-06"),  # the 1st and 2nd are past
            event("2", "cancelled", "2031-01-05", "2031-01-05"),
            event("3", "scheduled", "2031-01-10", "2031-01-10", who="U-9"),
        ]
    )
    assert get(sandbox, "email=a@x.io") == {
        "email": "a@x.io",
        "away": ["2031-01-03", "2031-01-04", "2031-01-06"],
    }
    client.post_timeoff([event("4", "scheduled", "2031-01-05", "2031-01-05")])
    assert sandbox.away("a@x.io") == ["2031-01-03", "2031-01-04", "2031-01-05", "2031-01-06"]
    assert get(sandbox, "uid=U-9") == {"uid": "U-9", "away": ["2031-01-10"]}
    assert get(sandbox, "email=nobody@x.io")["away"] == []
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(sandbox, "")
    assert refused.value.code == 400


def test_rejected_events_leave_the_calendar_alone(sandbox: Sandbox, client: CalvenClient) -> None:
    sandbox.set_faults(Faults(codes_by_email={"a@x.io": 2}))
    client.post_timeoff([event("1", "scheduled", "2031-01-01", "2031-01-02")])
    assert sandbox.away("a@x.io") == []
