"""The batching submitter over real HTTP: every row ends exactly once, in order per person."""

from __future__ import annotations

import threading
from collections import Counter

from calven_desk.calven.auth import Credentials
from calven_desk.calven.client import CalvenClient
from calven_desk.calven.outcomes import Outcome, OutgoingEvent, Progress, RowOutcome
from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, VISITOR_KEY_ID, Faults, Sandbox
from calven_desk.calven.submitter import (
    HELD_BACK,
    NO_RESULT,
    Submitter,
    match_results,
    plan_batches,
)
from tests.calven.conftest import events


def fast(client: CalvenClient, **options: object) -> Submitter:
    """Backoff measured in milliseconds, so fault tests finish quickly (time is not mocked)."""
    return Submitter(client, backoff_seconds=0.01, max_retries=8, **options)  # type: ignore[arg-type]


def test_2000_rows_with_faults_each_end_exactly_once(
    sandbox: Sandbox, client: CalvenClient
) -> None:
    sandbox.set_faults(
        Faults(server_error_every=4, drop_every=6, throttle_every=9, retry_after_seconds=0.02)
    )
    rows = events(2000)
    result = fast(client).submit(rows)
    assert [o.row for o in result.outcomes] == [e.row for e in rows]
    assert Counter(o.outcome for o in result.outcomes) == {Outcome.ACCEPTED: 2000}
    arrived = Counter(a.event["eventId"] for a in sandbox.arrivals)
    assert set(arrived) == {e.event_id for e in rows} and set(arrived.values()) == {1}
    assert sandbox.calls > 20  # the faults really happened and were retried


def test_batches_never_exceed_the_size(sandbox: Sandbox, client: CalvenClient) -> None:
    sandbox.set_faults(Faults(max_batch=7))
    result = fast(client, batch_size=7).submit(events(50))
    assert all(o.outcome is Outcome.ACCEPTED for o in result.outcomes)
    per_call = Counter(a.call for a in sandbox.arrivals)
    assert max(per_call.values()) <= 7


def test_one_bad_row_is_isolated_by_halving(sandbox: Sandbox, client: CalvenClient) -> None:
    sandbox.set_faults(Faults(refuse_batch_containing="person13@"))
    rows = events(100, people=100)
    result = fast(client).submit(rows)
    bad = [o for o in result.outcomes if o.outcome is not Outcome.ACCEPTED]
    assert [o.row for o in bad] == [15]
    assert bad[0].outcome is Outcome.REJECTED and "contains person13@" in bad[0].message
    assert len(sandbox.accepted) == 99


def test_codes_known_and_unknown_are_rejections_with_messages(
    sandbox: Sandbox, client: CalvenClient
) -> None:
    sandbox.set_faults(Faults(codes_by_email={"person1@example.com": 4, "person2@example.com": -1}))
    with Sandbox(users=["person0@example.com"]) as strict:
        with CalvenClient(strict.url, Credentials(DEMO_KEY_ID, DEMO_SECRET)) as other:
            unknown = fast(other).submit(events(2))
    assert unknown.outcomes[0].outcome is Outcome.ACCEPTED
    assert (unknown.outcomes[1].outcome, unknown.outcomes[1].result_code) == (Outcome.REJECTED, 2)
    result = fast(client).submit(events(3))
    assert [(o.outcome, o.result_code) for o in result.outcomes] == [
        (Outcome.ACCEPTED, 0),
        (Outcome.REJECTED, 4),
        (Outcome.REJECTED, -1),
    ]
    assert "forced" in result.outcomes[1].message


def test_reordered_answers_map_back_by_event_id(sandbox: Sandbox, client: CalvenClient) -> None:
    sandbox.set_faults(Faults(reorder_results=True, codes_by_email={"person0@example.com": 3}))
    result = fast(client).submit(events(10, people=10))
    assert result.outcomes[0].result_code == 3
    assert all(o.result_code == 0 for o in result.outcomes[1:])


def test_repeated_ids_match_in_order_and_missing_results_fail() -> None:
    rows = [
        OutgoingEvent(2, {"eventId": "X", "email": "a@x.io"}),
        OutgoingEvent(3, {"eventId": "X", "email": "a@x.io"}),
        OutgoingEvent(4, {"eventId": "Y", "email": "b@x.io"}),
    ]
    answer = [
        {"eventId": "X", "resultCode": 0, "message": "first"},
        {"eventId": "X", "resultCode": 1, "message": "second"},
    ]
    outcomes = match_results(rows, answer)
    assert [(o.outcome, o.message) for o in outcomes[:2]] == [
        (Outcome.ACCEPTED, "first"),
        (Outcome.REJECTED, "second"),
    ]
    # Sent, answered, but no result for the row: Calven may hold it (never "not sent").
    assert outcomes[2].outcome is Outcome.UNCONFIRMED and outcomes[2].message == NO_RESULT
    assert (
        match_results(rows[:1], [{"eventId": "X", "resultCode": True}])[0].outcome
        is Outcome.REJECTED
    )


def test_token_expiry_mid_run(sandbox: Sandbox, client: CalvenClient) -> None:
    done: list[Progress] = []

    def expire_midway(progress: Progress) -> None:
        done.append(progress)
        if progress.done == 300:
            sandbox.expire_tokens()

    result = fast(client, parallel=1).submit(events(600, people=600), progress=expire_midway)
    assert all(o.outcome is Outcome.ACCEPTED for o in result.outcomes)
    assert done[-1].done == 600 and done[-1].total == 600


def test_per_person_order_and_parallel_batches(sandbox: Sandbox, client: CalvenClient) -> None:
    sandbox.set_faults(Faults(latency_seconds=0.02, server_error_every=3))
    rows = events(900, people=40)  # every person has many rows across the roster
    result = fast(client, batch_size=50).submit(rows)
    assert all(o.outcome is Outcome.ACCEPTED for o in result.outcomes)
    last: dict[str, int] = {}
    for arrival in sandbox.arrivals:
        number = int(arrival.event["eventId"][3:])
        assert number > last.get(arrival.event["email"], -1), (
            "a person's events arrived out of order"
        )
        last[arrival.event["email"]] = number


def test_plan_batches_keeps_people_together() -> None:
    batches = plan_batches(events(10, people=3), batch_size=4)
    assert [len(b) for b in batches] == [4, 3, 3]
    assert [{e.person for e in b} for b in batches] == [
        {"person0@example.com"},
        {"person1@example.com"},
        {"person2@example.com"},
    ]
    assert [e.row for e in batches[0]] == sorted(e.row for e in batches[0])


def test_cancel_mid_run_leaves_honest_states(sandbox: Sandbox, client: CalvenClient) -> None:
    sandbox.set_faults(Faults(latency_seconds=0.15))
    cancel = threading.Event()

    def stop_after_first(progress: Progress) -> None:
        if progress.done >= 100:
            cancel.set()

    result = fast(client, batch_size=50, parallel=2).submit(
        events(1000, people=1000), progress=stop_after_first, cancel=cancel
    )
    counts = Counter(o.outcome for o in result.outcomes)
    assert result.cancelled
    assert (
        counts[Outcome.ACCEPTED] == len(sandbox.accepted) >= 100
    )  # in-flight batches got their answers
    assert counts[Outcome.NOT_SENT] == 1000 - counts[Outcome.ACCEPTED] > 0
    sent_ids = {a.event["eventId"] for a in sandbox.arrivals}
    assert all(o.event_id not in sent_ids for o in result.outcomes if o.outcome is Outcome.NOT_SENT)


def test_wrong_role_stops_the_run(sandbox: Sandbox) -> None:
    with CalvenClient(sandbox.url, Credentials(VISITOR_KEY_ID, DEMO_SECRET)) as client:
        result = fast(client).submit(events(250))
    assert result.fatal is not None and "Submitting Events" in str(result.fatal)
    assert {o.outcome for o in result.outcomes} == {Outcome.NOT_SENT}
    assert all("Submitting Events" in o.message for o in result.outcomes)


def test_network_down_after_retries_is_not_sent_with_reason() -> None:
    with CalvenClient("http://127.0.0.1:9", Credentials(DEMO_KEY_ID, DEMO_SECRET)) as client:
        result = Submitter(client, backoff_seconds=0.001, max_retries=2).submit(events(5))
    assert {o.outcome for o in result.outcomes} == {Outcome.NOT_SENT}
    assert "Gave up after 3 tries" in result.outcomes[0].message


def test_rows_after_an_unsent_row_of_the_same_person_are_held_back(
    sandbox: Sandbox, client: CalvenClient
) -> None:
    # Every request is turned away before it is looked at (429): nothing reached Calven.
    sandbox.set_faults(Faults(throttle_every=1, retry_after_seconds=0))
    rows = events(3, people=1)
    result = Submitter(client, batch_size=1, backoff_seconds=0.001, max_retries=1).submit(rows)
    assert (
        result.outcomes[0].outcome is Outcome.NOT_SENT and "Gave up" in result.outcomes[0].message
    )
    assert [o.message for o in result.outcomes[1:]] == [HELD_BACK, HELD_BACK]


def test_a_batch_that_may_have_arrived_ends_unconfirmed_and_holds_back_the_rest(
    sandbox: Sandbox, client: CalvenClient
) -> None:
    """Calven failing with a 5xx, or the connection breaking once the request left, may have
    processed it: the row is unconfirmed (never "not sent"), and the person's later rows wait."""
    for faults in (Faults(server_error_every=1), Faults(lose_answer_every=1)):
        sandbox.set_faults(faults)
        rows = events(3, people=1)
        result = Submitter(client, batch_size=1, backoff_seconds=0.001, max_retries=1).submit(rows)
        first = result.outcomes[0]
        assert first.outcome is Outcome.UNCONFIRMED and "Gave up after 2 tries" in first.message
        assert "may or may not be recorded" in first.message
        assert [o.outcome for o in result.outcomes[1:]] == [Outcome.NOT_SENT] * 2
        assert [o.message for o in result.outcomes[1:]] == [HELD_BACK, HELD_BACK]
    # With the answer lost, the sandbox did process it: its calendar has the days.
    assert sandbox.accepted[-1]["eventId"] == rows[0].event_id


class Recorder:
    def __init__(self) -> None:
        self.log: list[tuple[str, list[int]]] = []

    def batch_sending(self, rows: list[OutgoingEvent]) -> None:
        self.log.append(("sending", [e.row for e in rows]))

    def batch_answered(self, outcomes: list[RowOutcome]) -> None:
        self.log.append(("answered", [o.row for o in outcomes]))


def test_listener_hears_before_sending_and_after_answers(client: CalvenClient) -> None:
    recorder = Recorder()
    fast(client, batch_size=2, parallel=1, listener=recorder).submit(events(4, people=2))
    assert recorder.log == [
        ("sending", [2, 4]),
        ("answered", [2, 4]),
        ("sending", [3, 5]),
        ("answered", [3, 5]),
    ]


def test_one_event_id_is_never_twice_in_a_request_and_each_person_keeps_their_order() -> None:
    """Results are matched by eventId and Calven promises no order: a closure shared by twelve
    people, and one person's booking then withdrawal under one id, go in separate requests, while
    everyone else still fills batches as before."""
    closure = [OutgoingEvent(2 + i, {"eventId": "XMAS", "email": f"p{i}@x.io"}) for i in range(12)]
    own = [
        OutgoingEvent(20, {"eventId": "R1", "email": "a@x.io", "eventType": "scheduled"}),
        OutgoingEvent(21, {"eventId": "R2", "email": "a@x.io", "eventType": "scheduled"}),
        OutgoingEvent(22, {"eventId": "R1", "email": "a@x.io", "eventType": "cancelled"}),
    ]
    rest = events(150, people=150, start_row=100)
    batches = plan_batches([*closure, *own, *rest], 50)
    assert all(len({e.event_id for e in b}) == len(b) for b in batches)
    assert all(len(b) <= 50 for b in batches)
    assert sorted(e.row for b in batches for e in b) == sorted(
        e.row for e in [*closure, *own, *rest]
    )
    where = {e.row: i for i, b in enumerate(batches) for e in b}
    assert len({where[e.row] for e in closure}) == 12
    assert where[20] <= where[21] <= where[22] and where[20] < where[22]
    position = {e.row: b.index(e) for b in batches for e in b}
    assert where[20] != where[21] or position[20] < position[21]
    assert len(batches) == 12  # the others fill the closure's batches, not batches of their own
