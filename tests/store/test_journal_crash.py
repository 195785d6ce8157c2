"""A run killed at any moment leaves every row answered or resumable, and each batch whole."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest

from calven_desk.store.journal import UNANSWERED, Answer, Journal, JournalError

#: The child process: journals batches the way the submitter does, then dies without closing.
CHILD = """
import json, os, signal, sys
from pathlib import Path
from calven_desk.store.journal import Answer, Journal

journal = Journal(Path(sys.argv[1]))
batches, size, die_after = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = [(r, f"E{r}", json.dumps({"eventId": f"E{r}"})) for r in range(batches * size)]
run = journal.start_run(source="roster.csv", sheet=None, profile="prod",
                        host="https://api.calven.com", rows=rows)
print(run, flush=True)
for b in range(batches):
    batch = list(range(b * size, (b + 1) * size))
    journal.mark_sending(run, batch)
    if die_after == "sending" and b == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    journal.record_answers(run, [Answer(r, "accepted", 0, "", None) for r in batch])
    print(b, flush=True)
sys.stdin.read()  # wait for the parent to kill us
"""


def test_killed_after_a_batch_left_the_row_states_say_what_to_resend(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), "5", "4", "sending"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == -9, child.stderr
    run_id = int(child.stdout.split()[0])
    with Journal(path) as journal:
        [interrupted] = journal.interrupted_runs()  # its process is gone: not "still running"
        assert interrupted.id == run_id and not interrupted.still_running
        assert interrupted.counts == {"accepted": 8, "sending": 4, "pending": 8}
        resend = journal.unanswered(run_id)
        assert [r.row for r in resend] == list(range(8, 20))
        # The same payload goes again, so Calven sees the same eventIds.
        assert all(json.loads(r.payload or "")["eventId"] == r.event_id for r in resend)
        # The crashed run is not being sent by anybody: a purge may take it.
        assert journal.purge_older_than(timedelta(seconds=-1)) == 1


def test_a_kill_mid_stream_never_splits_a_batch(tmp_path: Path) -> None:
    """Killed from outside at an arbitrary point: each batch is one transaction, so all or none."""
    path = tmp_path / "journal.sqlite3"
    size = 25
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), "400", str(size), "never"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    run_id = int(child.stdout.readline())
    for _ in range(5):  # let a few batches go by, then pull the plug wherever it is
        child.stdout.readline()
    child.kill()
    child.wait(timeout=30)
    with Journal(path) as journal:
        by_batch: dict[int, set[str]] = defaultdict(set)
        for row in journal.run_rows(run_id):
            by_batch[row.row // size].add(row.state)
        assert len(by_batch) == 400
        assert all(len(states) == 1 for states in by_batch.values()), by_batch
        assert {s for states in by_batch.values() for s in states} <= {"accepted", *UNANSWERED}
        assert by_batch[0] == {"accepted"}


def test_a_damaged_journal_is_a_sentence(tmp_path: Path) -> None:
    damaged = tmp_path / "journal.sqlite3"
    damaged.write_bytes(b"this is not a database, it was overwritten by accident" * 100)
    with pytest.raises(JournalError, match="cannot be opened") as raised:
        Journal(damaged)
    assert str(damaged) in str(raised.value)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(JournalError, match="Move that file aside"):
        Journal(folder)


def test_purge_keeps_what_is_being_sent(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        live = journal.start_run(
            source="a.csv", sheet=None, profile=None, host="h", rows=[(2, "A", "{}")]
        )
        done = journal.start_run(
            source="b.csv", sheet=None, profile=None, host="h", rows=[(2, "B", "{}")]
        )
        journal.record_answers(done, [Answer(2, "accepted", 0, "", None)])
        journal.finish_run(done, "finished")
        assert journal.purge_older_than(timedelta.max) == 0  # older than the calendar: none
        # `live` belongs to this very process (another thread may be sending it right now).
        assert journal.purge_older_than(timedelta(seconds=-1)) == 1
        assert [r.id for r in journal.runs()] == [live]
        assert [r.row for r in journal.unanswered(live)] == [2]


def test_answers_and_run_details_survive_a_reopen(tmp_path: Path) -> None:
    """Answers written by one Journal object are on disk for the next process to read."""
    path = tmp_path / "j.sqlite3"
    with Journal(path) as journal:
        run = journal.start_run(
            source="s",
            sheet="Leave",
            profile="prod",
            host="https://api.calven.com",
            rows=[(4, "A", "{}")],
        )
        journal.mark_sending(run, [4])
        journal.record_answers(run, [Answer(4, "rejected", 7, "Calven's own words", None)])
    with Journal(path) as reopened:
        [row] = reopened.run_rows(run)
        assert (row.state, row.result_code, row.message) == ("rejected", 7, "Calven's own words")
        assert row.sent_at is not None and row.answered_at is not None
        [info] = reopened.runs()
        assert (info.sheet, info.profile, info.host) == ("Leave", "prod", "https://api.calven.com")
