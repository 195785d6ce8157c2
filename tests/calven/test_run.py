"""A whole run through `execute_run`: the journal and the live answer feed, against the sandbox."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from calven_desk.calven.outcomes import Outcome, RowOutcome
from calven_desk.calven.run import Connection, RunPlan, RunSettings, execute_run
from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Faults, Sandbox
from calven_desk.store.journal import Journal
from tests.calven.conftest import events


def connection(sandbox: Sandbox) -> Connection:
    return Connection(sandbox.url, "token", DEMO_KEY_ID, DEMO_SECRET)


def test_answers_are_fed_batch_by_batch_after_the_journal_has_them(sandbox: Sandbox) -> None:
    sandbox.state.users = None
    sandbox.set_faults(Faults(codes_by_email={"person7@example.com": 2}))
    fed: list[list[int]] = []
    journalled_first: list[bool] = []
    lock = threading.Lock()

    def answered(outcomes: Sequence[RowOutcome]) -> None:
        with Journal() as reader:  # a second connection, as a crash-recovery would read it
            states = {r.row: r.state for r in reader.run_rows(1)}
        with lock:
            fed.append([o.row for o in outcomes])
            journalled_first.append(all(states[o.row] == o.outcome.value for o in outcomes))

    plan = RunPlan(events(300, people=100), [])
    with Journal() as journal:
        report = execute_run(
            plan,
            connection(sandbox),
            settings=RunSettings(batch_size=50, parallel=2),
            journal=journal,
            source="roster.xlsx",
            sheet=None,
            answered=answered,
        )
    assert report.run_id == 1
    assert len(fed) >= 6 and all(len(batch) <= 50 for batch in fed)
    assert sorted(row for batch in fed for row in batch) == [e.row for e in plan.events]
    assert all(journalled_first)
    rejected = [o for o in report.outcomes if o.outcome is Outcome.REJECTED]
    assert {o.result_code for o in rejected} == {2} and len(rejected) == 3


def test_a_run_that_cannot_start_still_feeds_every_row_as_not_sent(sandbox: Sandbox) -> None:
    fed: list[RowOutcome] = []
    plan = RunPlan(events(5), [])
    refused = Connection("http://calven.example.com", "token", DEMO_KEY_ID, DEMO_SECRET)
    report = execute_run(
        plan,
        refused,
        settings=RunSettings(),
        journal=None,
        source="roster.xlsx",
        sheet=None,
        answered=fed.extend,
    )
    assert report.fatal is not None
    assert [o.row for o in fed] == [e.row for e in plan.events]
    assert {o.outcome for o in fed} == {Outcome.NOT_SENT}
