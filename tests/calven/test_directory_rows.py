"""What the user-list check records for a row and what the "In Calven" column says: pure rules."""

from __future__ import annotations

from calven_desk.calven.directory_rows import Checked, record, shown
from calven_desk.calven.row_status import count_rows
from calven_desk.roster.directory_check import CASE, Finding
from calven_desk.roster.model import DirectoryProblem
from tests.calven.test_row_status import doc_row

CAPITALS = DirectoryProblem(
    "email", "error", "Calven has this person as A@example.com", CASE, "A@example.com"
)


def test_the_column_says_the_name_calven_knows_or_why_not() -> None:
    assert shown([], "Ana Lima") == ("Ana Lima", "")
    assert shown([CAPITALS], "Ana Lima") == (
        "Ana Lima (Other capitals in Calven)",
        "Calven has this person as A@example.com",
    )
    assert shown([CAPITALS], None) == ("Other capitals in Calven", CAPITALS.message)


def test_recording_a_finding_moves_the_row_in_the_counts() -> None:
    row = doc_row(2)
    counts = count_rows([row])
    checked = Checked({}, {}, {})
    record(checked, row.check, Finding("Ana Lima", [CAPITALS]), row, counts)
    assert row.check.directory == [CAPITALS]
    assert checked.people == {2: "Ana Lima (Other capitals in Calven)"}
    assert checked.tips == {2: CAPITALS.message}
    assert counts == count_rows([row]) and counts["ready"] == 0 and counts["problems"] == 1
    record(checked, row.check, Finding("Ana Lima"), row, counts)
    assert checked.tips == {} and counts["ready"] == 1 and counts["problems"] == 0
