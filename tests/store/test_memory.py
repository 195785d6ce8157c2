"""The memory of what Calven holds: per person and eventId, versions forgotten only when Calven
accepted their cancellation, unconfirmed sends, one spelling per address, and a journal written by
release 0.1.0 brought up to date without forgetting anything."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from calven_desk.store.held import connection_key
from calven_desk.store.journal import Answer, Journal, PlannedCancellation
from calven_desk.store.memory_address import MemoryAddress
from tests.store.test_held import KEY, URL, event, start

RELEASE_0_1_0 = Path(__file__).parent / "data" / "journal-0.1.0.sqlite3"


def versions(journal: Journal) -> list[tuple[str, str, str, str, bool, list[tuple[str, str]]]]:
    return sorted(
        (
            h.person,
            h.event_id,
            h.event["startDate"],
            h.event["endDate"],
            h.confirmed,
            [(a.isoformat(), b.isoformat()) for a, b in h.days],
        )
        for h in journal.held(URL, KEY)
    )


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("https://api.calven.com", "https://api.calven.com"),
        ("https://api.calven.com/", "https://api.calven.com"),
        ("HTTPS://API.Calven.COM:443/", "https://api.calven.com"),
        ("  https://api.calven.com:8443/v1/ ", "https://api.calven.com:8443/v1"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("http://[::1]:8765/", "http://[::1]:8765"),
    ],
)
def test_one_spelling_per_calven_address(typed: str, key: str) -> None:
    assert connection_key(typed) == key


def test_two_peoples_leave_under_one_event_id_is_kept_apart(
    tmp_path: Path, memory: MemoryAddress | None
) -> None:
    with Journal(tmp_path / "j.sqlite3", memory=memory) as journal:
        run = start(
            journal,
            [
                (2, "R1", event("R1", "2031-04-06", "2031-04-10", who="anna@x.io")),
                (3, "R1", event("R1", "2031-05-01", "2031-05-02", who="ben@x.io")),
            ],
        )
        journal.record_answers(
            run, [Answer(2, "accepted", 0, "", None), Answer(3, "accepted", 0, "", None)]
        )
        # Ben's R1 is cancelled: Anna's R1 keeps every day.
        run = start(
            journal,
            [(2, "R1", event("R1", "2031-05-01", "2031-05-02", "cancelled", who="ben@x.io"))],
        )
        journal.record_answers(run, [Answer(2, "accepted", 0, "", None)])
        assert versions(journal) == [
            ("anna@x.io", "R1", "2031-04-06", "2031-04-10", True, [("2031-04-06", "2031-04-10")]),
            ("ben@x.io", "R1", "2031-05-01", "2031-05-02", True, []),
        ]


def cancelling(row: int, first: str, last: str, retracts: str = "R1") -> PlannedCancellation:
    payload = event(f"C{row}", first, last, "cancelled")
    return PlannedCancellation(row, f"C{row}", payload, retracts, "moved")


def test_days_are_forgotten_only_when_calven_accepted_their_cancellation(
    tmp_path: Path, memory: MemoryAddress | None
) -> None:
    """A leave moved from 6-10 April to 20-24 April: the new dates are accepted, the cancellation
    of the old ones refused. Both are remembered; only an accepted cancellation frees 6-10 April."""
    with Journal(tmp_path / "j.sqlite3", memory=memory) as journal:
        run = start(journal, [(2, "R1", event("R1", "2031-04-06", "2031-04-10"))])
        journal.record_answers(run, [Answer(2, "accepted", 0, "", None)])
        run = start(
            journal,
            [(2, "R1", event("R1", "2031-04-20", "2031-04-24"))],
            cancellations=[cancelling(-9, "2031-04-06", "2031-04-10")],
        )
        journal.mark_sending(run, [-9, 2])
        journal.record_answers(
            run, [Answer(-9, "rejected", 1, "refused", None), Answer(2, "accepted", 0, "", None)]
        )
        assert versions(journal) == [
            ("a@x.io", "R1", "2031-04-06", "2031-04-10", True, [("2031-04-06", "2031-04-10")]),
            ("a@x.io", "R1", "2031-04-20", "2031-04-24", True, [("2031-04-20", "2031-04-24")]),
        ]
        run = start(journal, [], cancellations=[cancelling(-8, "2031-04-06", "2031-04-10")])
        journal.record_answers(run, [Answer(-8, "accepted", 0, "", None)])
        assert versions(journal) == [
            ("a@x.io", "R1", "2031-04-20", "2031-04-24", True, [("2031-04-20", "2031-04-24")]),
        ]


def test_a_send_never_answered_is_remembered_as_unconfirmed(
    tmp_path: Path, memory: MemoryAddress | None
) -> None:
    """Marked as leaving, the event is "may be held" until Calven answers; a batch that never
    left (not sent) is forgotten; one whose answer was lost stays; an answer settles it."""
    with Journal(tmp_path / "j.sqlite3", memory=memory) as journal:
        run = start(
            journal,
            [
                (2, "A", event("A", "2031-01-01", "2031-01-02")),
                (3, "B", event("B", "2031-02-01", "2031-02-02")),
                (4, "C", event("C", "2031-03-01", "2031-03-02")),
                (5, "D", event("D", "2031-04-01", "2031-04-02")),
            ],
        )
        journal.mark_sending(run, [2, 3, 4, 5])
        assert {(v[1], v[4]) for v in versions(journal)} == {
            ("A", False),
            ("B", False),
            ("C", False),
            ("D", False),
        }
        journal.record_answers(
            run,
            [
                Answer(2, "accepted", 0, "", None),
                Answer(3, "rejected", 2, "unknown", None),
                Answer(4, "not_sent", None, "never left", None),
                Answer(5, "unconfirmed", None, "answer lost", None),
            ],
        )
        assert sorted((v[1], v[4]) for v in versions(journal)) == [("A", True), ("D", False)]
        assert [r.state for r in journal.unanswered(run)] == ["not_sent", "unconfirmed"]
        # Another run's "not sent" never forgets what this one may have left in Calven.
        again = start(journal, [(5, "D", event("D", "2031-04-01", "2031-04-02"))])
        journal.mark_sending(again, [5])
        journal.record_answers(again, [Answer(5, "not_sent", None, "down", None)])
        assert sorted((v[1], v[4]) for v in versions(journal)) == [("A", True), ("D", False)]
        journal.mark_sending(again, [5])
        journal.record_answers(again, [Answer(5, "accepted", 0, "", None)])
        assert sorted((v[1], v[4]) for v in versions(journal)) == [("A", True), ("D", True)]


def test_a_journal_written_by_release_0_1_0_upgrades_in_place_forgetting_nothing(
    tmp_path: Path,
) -> None:
    """The file was written by release 0.1.0 itself (commit 9c88c22): three sends of a small
    roster to the sandbox at http://127.0.0.1:47911, the last typed as HTTP://127.0.0.1:47911/,
    which that release kept as a connection of its own. Every event it held is still held, each
    under its person, and the two spellings are one connection now."""
    path = tmp_path / "journal.sqlite3"
    shutil.copy(RELEASE_0_1_0, path)
    before = sqlite3.connect(path)
    old = before.execute(
        "SELECT base_url, event_id, person, payload, days FROM held ORDER BY held_since"
    ).fetchall()
    runs = before.execute("SELECT id, status, host FROM runs ORDER BY id").fetchall()
    before.close()
    assert len(old) == 8 and {r[0] for r in old} == {
        "http://127.0.0.1:47911",
        "HTTP://127.0.0.1:47911",
    }
    for _ in range(2):  # opening it again changes nothing more
        with Journal(path) as journal:
            held = journal.held("http://127.0.0.1:47911/", "sandbox-key")
            assert [
                (h.person, h.event_id)
                for h in journal.held("HTTP://127.0.0.1:47911", "sandbox-key")
            ] == [(h.person, h.event_id) for h in held]
            found = {
                (h.person, h.event_id, json.dumps(dict(h.event), sort_keys=True), h.days)
                for h in held
            }
            expected = {
                (
                    person,
                    event_id,
                    json.dumps(json.loads(payload), sort_keys=True),
                    tuple((date_of(a), date_of(b)) for a, b in json.loads(days)),
                )
                for _, event_id, person, payload, days in old
            }
            assert found == expected and len(found) == 4
            assert all(h.confirmed for h in held)
            assert [(r.id, r.status, r.host) for r in reversed(journal.runs())] == runs
            assert journal.held_counts() == [("http://127.0.0.1:47911", "sandbox-key", 4)]


def date_of(text: str) -> object:
    from datetime import date

    return date.fromisoformat(text)


def test_a_crashed_senders_claim_is_taken_over_and_a_live_one_is_not(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "j.sqlite3"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from calven_desk.store.journal import Journal; "
            f"j = Journal(__import__('pathlib').Path({str(path)!r})); "
            f"assert j.claim_sender({URL!r}, {KEY!r}, 'calven-desk submit march.xlsx') is None; "
            "print('claimed', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "claimed"
        with Journal(path) as journal:
            claim = journal.claim_sender(URL + "/", KEY, "the Calven Desk window (march.xlsx)")
            assert claim is not None and claim.pid == holder.pid
            sentence = claim.sentence(URL)
            assert sentence.startswith(
                "Another send to Calven (https://api.calven.com) is under way: "
            )
            assert "calven-desk submit march.xlsx" in sentence and "this computer" in sentence
            assert journal.claim_sender(URL, "another-key", "x") is None  # another connection
            holder.kill()
            holder.wait()
            assert journal.claim_sender(URL, KEY, "the window") is None  # the crashed one's claim
            journal.release_sender(URL, KEY)
    finally:
        holder.kill()
        holder.wait()


def test_a_roster_reads_only_its_share_of_the_memory_whichever_way(
    tmp_path: Path, memory: MemoryAddress | None
) -> None:
    """What keeps a day in the roster's window, and every version of its keys wherever its days
    are (or with none), found both by looking the keys up and by one pass over the memory."""
    from datetime import date

    with Journal(tmp_path / "j.sqlite3", memory=memory) as journal:
        rows = [
            (2, "IN", event("IN", "2031-03-05", "2031-03-06")),
            (3, "EDGE", event("EDGE", "2031-02-20", "2031-03-01")),  # touches the first day
            (4, "OUT", event("OUT", "2031-07-01", "2031-07-02")),  # outside, not the roster's
            (5, "MINE", event("MINE", "2031-09-01", "2031-09-02")),  # outside, but a row's key
            (6, "GONE", event("GONE", "2031-03-10", "2031-03-10", "cancelled")),  # no days
            (7, "ELSE", event("ELSE", "2031-03-05", "2031-03-05", who="b@x.io")),
        ]
        run = start(journal, rows)
        journal.record_answers(run, [Answer(r, "accepted", 0, "", None) for r, _, _ in rows])
        window = (date(2031, 3, 1), date(2031, 3, 31))
        few = {("a@x.io", "MINE"), ("a@x.io", "GONE"), ("a@x.io", "NOT-HELD")}
        many = few | {(f"p{i}@x.io", f"K{i}") for i in range(40)}  # more than a fifth: one pass
        for keys in (few, many):
            found = journal.held(URL, KEY, window, keys)
            assert sorted((h.person, h.event_id) for h in found) == [
                ("a@x.io", "EDGE"),
                ("a@x.io", "GONE"),
                ("a@x.io", "IN"),
                ("a@x.io", "MINE"),
                ("b@x.io", "ELSE"),
            ]
        assert len(journal.held(URL, KEY)) == 6
        assert [h.event_id for h in journal.held(URL, KEY, None, {("a@x.io", "OUT")})] == ["OUT"]


def test_two_windows_never_both_resume_one_interrupted_run(tmp_path: Path) -> None:
    """The claim is atomic: while one live process finishes the run, another is refused it."""
    import subprocess
    import sys

    path = tmp_path / "j.sqlite3"
    with Journal(path) as journal:
        run = start(journal, [(2, "A", event("A", "2031-01-01", "2031-01-02"))])
        journal.finish_run(run, "cancelled")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; from calven_desk.store.journal import Journal; "
            f"j = Journal(Path({str(path)!r})); print(j.claim_run({run}), flush=True); "
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        with Journal(path) as journal:
            assert journal.claim_run(run) is False
            holder.kill()
            holder.wait()
            assert journal.claim_run(run) is True  # its claimer is gone: finishing it falls to us
    finally:
        holder.kill()
        holder.wait()


def test_a_second_claim_in_the_same_process_waits_its_turn(
    tmp_path: Path, memory: MemoryAddress | None
) -> None:
    """Two sends started in one process (two parts of the window, or the same journal twice)
    are one sender at a time, as two processes are: the second is told who holds the claim, and
    gets it once the first gives it back."""
    path = tmp_path / "j.sqlite3"
    with Journal(path, memory=memory) as first, Journal(path, memory=memory) as second:
        assert first.claim_sender(URL, KEY, "sending march.xlsx") is None
        for journal in (first, second):
            holder = journal.claim_sender(URL, KEY, "cancelling what left the roster")
            assert holder is not None and holder.what == "sending march.xlsx"
        first.release_sender(URL, KEY)
        assert second.claim_sender(URL, KEY, "cancelling what left the roster") is None
        second.release_sender(URL, KEY)


def test_a_claim_left_in_this_process_id_by_a_crashed_one_is_taken_over(tmp_path: Path) -> None:
    """A process that crashed while sending left its claim; the system later gave its process id
    to this one. The claim is the crashed process's, not this one's: it is taken over."""
    import os
    import socket

    path = tmp_path / "j.sqlite3"
    with Journal(path):
        pass
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO senders (base_url, key_id, pid, machine, user, what, since, beat)"
            " VALUES (?, ?, ?, ?, 'ana', 'calven-desk submit march.xlsx', ?, ?)",
            (
                URL,
                KEY,
                os.getpid(),
                socket.gethostname(),
                "2031-01-01T00:00:00+00:00",
                "2031-01-01T00:00:00+00:00",
            ),
        )
    with Journal(path) as journal:
        assert journal.claim_sender(URL, KEY, "the window") is None
        journal.release_sender(URL, KEY)
