"""What Calven holds from us: written with the answer, per connection, shrunk by cancellations, never purged."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from calven_desk.store.journal import Answer, Journal, PlannedCancellation
from calven_desk.store.memory_address import MemoryAddress

URL, KEY = "https://api.calven.com", "key-1"


def event(
    event_id: str, first: str, last: str, kind: str = "scheduled", who: str = "a@x.io"
) -> str:
    return json.dumps(
        {"eventId": event_id, "email": who, "eventType": kind, "startDate": first, "endDate": last}
    )


def start(
    journal: Journal,
    rows: list[tuple[int, str, str]],
    skipped: list[tuple[int, str, str]] | None = None,
    cancellations: list[PlannedCancellation] | None = None,
) -> int:
    return journal.start_run(
        source="r.csv",
        sheet=None,
        profile=None,
        host=URL,
        key_id=KEY,
        rows=rows,
        skipped=skipped or [],
        cancellations=cancellations or [],
    )


def held_days(
    journal: Journal, base_url: str = URL, key_id: str = KEY
) -> dict[str, list[tuple[str, str]]]:
    return {
        h.event_id: [(a.isoformat(), b.isoformat()) for a, b in h.days]
        for h in journal.held(base_url, key_id)
    }


def test_only_accepted_events_are_held_per_connection(
    tmp_path: Path, memory: MemoryAddress | None
) -> None:
    with Journal(tmp_path / "j.sqlite3", memory=memory) as journal:
        run = start(
            journal,
            [
                (2, "A", event("A", "2031-01-01", "2031-01-05")),
                (3, "B", event("B", "2031-02-01", "2031-02-01")),
                (4, "C", event("C", "2031-03-01", "2031-03-01")),
            ],
            skipped=[(5, "D", "bad email")],
        )
        journal.record_answers(
            run,
            [
                Answer(2, "accepted", 0, "ok", None),
                Answer(3, "rejected", 2, "unknown", None),
                Answer(4, "not_sent", None, "down", None),
            ],
        )
        assert held_days(journal) == {"A": [("2031-01-01", "2031-01-05")]}
        [held] = journal.held(URL + "/", KEY)  # the same address, spelt with a slash
        assert held.event["startDate"] == "2031-01-01" and held.run_id == run
        assert journal.held(URL, "key-2") == [] and journal.held("https://eu.calven.com", KEY) == []
        assert journal.held_counts() == [(URL, KEY, 1)]


def test_accepted_cancellations_shrink_split_and_remove_held_days(
    tmp_path: Path, memory: MemoryAddress | None
) -> None:
    with Journal(tmp_path / "j.sqlite3", memory=memory) as journal:
        run = start(
            journal,
            [
                (2, "A", event("A", "2031-01-01", "2031-01-10")),
                (3, "B", event("B", "2031-02-01", "2031-02-03")),
                (4, "O", event("O", "2031-01-01", "2031-01-10", who="other@x.io")),
            ],
        )
        journal.record_answers(run, [Answer(r, "accepted", 0, "ok", None) for r in (2, 3, 4)])
        cancels = [
            PlannedCancellation(
                -3, "X1", event("X1", "2031-01-04", "2031-01-06", "cancelled"), "A", "moved"
            ),
            PlannedCancellation(
                -2, "X2", event("X2", "2031-01-30", "2031-02-05", "cancelled"), "B", "removed"
            ),
            PlannedCancellation(
                -1, "X3", event("X3", "2031-01-09", "2031-01-09", "cancelled"), "A", "moved"
            ),
        ]
        second = start(journal, [], cancellations=cancels)
        journal.record_answers(second, [Answer(c.row, "accepted", 0, "ok", None) for c in cancels])
        # A split around the 4th-6th, then lost the 9th; B keeps no day (it stays remembered as
        # what Calven accepted last under B, with none); the other person is untouched; the
        # cancellations themselves are not held events.
        assert held_days(journal) == {
            "A": [
                ("2031-01-01", "2031-01-03"),
                ("2031-01-07", "2031-01-08"),
                ("2031-01-10", "2031-01-10"),
            ],
            "B": [],
            "O": [("2031-01-01", "2031-01-10")],
        }
        rows = {r.row: (r.retracts, r.reason) for r in journal.run_rows(second)}
        assert rows[-3] == ("A", "moved") and rows[-2] == ("B", "removed")


def test_a_roster_cancellation_is_held_and_frees_the_booking(
    tmp_path: Path, memory: MemoryAddress | None
) -> None:
    with Journal(tmp_path / "j.sqlite3", memory=memory) as journal:
        run = start(journal, [(2, "A", event("A", "2031-01-01", "2031-01-03"))])
        journal.record_answers(run, [Answer(2, "accepted", 0, "ok", None)])
        again = start(journal, [(2, "A", event("A", "2031-01-01", "2031-01-03", "cancelled"))])
        journal.record_answers(again, [Answer(2, "accepted", 0, "ok", None)])
        [held] = journal.held(URL, KEY)
        assert held.event["eventType"] == "cancelled" and held.days == () and held.run_id == again


def test_purging_runs_keeps_what_calven_holds(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = start(journal, [(2, "A", event("A", "2031-01-01", "2031-01-03"))])
        journal.record_answers(run, [Answer(2, "accepted", 0, "ok", None)])
        journal.finish_run(run, "finished")
        assert journal.purge_older_than(timedelta(0)) == 1
        assert journal.runs() == []
        assert list(held_days(journal)) == ["A"]


def test_answer_and_held_event_commit_together(tmp_path: Path) -> None:
    """If remembering the event fails, the answer is not recorded either (and vice versa)."""
    path = tmp_path / "j.sqlite3"
    with Journal(path) as journal:
        run = start(journal, [(2, "A", event("A", "2031-01-01", "2031-01-03"))])
        raw = sqlite3.connect(path)
        raw.execute(
            "CREATE TRIGGER no_held BEFORE INSERT ON memory_events"
            " BEGIN SELECT RAISE(ABORT, 'disk'); END"
        )
        raw.commit()
        raw.close()
        with pytest.raises(sqlite3.Error):
            journal.record_answers(run, [Answer(2, "accepted", 0, "ok", None)])
        assert [r.state for r in journal.run_rows(run)] == ["pending"]
        assert journal.held(URL, KEY) == []


def test_an_older_journal_file_gains_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(path)
    raw.executescript(
        "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL,"
        " finished_at TEXT, status TEXT NOT NULL, source TEXT NOT NULL, sheet TEXT, profile TEXT,"
        " host TEXT NOT NULL, pid INTEGER, machine TEXT, note TEXT);"
        "CREATE TABLE rows (run_id INTEGER NOT NULL, row INTEGER NOT NULL, event_id TEXT NOT NULL,"
        " payload TEXT, state TEXT NOT NULL, result_code INTEGER, message TEXT NOT NULL DEFAULT '',"
        " sent_at TEXT, answered_at TEXT, PRIMARY KEY (run_id, row));"
        "INSERT INTO runs (started_at, status, source, host)"
        " VALUES ('2026-01-01T00:00:00+00:00', 'finished', 'r.csv', 'h');"
    )
    raw.commit()
    raw.close()
    with Journal(path) as journal:
        assert [r.id for r in journal.runs()] == [1]
        run = start(journal, [(2, "A", event("A", str(date(2031, 1, 1)), "2031-01-01"))])
        journal.record_answers(run, [Answer(2, "accepted", 0, "ok", None)])
        assert list(held_days(journal)) == ["A"]


def test_many_openers_of_an_older_file_add_each_column_once(tmp_path: Path) -> None:
    """The window's comparing thread and a run open the journal at once; both must succeed."""
    path = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(path)
    raw.executescript(
        "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL,"
        " finished_at TEXT, status TEXT NOT NULL, source TEXT NOT NULL, sheet TEXT, profile TEXT,"
        " host TEXT NOT NULL, pid INTEGER, machine TEXT, note TEXT);"
        "CREATE TABLE rows (run_id INTEGER NOT NULL, row INTEGER NOT NULL, event_id TEXT NOT NULL,"
        " payload TEXT, state TEXT NOT NULL, result_code INTEGER, message TEXT NOT NULL DEFAULT '',"
        " sent_at TEXT, answered_at TEXT, PRIMARY KEY (run_id, row));"
    )
    raw.commit()
    raw.close()
    problems: list[BaseException] = []

    def open_it() -> None:
        try:
            Journal(path).close()
        except BaseException as exc:  # collected for the assertion below
            problems.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
