"""Which way round a file's dates go is never guessed (issue 19): the file's own dates, what people
said, then the rows' evidence; with nothing to tell, the question (window) or a stop (command line).
Every roster here is a real CSV written by the test and read as the app reads it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from calven_desk.roster import (
    DateOrder,
    DateOrderUnknown,
    OrderChoices,
    Status,
    load_roster,
    shape_key,
)
from calven_desk.roster.model import TwoReadings
from tests.roster.files import write_csv

DMY, MDY = DateOrder.DMY, DateOrder.MDY
TODAY = date(2030, 1, 1)
HEADER = ["Email", "Leave Type", "Status", "Start Date", "End Date"]


def roster(tmp_path: Path, *spans: tuple[str, str], name: str = "leave.csv") -> Path:
    rows = [
        [f"p{i}@example.com", "Annual Leave", "Approved", start, end]
        for i, (start, end) in enumerate(spans)
    ]
    return write_csv(tmp_path / name, [HEADER, *rows])


def test_a_reading_that_makes_leave_months_long_loses(tmp_path: Path) -> None:
    """The issue's first row: 5 days day-first, 121 days month-first."""
    check = load_roster(roster(tmp_path, ("02/03/2031", "06/03/2031")), today=TODAY)
    decision = check.date_order
    assert (decision.order, decision.source, decision.mattered) == (DMY, "rows", True)
    assert decision.describe() == (
        "Dates read day-first (31/12/2030): read month-first, leave would be far longer: row 2 "
        "(02/03/2031 to 06/03/2031) would last 121 days instead of 5."
    )
    assert check.rows[0].event is not None
    assert (check.rows[0].event["startDate"], check.rows[0].event["endDate"]) == (
        "2031-03-02",
        "2031-03-06",
    )
    assert check.rows[0].status is Status.VALID


def test_a_reading_that_makes_leave_end_before_it_starts_loses(tmp_path: Path) -> None:
    """The issue's second row: 22 days day-first, backwards month-first."""
    path = roster(tmp_path, ("12/03/2031", "02/04/2031"), ("01/04/2031", "03/04/2031"))
    check = load_roster(path, today=TODAY)
    assert (check.date_order.order, check.date_order.source) == (DMY, "rows")
    assert "read month-first, row 2 (12/03/2031 to 02/04/2031) would end before it starts" in (
        check.date_order.describe()
    )
    assert [r.status for r in check.rows] == [Status.VALID, Status.VALID]


def test_the_rows_decide_month_first_just_as_well(tmp_path: Path) -> None:
    path = roster(tmp_path, ("03/02/2031", "03/06/2031"), ("04/12/2031", "05/02/2031"))
    check = load_roster(path, today=TODAY)
    assert (check.date_order.order, check.date_order.source) == (MDY, "rows")
    assert "read day-first, row 3 (04/12/2031 to 05/02/2031) would end before it starts" in (
        check.date_order.describe()
    )


def test_rows_that_make_sense_either_way_leave_the_order_open(tmp_path: Path) -> None:
    """2 days or 32 days: both are leave someone might take, so nobody may pick for the person."""
    path = roster(tmp_path, ("01/02/2031", "02/02/2031"), ("05/06/2031", "05/06/2031"))
    with pytest.raises(DateOrderUnknown) as raised:
        load_roster(path, today=TODAY)
    unknown = raised.value
    assert str(unknown) == (
        "Cannot tell whether the dates in leave.csv are day-first or month-first (row 2: "
        "01/02/2031 to 02/02/2031 could be 1 Feb \u2013 2 Feb 2031, 2 days or "
        "2 Jan \u2013 2 Feb 2031, 32 days); run again with --date-order dmy (day-first) or "
        "--date-order mdy (month-first)."
    )
    # The question's examples: the file's own rows, those that differ most first, both ways.
    assert [(r.row, r.words(DMY), r.words(MDY)) for r in unknown.examples] == [
        (2, "1 Feb \u2013 2 Feb 2031, 2 days", "2 Jan \u2013 2 Feb 2031, 32 days"),
        (3, "5 Jun 2031, 1 day", "6 May 2031, 1 day"),
    ]
    # Answered, the rows are read that way.
    answered = load_roster(path, today=TODAY, date_order=OrderChoices(MDY, "asked"))
    assert answered.date_order.describe().startswith("Dates read month-first (12/31/2030): as you")
    assert answered.rows[0].event["startDate"] == "2031-01-02"  # type: ignore[index]


def test_one_date_alone_is_shown_without_a_length(tmp_path: Path) -> None:
    with pytest.raises(DateOrderUnknown) as raised:
        load_roster(roster(tmp_path, ("1/2/30", "")), today=TODAY)
    (only,) = raised.value.examples
    assert (only.text, only.words(DMY), only.words(MDY)) == ("1/2/30", "1 Feb 2030", "2 Jan 2030")
    assert "row 2: 1/2/30 could be 1 Feb 2030 or 2 Jan 2030" in str(raised.value)


def test_evidence_comes_strongest_first(tmp_path: Path) -> None:
    """The file's own dates, then --date-order (or the answer just given), the answer remembered
    for files with these columns, Settings, and only then the rows."""
    sensible_dmy = roster(tmp_path, ("02/03/2031", "06/03/2031"))
    proven = roster(
        tmp_path, ("02/03/2031", "06/03/2031"), ("25/03/2031", "26/03/2031"), name="p.csv"
    )
    shape = shape_key(HEADER)

    def source(path: Path, choices: OrderChoices) -> tuple[DateOrder, str]:
        decision = load_roster(path, today=TODAY, date_order=choices).date_order
        return decision.order, decision.source

    everything = OrderChoices(MDY, "option", {shape: MDY}, MDY)
    assert source(proven, everything) == (DMY, "file")
    assert source(sensible_dmy, everything) == (MDY, "option")
    assert source(sensible_dmy, OrderChoices(None, "option", {shape: MDY}, DMY)) == (
        MDY,
        "remembered",
    )
    assert source(sensible_dmy, OrderChoices(configured=MDY)) == (MDY, "configured")
    assert source(sensible_dmy, OrderChoices(remembered={"other|shape": MDY})) == (DMY, "rows")
    # A plain DateOrder is the command line's --date-order.
    assert load_roster(sensible_dmy, date_order=MDY).date_order.source == "option"


def test_a_file_with_nothing_ambiguous_needs_no_order(tmp_path: Path) -> None:
    path = roster(tmp_path, ("2031-03-02", "2031-03-06"), ("07/07/2031", "07/07/2031"))
    decision = load_roster(path, today=TODAY).date_order
    assert not decision.mattered
    assert decision.describe() == (
        "Every date in the file is unambiguous, so no day/month order was needed."
    )


def test_files_of_the_same_shape_share_a_key() -> None:
    """Next month's export has another name and sheet, but the same columns."""
    assert shape_key(["Work Email", "First Day", "Last Day"]) == shape_key(
        ["work email", "First-Day", "LAST DAY:"]
    )
    assert shape_key(["Work Email", "First Day", "Last Day"]) != shape_key(
        ["Work Email", "Last Day", "First Day"]
    )


@pytest.mark.parametrize(
    ("spans", "warned"),
    [
        (("2031-03-01", "2031-04-29"), None),  # 60 days: long, but not unusually so
        (("2031-03-01", "2031-04-30"), "61 days of Annual Leave: check the dates."),
        (("2031-02-03", "2031-06-03"), "121 days of Annual Leave: check the dates."),
    ],
)
def test_a_leave_much_longer_than_usual_is_a_warning(
    tmp_path: Path, spans: tuple[str, str], warned: str | None
) -> None:
    """Whatever the dates' form or how the order was decided: unambiguous ISO dates here."""
    check = load_roster(roster(tmp_path, spans), today=TODAY)
    (row,) = check.rows
    messages = [p.message for p in row.problems]
    if warned is None:
        assert messages == [] and row.status is Status.VALID
    else:
        assert messages == [warned] and row.status is Status.WARNING
        assert row.problems[0].field == "endDate" and row.sendable_event is not None


def test_a_long_leave_without_a_leave_type_and_a_configured_order(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "plain.csv",
        [["Email", "Start", "End"], ["a@example.com", "02/03/2031", "06/03/2031"]],
    )
    check = load_roster(path, today=TODAY, date_order=OrderChoices(configured=MDY))
    assert [p.message for p in check.rows[0].problems] == ["121 days of leave: check the dates."]


def test_readings_in_words() -> None:
    both = TwoReadings(
        7,
        "30/12/2030 to 02/01/2031",
        (date(2030, 12, 30), date(2031, 1, 2)),
        (date(2032, 6, 12), date(2031, 2, 1)),
    )
    assert both.words(DMY) == "30 Dec 2030 \u2013 2 Jan 2031, 4 days"
    assert both.words(MDY) == "12 Jun 2032 \u2013 1 Feb 2031, ends before it starts"
    assert TwoReadings(1, "x", None, None).words(DMY) == "not a date"
