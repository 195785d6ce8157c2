"""The date forms HR exports use, the per-file day/month decision, and a property check of both."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calven_desk.roster.dates import (
    DateError,
    ParsedDate,
    file_order,
    locale_date_order,
    parse_date,
    parse_date_text,
)
from calven_desk.roster.model import DateOrder

DMY, MDY = DateOrder.DMY, DateOrder.MDY


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-03-09", DMY, date(2026, 3, 9)),
        ("2026/3/9", MDY, date(2026, 3, 9)),
        ("09/03/2026", DMY, date(2026, 3, 9)),
        ("03/09/2026", MDY, date(2026, 3, 9)),
        ("9-3-26", DMY, date(2026, 3, 9)),
        ("09.03.2026", DMY, date(2026, 3, 9)),
        ("9 Mar 2026", MDY, date(2026, 3, 9)),
        ("March 9, 2026", DMY, date(2026, 3, 9)),
        ("09-Mar-26", DMY, date(2026, 3, 9)),
        ("Mon 9th March 2026", DMY, date(2026, 3, 9)),
        ("SEPT 30 2026", DMY, date(2026, 9, 30)),
        ("2026-03-09 00:00:00", DMY, date(2026, 3, 9)),
        ("2026-03-09T00:00", DMY, date(2026, 3, 9)),
        ("46090", DMY, date(2026, 3, 9)),
        ("20260309", DMY, date(2026, 3, 9)),
    ],
)
def test_accepted_forms(text: str, order: DateOrder, expected: date) -> None:
    assert parse_date_text(text, order) == ParsedDate(expected, had_time=False)


@pytest.mark.parametrize("text", ["2026-03-09 14:30", "09/03/2026 9:15 AM", "46090.5"])
def test_a_time_of_day_is_flagged(text: str) -> None:
    parsed = parse_date_text(text, DMY)
    assert parsed.day == date(2026, 3, 9) and parsed.had_time


def test_cells_that_are_already_dates_or_numbers() -> None:
    assert parse_date(date(2030, 1, 2), DMY) == ParsedDate(date(2030, 1, 2))
    assert parse_date(datetime(2030, 1, 2, 0, 0), DMY) == ParsedDate(date(2030, 1, 2))
    assert parse_date(datetime(2030, 1, 2, 8, 0), DMY).had_time
    assert parse_date(47363.0, DMY).day == date(2029, 9, 2)
    assert parse_date(47363, DMY).day == date(2029, 9, 2)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("31/02/2030", "not a real date"),
        ("13/25/2030", "not a real date"),
        ("next tuesday", "not a date Calven Desk can read"),
        ("Mar 2030", "not a date Calven Desk can read"),
        ("", "empty"),
        ("0", "not a date"),
    ],
)
def test_refusals_say_why(text: str, words: str) -> None:
    with pytest.raises(DateError, match=words):
        parse_date_text(text, DMY)


def test_value_contradicting_the_file_order_is_named() -> None:
    with pytest.raises(DateError, match="cannot be read day-first"):
        parse_date_text("03/25/2030", DMY)


def test_order_is_proven_by_the_file_by_majority() -> None:
    assert file_order(["25/03/2030", "01/02/2030"]).proven is DMY
    assert file_order(["03/25/2030", "04/26/2030", "25/03/2030"]).proven is MDY


def test_a_file_without_proof_says_whether_any_date_could_be_read_two_ways() -> None:
    assert file_order(["01/02/2030"]) == file_order(["01/02/2030", "2030-01-02"])
    assert file_order(["01/02/2030"]).proven is None and file_order(["01/02/2030"]).ambiguous
    # The same either way round, or not a day/month pair at all: nothing to decide.
    assert not file_order(["03/03/2030", "2030-01-02", date(2030, 1, 2), "13/14/2030"]).ambiguous


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, MDY),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "en_US.UTF-8"}, DMY),
        ({"LC_TIME": "de_DE.UTF-8"}, DMY),
        # The plain C or POSIX locale of a server names no region: it says nothing. (Python's own
        # locale.getlocale() calls C.UTF-8 "en_US", which read ambiguous rosters month-first.)
        ({"LANG": "C.UTF-8"}, None),
        ({"LC_ALL": "C"}, None),
        ({"LANG": "POSIX"}, None),
    ],
)
def test_regional_settings_and_the_plain_c_locale(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: DateOrder | None
) -> None:
    for name in ("LC_ALL", "LC_TIME", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert locale_date_order() is expected


FORMATS = [
    ("%Y-%m-%d", None),
    ("%d/%m/%Y", DMY),
    ("%m/%d/%Y", MDY),
    ("%d.%m.%y", DMY),
    ("%m-%d-%y", MDY),
    ("%d %b %Y", None),
    ("%B %d, %Y", None),
    ("%d-%b-%y", None),
    ("%a %d %B %Y", None),
    ("%Y-%m-%d %H:%M:%S", None),
]


@given(
    day=st.dates(min_value=date(1969, 1, 1), max_value=date(2068, 12, 31)),
    form=st.sampled_from(FORMATS),
)
def test_round_trip_through_every_form(day: date, form: tuple[str, DateOrder | None]) -> None:
    pattern, order = form
    text = datetime(day.year, day.month, day.day).strftime(pattern)
    assert parse_date_text(text, order or DMY).day == day


@given(day=st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
def test_excel_serials(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(float(serial), DMY).day == day


@given(text=st.text(max_size=40), order=st.sampled_from([DMY, MDY]))
def test_any_text_is_a_date_or_a_date_error(text: str, order: DateOrder) -> None:
    try:
        result = parse_date_text(text, order)
    except DateError as exc:
        assert str(exc)
    else:
        assert isinstance(result.day, date)
        assert result.day - date(1, 1, 1) >= timedelta(0)
