"""`calven-desk history`: past runs, one run's rows, purging; a damaged journal is a sentence."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from calven_desk.cli import main
from calven_desk.cli.history_cmd import parse_age
from calven_desk.store.journal import Answer, Journal
from calven_desk.store.paths import data_dir
from tests.cli.run import calven_desk


def history(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["history", *args])
    out, err = capsys.readouterr()
    return status, out, err


def two_runs() -> tuple[int, int]:
    """A finished run with an answer of each kind, and one that stopped half-way."""
    with Journal() as journal:
        done = journal.start_run(
            source="/hr/march.xlsx",
            sheet="Leave",
            profile="prod",
            host="api.calven.com",
            rows=[(4, "ev-4", "{}"), (5, "ev-5", "{}")],
            skipped=[(6, "ev-6", "The end date is before the start date.")],
        )
        journal.mark_sending(done, [4, 5])
        journal.record_answers(
            done,
            [
                Answer(4, "accepted", 0, "", None),
                Answer(5, "rejected", 2, "User not found: a@example.com", None),
            ],
        )
        journal.finish_run(done, "finished")
        stopped = journal.start_run(
            source="/hr/april.csv",
            sheet=None,
            profile=None,
            host="127.0.0.1:8080",
            rows=[(2, "ev-2", "{}"), (3, "ev-3", "{}")],
        )
        journal.mark_sending(stopped, [2])
        journal.finish_run(stopped, "cancelled")
    return done, stopped


def test_no_runs_yet(capsys: pytest.CaptureFixture[str]) -> None:
    assert history(capsys) == (0, "No runs yet.\n", "")


def test_lists_runs_newest_first_and_shows_one(capsys: pytest.CaptureFixture[str]) -> None:
    done, stopped = two_runs()
    status, out, err = history(capsys)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert [line.split()[1] for line in lines] == [str(stopped), str(done)]
    assert "cancelled" in lines[0] and "/hr/april.csv  -> 127.0.0.1:8080" in lines[0]
    assert "(1 accepted, 1 rejected, 1 skipped)" in lines[1]
    assert "(1 pending, 1 sending)" in lines[0]

    status, out, err = history(capsys, str(done))
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"Run {done}: /hr/march.xlsx -> api.calven.com, finished"
    assert lines[1].split() == ["Row", "4", "ev-4", "accepted", "(code", "0)"]
    assert lines[2] == "Row 5  ev-5  rejected (code 2)  User not found: a@example.com"
    assert lines[3] == "Row 6  ev-6  skipped  The end date is before the start date."


def test_an_unknown_run_is_a_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    two_runs()
    status, out, err = history(capsys, "999")
    assert (status, out) == (2, "")
    assert err == "There is no run 999; 'calven-desk history' lists them.\n"


def test_purge_older_than(capsys: pytest.CaptureFixture[str]) -> None:
    two_runs()
    assert history(capsys, "--purge-older-than", "90d") == (
        0,
        "Deleted 0 runs older than 90 days (what Calven holds from earlier sends is kept).\n",
        "",
    )
    # Everything in the journal is younger than a second; a zero age takes both.
    status, out, _ = history(capsys, "--purge-older-than", "0d")
    assert (status, out) == (
        0,
        "Deleted 2 runs older than 0 days (what Calven holds from earlier sends is kept).\n",
    )
    assert history(capsys)[1] == "No runs yet.\n"


@pytest.mark.parametrize("age", ["ninety days", "90y", "-5d", "d"])
def test_an_unreadable_age_is_a_sentence(age: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = history(capsys, f"--purge-older-than={age}")
    assert (status, out) == (2, "") and "write it like 90d" in err


def test_ages_far_beyond_the_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    two_runs()
    status, out, err = history(capsys, "--purge-older-than", "99999m")
    assert (status, err) == (0, "") and out.startswith("Deleted 0 runs")
    status, out, err = history(capsys, "--purge-older-than", "9" * 30 + "d")
    assert (status, out) == (2, "") and "longer than anything" in err


@pytest.mark.parametrize(
    ("text", "days"), [("90d", 90), ("90", 90), ("12w", 84), ("6m", 180), (" 3 W ", 21)]
)
def test_parse_age(text: str, days: int) -> None:
    assert parse_age(text) == timedelta(days=days)


def test_a_damaged_journal_is_one_sentence(isolated_home: Path) -> None:
    """A separate process, as a person runs it: no traceback, exit status 2."""
    journal = data_dir() / "journal.sqlite3"
    journal.write_bytes(b"\x00garbage that used to be a journal" * 200)
    shown = calven_desk("history")
    assert (shown.returncode, shown.stdout) == (2, "")
    assert len(shown.stderr.strip().splitlines()) == 1 and "Traceback" not in shown.stderr
    assert str(journal) in shown.stderr and "cannot be opened" in shown.stderr
