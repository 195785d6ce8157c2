"""Column headers from real HR exports map to Calven's fields by themselves, or as forced."""

from __future__ import annotations

import pytest

from calven_desk.roster import MappingError, map_columns
from calven_desk.roster.mapping import find_header_row, normalise_header


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("startDate", "startDate"),
        ("Start Date", "startDate"),
        ("start_date", "startDate"),
        ("START-DATE:", "startDate"),
        ("Start", "startDate"),
        ("From", "startDate"),
        ("First Day", "startDate"),
        ("Leave Start", "startDate"),
        ("End", "endDate"),
        ("To", "endDate"),
        ("Until", "endDate"),
        ("Last Day", "endDate"),
        ("Leave End", "endDate"),
        ("Employee Email", "email"),
        ("E-mail", "email"),
        ("Work Email", "email"),
        ("Email Address", "email"),
        ("Status", "eventType"),
        ("Event", "eventType"),
        ("Action", "eventType"),
        ("Leave Type", "timeOffType"),
        ("Absence Type", "timeOffType"),
        ("Type", "timeOffType"),
        ("Event ID", "eventId"),
        ("Reference", "eventId"),
        ("Request ID", "eventId"),
        ("uid", "uid"),
    ],
)
def test_known_headers(header: str, field: str) -> None:
    # "Days" was the unmapped column here until issue 24, which reads it (half days, hours).
    mapping = map_columns(["Employee Name", header, "Department"])
    assert mapping.columns == {field: 1}
    assert mapping.unmapped() == [0, 2]


def test_normalising() -> None:
    assert normalise_header(" Start  Date (dd/mm) ") == "startdateddmm"


def test_forced_mapping_wins_and_moves_a_column() -> None:
    headers = ["Email", "Leave From", "Leave To", "Start"]
    mapping = map_columns(headers, {"startDate": "Leave From", "endDate": "leave to"})
    assert mapping.columns == {"email": 0, "startDate": 1, "endDate": 2}
    mapping = map_columns(headers, {"email": "Start"})
    assert mapping.columns == {"email": 3}
    assert map_columns(headers, {"email": ""}).columns == {"startDate": 3}


def test_forced_mapping_errors_are_sentences() -> None:
    with pytest.raises(MappingError, match="no column 'Nope' for startDate"):
        map_columns(["Email", "Start"], {"startDate": "Nope"})
    with pytest.raises(MappingError, match="not a Calven field"):
        map_columns(["Email", "Start"], {"holiday": "Start"})


def test_two_candidates_are_reported_as_ambiguous() -> None:
    mapping = map_columns(["Mail", "Email", "Start", "End"])
    assert mapping.columns["email"] == 1  # the field's own name beats a looser one
    assert mapping.ambiguous == {"email": [1, 0]}
    assert mapping.missing_required() == []
    assert map_columns(["Name", "Start"]).missing_required() == ["email or uid", "endDate"]


def test_header_search_stops_after_twenty_rows() -> None:
    grid: list[list[object]] = [["title"]] * 20 + [["Email", "Start"]]
    assert find_header_row(grid) is None  # type: ignore[arg-type]
    assert find_header_row(grid[1:]) == 19  # type: ignore[arg-type]
