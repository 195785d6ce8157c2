"""What a run changes in a team's memory, written down first in this computer's journal.

An answer from Calven and what it changes in the memory must never part: with the memory in the
journal they are one SQLite transaction. With a team memory in PostgreSQL they are two databases,
so the change is kept as an operation in the journal's outbox, in the transaction that records the
answer (or marks the batch as leaving), and applied to the team's database afterwards by replaying
it through the same `Memory` rules (`apply`). Each operation has the journal's sequence number; the
team's database remembers the last one it applied from each journal, in the transaction that
applies it, so a repeat after a crash applies nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from calven_desk.store.held import Memory, Outcome, Sender


def _sender(sender: Sender) -> dict[str, object]:
    return {
        "run_id": sender.run_id,
        "machine": sender.machine,
        "user": sender.user,
        "origin": sender.origin,
    }


def sending_op(
    base_url: str, key_id: str, sender: Sender, at: str, events: Iterable[Mapping[str, str]]
) -> str:
    """Events about to leave (`Memory.sending`), as the outbox keeps it."""
    body = {
        "op": "sending",
        "base_url": base_url,
        "key_id": key_id,
        "sender": _sender(sender),
        "at": at,
        "events": [dict(e) for e in events],
    }
    return json.dumps(body, ensure_ascii=False)


def answered_op(base_url: str, key_id: str, sender: Sender, outcomes: Sequence[Outcome]) -> str:
    """A batch's answers (`Memory.answered`), as the outbox keeps it."""
    body = {
        "op": "answered",
        "base_url": base_url,
        "key_id": key_id,
        "sender": _sender(sender),
        "outcomes": [
            {"event": dict(o.event), "own": o.own, "result": o.result, "at": o.at} for o in outcomes
        ],
    }
    return json.dumps(body, ensure_ascii=False)


def apply(memory: Memory, text: str) -> None:
    """Replay one kept operation on a memory (the caller holds its transaction)."""
    body = json.loads(text)
    who = body["sender"]
    sender = Sender(int(who["run_id"]), who["machine"], who["user"], who["origin"])
    if body["op"] == "sending":
        memory.sending(body["base_url"], body["key_id"], sender, body["at"], body["events"])
    elif body["op"] == "answered":
        outcomes = [
            Outcome(o["event"], bool(o["own"]), o["result"], o["at"]) for o in body["outcomes"]
        ]
        memory.answered(body["base_url"], body["key_id"], sender, outcomes)
    else:  # written by a newer release: never guessed at
        raise ValueError(f"unknown memory operation {body['op']!r}")
