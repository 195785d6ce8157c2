"""The team memory's own promises (issue 22): the journal's outbox applied in order and once, even
when a crash comes between the team's commit and the journal forgetting it; a journal copied to
another computer is another origin; the layout is the app's, and a newer one is refused; what the
database cannot do is a sentence."""

from __future__ import annotations

import random
import socket
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from calven_desk.store import journal as journal_module
from calven_desk.store import memory_ops
from calven_desk.store.held import MEMORY_SCHEMA, Memory, Outcome, Sender
from calven_desk.store.journal import Answer, Journal, TeamMemoryUnavailable
from calven_desk.store.memory_address import MemoryAddress
from calven_desk.store.memory_ops import answered_op, sending_op
from calven_desk.store.secrets import Secret
from calven_desk.store.team_memory import TeamMemory
from tests.store.test_held import KEY, URL, event, start
from tests.team_db import TeamDb


def address(team: TeamDb) -> MemoryAddress:
    return MemoryAddress(team.url, Secret(team.password))


def days_of(journal: Journal) -> dict[str, list[tuple[str, str]]]:
    return {
        h.event_id: [(a.isoformat(), b.isoformat()) for a, b in h.days]
        for h in journal.held(URL, KEY)
        if h.days
    }


def test_an_operation_is_applied_once_even_after_a_crash_before_it_was_forgotten(
    tmp_path: Path, team_db: TeamDb
) -> None:
    """Computer A's cancellation reaches the team's database, then A crashes before deleting it
    from its outbox. Meanwhile B books the days again. A's next flush must not cancel them again."""
    with Journal(tmp_path / "a.sqlite3", memory=address(team_db)) as a:
        run = start(a, [(2, "R1", event("R1", "2031-05-01", "2031-05-10"))])
        a.record_answers(run, [Answer(2, "accepted", 0, "", None)])
        assert a.team is not None
        real = a.team.apply

        def crash_after_commit(ops: list[tuple[int, str]]) -> int:
            real(ops)
            raise TeamMemoryUnavailable("the process died here")

        a.team.apply = crash_after_commit  # type: ignore[method-assign]
        run = start(a, [(2, "R1", event("R1", "2031-05-01", "2031-05-05", "cancelled"))])
        a.record_answers(run, [Answer(2, "accepted", 0, "", None)])
        assert a.waiting(team_db.url) == 1  # kept here: the journal never heard it was applied
        a.team.apply = real  # type: ignore[method-assign]

        with Journal(tmp_path / "b.sqlite3", memory=address(team_db)) as b:
            run = start(b, [(2, "R2", event("R2", "2031-05-01", "2031-05-05"))])
            b.record_answers(run, [Answer(2, "accepted", 0, "", None)])

        found = days_of(a)  # flushes first: the cancellation is skipped, not applied again
        assert a.waiting(team_db.url) == 0
        assert found == {
            "R1": [("2031-05-06", "2031-05-10")],
            "R2": [("2031-05-01", "2031-05-05")],
        }
    origins = team_db.query("SELECT last_seq FROM calven_desk.memory_origins ORDER BY last_seq")
    assert origins == [(1,), (2,)]


def test_a_journal_copied_to_another_computer_is_another_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as journal:
        first = journal.origin
    with Journal(path) as journal:
        assert journal.origin == first
    monkeypatch.setattr(journal_module.socket, "gethostname", lambda: "HR-PC-9")
    with Journal(path) as journal:
        assert journal.origin != first
    monkeypatch.setattr(journal_module.socket, "gethostname", socket.gethostname)


def test_a_layout_from_a_newer_release_is_refused_in_a_sentence(
    tmp_path: Path, team_db: TeamDb
) -> None:
    with Journal(tmp_path / "j.sqlite3", memory=address(team_db)) as journal:
        assert journal.held(URL, KEY) == []  # creates the layout
    assert team_db.query("SELECT value FROM calven_desk.memory_meta") == [("1",)]
    team_db.query("UPDATE calven_desk.memory_meta SET value = '99'")
    with (
        Journal(tmp_path / "j.sqlite3", memory=address(team_db)) as journal,
        pytest.raises(TeamMemoryUnavailable) as refused,
    ):
        journal.held(URL, KEY)
    assert "set up by a newer Calven Desk (layout 99; this one knows 1)" in str(refused.value)


def test_no_schema_and_no_right_to_make_one_is_a_sentence(tmp_path: Path, team_db: TeamDb) -> None:
    team_db.query("DROP SCHEMA calven_desk CASCADE")
    with (
        Journal(tmp_path / "j.sqlite3", memory=address(team_db)) as journal,
        pytest.raises(TeamMemoryUnavailable) as refused,
    ):
        journal.held(URL, KEY)
    said = str(refused.value)
    assert "has no schema 'calven_desk', and this user may not create one" in said
    assert team_db.password not in said


def test_a_claim_lost_with_its_session_stops_the_send_and_keeps_the_answers(
    tmp_path: Path, team_db: TeamDb
) -> None:
    with Journal(tmp_path / "a.sqlite3", memory=address(team_db)) as a:
        assert a.claim_sender(URL, KEY, "calven-desk submit march.xlsx") is None
        with Journal(tmp_path / "b.sqlite3", memory=address(team_db)) as b:
            holder = b.claim_sender(URL, KEY, "the window")
            assert holder is not None and holder.what == "calven-desk submit march.xlsx"
        run = start(a, [(2, "R1", event("R1", "2031-05-01", "2031-05-10"))])
        a.mark_sending(run, [2])
        assert team_db.cut_sessions() == 1
        a.record_answers(run, [Answer(2, "accepted", 0, "", None)])  # kept: never raises
        assert a.waiting(team_db.url) == 1
        with pytest.raises(TeamMemoryUnavailable) as stopped:
            a.mark_sending(run, [2])  # the next batch may not leave
        assert "was lost during the send" in str(stopped.value)
        a.release_sender(URL, KEY)  # the claim is over: what was kept is written
        assert a.waiting(team_db.url) == 0
        with Journal(tmp_path / "b.sqlite3", memory=address(team_db)) as b:
            assert days_of(b) == {"R1": [("2031-05-01", "2031-05-10")]}
            assert b.claim_sender(URL, KEY, "the window") is None  # released by the database
            b.release_sender(URL, KEY)


def test_a_run_resumes_only_with_the_memory_it_started_with(
    tmp_path: Path, team_db: TeamDb
) -> None:
    """Its answers so far went to one memory: finishing it with another would leave each half
    wrong. Refused in one sentence, before anything is sent."""
    from calven_desk.calven.run import Connection, ResumeRefused, check_resumable

    path = tmp_path / "j.sqlite3"
    with Journal(path, memory=address(team_db)) as journal:
        run = start(journal, [(2, "R1", event("R1", "2031-05-01", "2031-05-10"))])
        elsewhere = Connection(URL, "hmac", KEY, "secret")
        with pytest.raises(ResumeRefused) as refused:
            check_resumable(journal, run, elsewhere)
        assert str(refused.value) == (
            f"Run {run} kept what Calven accepted in the team memory {team_db.url}; it can only "
            "be finished with that memory, not with this computer's memory. Nothing was sent."
        )
        check_resumable(
            journal, run, Connection(URL, "hmac", KEY, "secret", memory=address(team_db))
        )


def test_tls_as_libpq_takes_it_in_the_address(tmp_path: Path, team_db: TeamDb) -> None:
    """verify-full against the server's own authority works; another authority is refused in a
    sentence about the certificate, naming no password."""
    import os

    authority = os.environ.get("CALVEN_DESK_TEST_POSTGRES_CA", "")
    if not authority or not Path(authority).exists():
        message = "no certificate authority for the test cluster (CALVEN_DESK_TEST_POSTGRES_CA)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from calven_desk.store.team_memory import check_team_memory

    secure = f"{team_db.url}?sslmode=verify-full&sslrootcert={authority}"
    said = check_team_memory(MemoryAddress(secure, Secret(team_db.password)))
    assert said.startswith("The team memory (PostgreSQL at 127.0.0.1:") and "answers" in said
    other = tmp_path / "other-ca.crt"
    other.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    with pytest.raises(TeamMemoryUnavailable) as refused:
        check_team_memory(
            MemoryAddress(
                f"{team_db.url}?sslmode=verify-full&sslrootcert={other}", Secret(team_db.password)
            )
        )
    assert "could not be reached securely: its certificate was not accepted" in str(refused.value)
    assert team_db.password not in str(refused.value)


def test_a_batch_worked_out_beside_the_server_leaves_what_the_rules_leave_here(
    team_db: TeamDb,
) -> None:
    """The team writes a batch's answers as the difference they make to the people answered
    (`TeamRules.answered`); the journal runs the same rules statement by statement. Random
    months of bookings, moves, cancellations (a person's own, and derived ones that free days of
    several bookings), refusals, lost answers and rows never sent, for four people with
    overlapping leave, must leave both memories row for row alike, and the fifth person, never
    answered about, untouched."""
    bystander = {
        "eventId": "B1",
        "email": "p9@x.io",
        "eventType": "scheduled",
        "startDate": "2031-05-01",
        "endDate": "2031-05-31",
    }
    team = TeamMemory(address(team_db), "test-origin", Sender(0))
    seq = 0
    try:
        for seed in range(8):  # each on a connection of its own (its key id)
            key = f"key-{seed}"
            here = sqlite3.connect(":memory:")
            here.executescript(MEMORY_SCHEMA)
            for body in random_months(random.Random(seed), key, bystander):
                memory_ops.apply(Memory(here), body)
                seq += 1
                assert team.apply([(seq, body)]) == seq
            ours = list(Memory(here).export())
            theirs = [r for r in team.export() if r["key_id"] == key]
            assert len(ours) > 20  # the months left plenty held, shrunk and split
            assert {r["state"] for r in ours} == {"held", "unconfirmed"}
            assert theirs == ours, f"seed {seed}"
            assert [r["event"] for r in theirs if r["person"] == "p9@x.io"] == [bystander]
    finally:
        team.close()


def random_months(rng: random.Random, key: str, bystander: dict[str, str]) -> list[str]:
    """Forty batches of answers as the outbox keeps them, each answered at one time."""
    people = [f"p{i}@x.io" for i in range(4)]
    ops: list[str] = [
        sending_op(URL, key, Sender(1), "2031-01-01T00:00:00+00:00", [bystander]),
        answered_op(
            URL, key, Sender(1), [Outcome(bystander, True, "accepted", "2031-01-01T00:00:01+00:00")]
        ),
    ]
    for batch in range(40):
        outcomes = []
        for _ in range(rng.randint(1, 8)):
            first = date(2031, 5, 1) + timedelta(days=rng.randint(0, 20))
            last = first + timedelta(days=rng.randint(0, 6))
            kind = rng.choice(["scheduled", "scheduled", "cancelled"])
            found = {
                "eventId": f"R{rng.randint(1, 5)}",
                "email": rng.choice(people),
                "eventType": kind,
                "startDate": first.isoformat(),
                "endDate": last.isoformat(),
            }
            own = kind == "scheduled" or rng.random() < 0.5
            result = rng.choice(["accepted"] * 5 + ["rejected", "not_sent", "unconfirmed"])
            at = f"2031-02-01T00:{batch:02d}:30+00:00"  # one time per batch, as Calven answers
            outcomes.append(Outcome(found, own, result, at))
        stamp = f"2031-02-01T00:{batch:02d}:00+00:00"
        ops.append(
            sending_op(URL, key, Sender(batch + 2), stamp, [o.event for o in outcomes if o.own])
        )
        ops.append(answered_op(URL, key, Sender(batch + 2), outcomes))
    return ops


def test_a_booking_and_its_withdrawal_answered_together_stay_in_their_order(
    team_db: TeamDb,
) -> None:
    """R1 booked and partly withdrawn in one roster: Calven answers both in one batch, at one
    time. The withdrawal came second, so it is what Calven accepted last under R1; when a later
    cancellation frees the booking's last days, the booking goes, in both memories (it once
    stayed, as an empty booking, in the team's only, as PostgreSQL returned the two equal times
    the other way round)."""

    def event(kind: str, event_id: str, first: str, last: str) -> dict[str, str]:
        return {
            "eventId": event_id,
            "email": "p@x.io",
            "eventType": kind,
            "startDate": first,
            "endDate": last,
        }

    booked = event("scheduled", "R1", "2031-05-05", "2031-05-11")
    withdrawn = event("cancelled", "R1", "2031-05-03", "2031-05-09")
    freed = event("cancelled", "R2", "2031-05-10", "2031-05-15")
    first, later = "2031-02-01T10:00:00+00:00", "2031-02-02T10:00:00+00:00"
    ops = [
        sending_op(URL, KEY, Sender(1), first, [booked, withdrawn]),
        answered_op(
            URL,
            KEY,
            Sender(1),
            [Outcome(booked, True, "accepted", first), Outcome(withdrawn, True, "accepted", first)],
        ),
        answered_op(URL, KEY, Sender(2), [Outcome(freed, False, "accepted", later)]),
    ]
    here = sqlite3.connect(":memory:")
    here.executescript(MEMORY_SCHEMA)
    team = TeamMemory(address(team_db), "test-origin", Sender(0))
    try:
        for seq, body in enumerate(ops, start=1):
            memory_ops.apply(Memory(here), body)
            team.apply([(seq, body)])
        memories = [list(Memory(here).export()), list(team.export())]
    finally:
        team.close()
    for found in memories:
        assert [(r["event"], r["days"], r["state"]) for r in found] == [(withdrawn, [], "held")]
