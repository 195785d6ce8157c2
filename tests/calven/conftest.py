"""A running sandbox and a client for it: real HTTP on loopback, no mocks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from calven_desk.calven.auth import Credentials
from calven_desk.calven.client import CalvenClient
from calven_desk.calven.outcomes import OutgoingEvent
from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[CalvenClient]:
    with CalvenClient(sandbox.url, Credentials(DEMO_KEY_ID, DEMO_SECRET)) as made:
        yield made


def events(count: int, people: int = 300, start_row: int = 2) -> list[OutgoingEvent]:
    """`count` valid events spread over `people` people, rows numbered as in a sheet."""
    return [
        OutgoingEvent(
            start_row + i,
            {
                "eventId": f"EV-{i:05d}",
                "email": f"person{i % people}@example.com",
                "eventType": "scheduled",
                "startDate": "2030-01-01",
                "endDate": "2030-01-02",
            },
        )
        for i in range(count)
    ]
