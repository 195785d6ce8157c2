"""The journal keeps every row answered or resumable, across threads and restarts."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

from calven_desk.store.journal import Answer, Journal


def test_rows_move_from_pending_to_answered(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    with Journal(path) as journal:
        run = journal.start_run(
            source="r.xlsx",
            sheet="Leave",
            profile="prod",
            host="https://api.calven.com",
            rows=[(4, "A", '{"eventId": "A"}'), (5, "B", "{}"), (6, "C", "{}")],
            skipped=[(7, "D", "bad email")],
        )
        journal.mark_sending(run, [4, 5])
        journal.record_answers(run, [Answer(4, "accepted", 0, "ok", None)])
        assert journal.run(run).unanswered == 2  # type: ignore[union-attr]
    # A new process (the journal re-opened) sees the interrupted run and what to re-send.
    with Journal(path) as reopened:
        [interrupted] = reopened.interrupted_runs()
        assert interrupted.id == run and interrupted.counts == {
            "accepted": 1,
            "sending": 1,
            "pending": 1,
            "skipped": 1,
        }
        assert [(r.row, r.state) for r in reopened.unanswered(run)] == [
            (5, "sending"),
            (6, "pending"),
        ]
        assert reopened.latest_resumable("r.xlsx") is not None
        assert reopened.latest_resumable("other.xlsx") is None
        reopened.record_answers(
            run,
            [Answer(5, "rejected", 2, "unknown user", None), Answer(6, "accepted", 0, "", None)],
        )
        reopened.finish_run(run, "finished")
        assert reopened.interrupted_runs() == []
        rows = {r.row: r for r in reopened.run_rows(run)}
        assert (
            rows[5].result_code == 2
            and rows[5].answered_at is not None
            and rows[4].payload == '{"eventId": "A"}'
        )


def test_wal_mode_and_threads(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        mode = journal._db.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        run = journal.start_run(
            source="s",
            sheet=None,
            profile=None,
            host="h",
            rows=[(i, f"E{i}", "{}") for i in range(400)],
        )

        def answer(part: int) -> None:
            mine = list(range(part, 400, 4))
            journal.mark_sending(run, mine)
            journal.record_answers(run, [Answer(i, "accepted", 0, "", None) for i in mine])

        threads = [threading.Thread(target=answer, args=(p,)) for p in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert journal.run(run).counts == {"accepted": 400}  # type: ignore[union-attr]


def test_dismiss_and_purge(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as journal:
        run = journal.start_run(
            source="s", sheet=None, profile=None, host="h", rows=[(2, "A", "{}")]
        )
        journal.finish_run(run, "cancelled")
        assert journal.interrupted_runs()
        journal.dismiss(run)
        assert not journal.interrupted_runs()
        assert journal.purge_older_than(timedelta(days=1)) == 0
        assert journal.purge_older_than(timedelta(seconds=-1)) == 1
        assert journal.runs() == [] and journal.run_rows(run) == []
