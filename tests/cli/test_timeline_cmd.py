"""`calven-desk timeline`: the PNG a person mails to a manager, and one sentence for bad input."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from tests.cli.run import calven_desk
from tests.roster.files import write_csv

HEADER = ["Name", "Email", "Status", "Start Date", "End Date", "Leave Type"]
ROWS = [
    ["Ana Lima", "ana@example.com", "Approved", "2030-03-05", "2030-03-08", "Annual Leave"],
    ["Ben Okafor", "ben@example.com", "Approved", "2030-03-11", "2030-03-12", "Sick"],
    ["Cy Diaz", "cy@example.com", "Withdrawn", "2030-04-20", "2030-04-22", ""],
]


def roster(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "team.csv", [HEADER, *ROWS])


def test_png_is_written_for_the_days_asked(tmp_path: Path) -> None:
    short, long = tmp_path / "short.png", tmp_path / "long.png"
    first = calven_desk(
        "timeline", roster(tmp_path), "--from", "2030-03-01", "--to", "2030-03-12", "--png", short
    )
    assert first.returncode == 0, first.stderr
    assert "2 people, 2 rows" in first.stdout and "2030-03-01 to 2030-03-12" in first.stdout
    second = calven_desk(
        "timeline", roster(tmp_path), "--from", "2030-03-01", "--to", "2030-04-30", "--png", long
    )
    assert second.returncode == 0, second.stderr
    assert "3 people" in second.stdout
    narrow, wide = QImage(str(short)), QImage(str(long))
    assert not narrow.isNull() and not wide.isNull()
    # 12 days at 36 pixels a day (the widest), 61 days at 1600/61 pixels a day; the names column alike.
    assert wide.width() - narrow.width() == round(61 * 1600 / 61) - 12 * 36
    assert wide.height() > narrow.height()  # a third lane


def test_whole_roster_by_default(tmp_path: Path) -> None:
    out = tmp_path / "all.png"
    result = calven_desk("timeline", roster(tmp_path), "--png", out)
    assert result.returncode == 0, result.stderr
    # From the Monday before the first leave to the Sunday after the last.
    assert "3 people, 3 rows, 2030-03-04 to 2030-04-28" in result.stdout
    assert not QImage(str(out)).isNull()


def one_sentence(stderr: str) -> bool:
    return len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr


def test_bad_dates_and_unreadable_files_exit_2_with_one_sentence(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    bad_date = calven_desk("timeline", roster(tmp_path), "--from", "1/3/2030", "--png", out)
    assert bad_date.returncode == 2 and one_sentence(bad_date.stderr)
    assert "--from '1/3/2030' is not a date" in bad_date.stderr
    backwards = calven_desk(
        "timeline", roster(tmp_path), "--from", "2030-03-10", "--to", "2030-03-01", "--png", out
    )
    assert backwards.returncode == 2 and "before --from" in backwards.stderr
    unreadable = tmp_path / "roster.xlsx"
    unreadable.write_bytes(b"not a workbook")
    broken = calven_desk("timeline", unreadable, "--png", out)
    assert broken.returncode == 2 and one_sentence(broken.stderr)
    assert broken.stderr.startswith("Cannot open roster.xlsx")
    missing = calven_desk("timeline", tmp_path / "gone.csv")
    assert missing.returncode == 2 and one_sentence(missing.stderr)
    nowhere = calven_desk("timeline", roster(tmp_path), "--png", tmp_path / "no" / "x.png")
    assert nowhere.returncode == 2 and "does not exist" in nowhere.stderr
    assert not out.exists()
