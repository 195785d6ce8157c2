"""Issue 24: rows that are not leave for Calven, and parts of days.

Pending and refused requests and absences shorter than half a day are skipped, with one sentence
saying why; half days and other parts of a day are sent whole with a warning, never silently.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from calven_desk.roster import DateOrder, Status, check_values, cross_check
from calven_desk.roster.day_parts import Parts, judge, parse_amount, parse_time
from calven_desk.roster.directory_check import DirectoryIndex, DirectoryUser, check_rows
from calven_desk.roster.document import RosterDocument, from_snapshot, snapshot
from calven_desk.roster.identity import derive_event_id
from calven_desk.roster.model import (
    ColumnMap,
    DateOrderDecision,
    RosterCheck,
    SourceRow,
    SourceTable,
)

TODAY = date(2030, 1, 1)


def row(number: int = 2, short_as_whole: bool = False, **cells: Any) -> Any:
    base: dict[str, Any] = {
        "email": "a@example.com",
        "startDate": "2031-05-19",
        "endDate": "2031-05-19",
    }
    base.update(cells)
    return check_values(
        number, base, order=DateOrder.DMY, today=TODAY, short_as_whole=short_as_whole
    )


def messages(check: Any) -> list[tuple[str | None, str, str]]:
    return [(p.field, p.severity, p.message) for p in check.problems]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("14:00", 840),
        ("9:30", 570),
        ("14.00", 840),
        ("14h30", 870),
        ("14 h", 840),
        ("14:00 Uhr", 840),
        ("14.00 uur", 840),
        ("2:30 PM", 870),
        ("2 pm", 840),
        ("12 AM", 0),
        ("12:00 p.m.", 720),
        ("14:00:00", 840),
        ("2031-05-19 14:00", 840),
        ("19/05/2031 14:00", 840),
        ("24:00", 1440),
        (time(14, 0), 840),
        (datetime(2031, 5, 19, 16, 15), 975),
        (0.5, 720),
        (14, 840),
        (timedelta(hours=9), 540),
    ],
)
def test_times_of_day_as_hr_writes_them(text: Any, minutes: int) -> None:
    assert parse_time(text) == minutes


@pytest.mark.parametrize("text", ["25:00", "14:75", "13 PM", "noon-ish", "1 2", "", None, True])
def test_what_is_no_time_of_day(text: Any) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("0.5", "days", (0.5, "days")),
        ("0,5", "days", (0.5, "days")),
        ("0,5 Tage", "days", (0.5, "days")),
        ("0.5 days", "days", (0.5, "days")),
        ("1 jour", "days", (1.0, "days")),
        ("½", "days", (0.5, "days")),
        ("4 hours", "days", (4.0, "hours")),
        ("4", "hours", (4.0, "hours")),
        ("4 Std.", "days", (4.0, "hours")),
        ("4 uur", "days", (4.0, "hours")),
        ("3 horas", "days", (3.0, "hours")),
        ("2 ore", "days", (2.0, "hours")),
        ("4h30", "hours", (4.5, "hours")),
        ("4:30", "days", (4.5, "hours")),
        ("30 min", "hours", (0.5, "hours")),
        (timedelta(hours=2), "days", (2.0, "hours")),
        (0.5, "days", (0.5, "days")),
        (8, "hours", (8.0, "hours")),
    ],
)
def test_amounts_with_or_without_their_unit(text: Any, unit: Any, expected: Any) -> None:
    assert parse_amount(text, unit) == expected


@pytest.mark.parametrize("text", ["half", "-1", "4 weeks", "1/2", "four hours", True, None])
def test_what_is_no_amount(text: Any) -> None:
    assert parse_amount(text, "days") is None


@pytest.mark.parametrize(
    ("start", "end", "status"),
    [
        ("14:00", "16:00", Status.SKIPPED),  # the doctor's appointment of the issue
        ("09:00", "12:29", Status.SKIPPED),  # just under half a day
        ("09:00", "12:30", Status.WARNING),  # half a day
        ("08:00", "12:00", Status.WARNING),
        ("09:00", "15:00", Status.WARNING),  # six hours: part of the day, sent whole
        ("09:00", "16:00", Status.VALID),  # seven hours: the working day
        ("09:00", "17:30", Status.VALID),
        ("00:00", "00:00", Status.VALID),  # midnight to midnight: the whole day
        ("20:00", "00:00", Status.WARNING),  # until midnight: four hours
    ],
)
def test_times_on_one_day(start: str, end: str, status: Status) -> None:
    assert row(startTime=start, endTime=end).status is status


def test_short_absence_skipped_with_its_reason_and_its_event_kept() -> None:
    check = row(startTime="14:00", endTime="16:00", eventId="R9", timeOffType="Doctor")
    assert check.status is Status.SKIPPED and check.skip == "short"
    assert check.skip_reason == "Away from 14:00 to 16:00 on 19 May, less than half a day"
    assert messages(check) == [
        (
            "startTime",
            "info",
            "Away from 14:00 to 16:00 on 19 May, less than half a day: not sent "
            "(Calven has whole days only).",
        )
    ]
    assert check.sendable_event is None
    assert check.event == {
        "eventId": "R9",
        "email": "a@example.com",
        "eventType": "scheduled",
        "startDate": "2031-05-19",
        "endDate": "2031-05-19",
        "timeOffType": "Doctor",
    }
    assert check.values["startTime"] == "14:00" and check.values["endTime"] == "16:00"


def test_a_setting_sends_short_absences_as_whole_days() -> None:
    check = row(short_as_whole=True, hours="2")
    assert check.status is Status.WARNING and check.skip is None
    assert check.sendable_event is not None
    assert messages(check) == [
        (
            "hours",
            "warning",
            "2 hours on 19 May: Calven has whole days only; sent as a whole day, as the setting "
            "for short absences asks.",
        )
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"days": "0.5"}, "Half a day on 19 May"),
        ({"days": "0,5 Tage"}, "Half a day on 19 May"),
        ({"hours": "4"}, "Half a day on 19 May"),
        ({"days": "4 hours"}, "Half a day on 19 May"),
        ({"halfDay": "Matin"}, "Half a day on 19 May"),
        ({"halfDay": "yes"}, "Half a day on 19 May"),
        ({"halfDayStart": "afternoon"}, "Half a day on 19 May"),
        ({"halfDayEnd": "Vormittag"}, "Half a day on 19 May"),
        ({"days": "0.75"}, "0.75 days on 19 May"),
        ({"hours": "6"}, "6 hours on 19 May"),
        ({"startTime": "13:00"}, "Away from 13:00 on 19 May"),
        ({"endTime": "12:00"}, "Away until 12:00 on 19 May"),
    ],
)
def test_part_of_one_day_is_a_warning_never_silent(cells: dict[str, str], message: str) -> None:
    check = row(**cells)
    assert check.status is Status.WARNING and check.sendable_event is not None
    ((_, severity, text),) = messages(check)
    assert severity == "warning"
    assert text == f"{message}: Calven has whole days only; sent as a whole day."


@pytest.mark.parametrize(
    "cells",
    [
        {"days": "1"},
        {"hours": "8"},
        {"hours": "7.5"},
        {"days": "0"},  # HR systems count a public holiday as 0 days: nothing to say
        {"halfDay": "no"},
        {"halfDay": "Ganztags"},
        {"halfDayStart": "FALSE", "halfDayEnd": "nee"},
        {"halfDay": ""},
    ],
)
def test_whole_days_say_nothing(cells: dict[str, str]) -> None:
    assert row(**cells).status is Status.VALID


def test_several_days_half_first_or_last_day() -> None:
    days = {"startDate": "2031-05-13", "endDate": "2031-05-16"}
    first = row(**days, halfDayStart="Nachmittag")
    assert messages(first) == [
        (
            "halfDayStart",
            "warning",
            "Half a day on 13 May, the first day: Calven has whole days only; sent as a whole day.",
        )
    ]
    both = row(**days, halfDayStart="yes", halfDayEnd="yes")
    assert [m[0] for m in messages(both)] == ["halfDayStart", "halfDayEnd"]
    late = row(**days, startTime="13:00", endTime="11:00")
    assert [m[2].split(":")[0] for m in messages(late)] == [
        "Away from 13",
        "Away until 11",
    ]
    assert row(**days, startTime="08:00", endTime="17:00").status is Status.VALID
    somewhere = row(**days, halfDay="ja")
    assert messages(somewhere)[0][2] == (
        "A half day between 13 May and 16 May: Calven has whole days only; every day is sent as "
        "a whole day."
    )
    assert row(**days, days="3.5").status is Status.WARNING
    assert row(**days, days="4").status is Status.VALID
    # Several days are never short, whatever the hours say.
    assert row(**days, hours="2").status is Status.VALID


def test_unreadable_parts() -> None:
    time_error = row(startTime="after lunch", endTime="16:00")
    assert time_error.status is Status.INVALID
    assert messages(time_error) == [
        (
            "startTime",
            "error",
            "'after lunch' is not a time of day Calven Desk can read; write it like 14:00, or "
            "leave it empty.",
        )
    ]
    assert row(hours="a bit").status is Status.INVALID
    unsure = row(halfDay="maybe")
    assert unsure.status is Status.WARNING
    assert "'maybe' does not say whether this is half a day" in unsure.problems[0].message


def test_pending_and_refused_rows_keep_their_event_for_the_sync() -> None:
    """A pending row's event is the booking it asks for; a refused row's the cancellation of the
    same eventId, person and days. Neither is sent (sendable_event is None)."""
    booked = derive_event_id("a@example.com", "scheduled", "2031-05-19", "2031-05-19")
    pending = row(eventType="beantragt", timeOffType="Urlaub")
    assert pending.skip == "pending" and pending.sendable_event is None
    assert pending.event == {
        "eventId": booked,
        "email": "a@example.com",
        "eventType": "scheduled",
        "startDate": "2031-05-19",
        "endDate": "2031-05-19",
        "timeOffType": "Urlaub",
    }
    approved = row(eventType="genehmigt", timeOffType="Urlaub")
    assert approved.event == pending.event  # the very event an approval will send
    refused = row(eventType="abgelehnt", timeOffType="Urlaub")
    assert refused.skip == "refused" and refused.sendable_event is None
    assert refused.event == {
        "eventId": booked,
        "email": "a@example.com",
        "eventType": "cancelled",
        "startDate": "2031-05-19",
        "endDate": "2031-05-19",
    }
    assert refused.skip_reason == "Refused (abgelehnt)"
    explicit = row(eventType="Refusé", eventId="REQ-7")
    assert (explicit.event or {})["eventId"] == "REQ-7"


def test_skipped_wins_over_what_would_need_fixing() -> None:
    """A request nobody approved is not for Calven: its other problems are not HR's to fix now."""
    check = row(eventType="pending", email="not an address", startDate="2019-01-01")
    assert check.status is Status.SKIPPED
    assert [p.severity for p in check.problems] == ["info"]
    # A short absence with a problem of its own is skipped too.
    assert row(email="nope", startTime="14:00", endTime="15:00").status is Status.SKIPPED


#: What a person or HR took back after approval: sent as cancelled (it frees the days).
WITHDRAWN = ("storniert", "annulé", "cancelado", "geannuleerd", "annullato", "zurückgezogen")


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("genehmigt", None),
        ("approuvée", None),
        ("APROBADO", None),
        ("goedgekeurd", None),
        ("approvata", None),
        ("beantragt", "pending"),
        ("en attente", "pending"),
        ("Pendiente", "pending"),
        ("in afwachting", "pending"),
        ("In attesa", "pending"),
        ("abgelehnt", "refused"),
        ("refusé", "refused"),
        ("rechazada", "refused"),
        ("afgewezen", "refused"),
        ("rifiutato", "refused"),
        ("storniert", None),
        ("annulé", None),
        ("cancelado", None),
        ("geannuleerd", None),
        ("annullato", None),
        ("zurückgezogen", None),
    ],
)
def test_status_words_in_every_language(word: str, kind: str | None) -> None:
    check = row(eventType=word)
    assert check.skip == kind
    if kind is None:
        assert check.status is Status.VALID
        withdrawn = word in WITHDRAWN
        assert (check.sendable_event or {})["eventType"] == (
            "cancelled" if withdrawn else "scheduled"
        )


def test_skipped_rows_clash_with_nothing() -> None:
    """A pending request for the days of an approved booking is neither its duplicate nor an
    overlap, and a refused one under the same request id takes nothing back."""
    rows = [
        row(2, eventType="approved", eventId="R1"),
        row(3, eventType="pending", eventId="R1"),
        row(4, eventType="approved", startDate="2031-05-18", endDate="2031-05-20"),
        row(5, eventType="refused"),
    ]
    cross_check(rows)
    assert [r.status for r in rows] == [
        Status.WARNING,  # overlaps row 4 (both approved)
        Status.SKIPPED,
        Status.WARNING,
        Status.SKIPPED,
    ]
    assert all(not r.cross for r in rows if r.skip)
    assert "row 4" in rows[0].cross[0].message


def test_an_edit_checks_the_row_again_with_hr_word_and_setting() -> None:
    headers = ["Email", "Status", "Start", "End", "Hours"]
    columns = {"email": 0, "eventType": 1, "startDate": 2, "endDate": 3, "hours": 4}
    cells = [
        ("a@example.com", "beantragt", "2031-05-19", "2031-05-19", ""),
        ("b@example.com", "approved", "2031-05-19", "2031-05-19", "2"),
    ]
    table = SourceTable(
        Path("r.csv"),
        None,
        1,
        headers,
        [SourceRow(i + 2, c) for i, c in enumerate(cells)],
    )
    checks = [
        check_values(
            i + 2,
            dict(zip(columns, c, strict=False)),
            order=DateOrder.DMY,
            today=TODAY,
            short_as_whole=True,
        )
        for i, c in enumerate(cells)
    ]
    document = RosterDocument(
        RosterCheck(
            table,
            ColumnMap(headers, columns),  # type: ignore[arg-type]
            DateOrderDecision(DateOrder.DMY, "file"),
            checks,
            short_as_whole=True,
        ),
        today=TODAY,
    )
    assert [r.check.status for r in document.rows] == [Status.SKIPPED, Status.WARNING]
    document.set_value(0, "endDate", "2031-05-20")  # another cell: still waiting for approval
    assert document.rows[0].check.skip_reason == "Waiting for approval (beantragt)"
    document.set_value(0, "eventType", "genehmigt")  # approved now: sent
    assert document.rows[0].check.status is Status.VALID
    document.set_value(1, "hours", "3")  # the team's setting holds for edited rows too
    assert document.rows[1].check.status is Status.WARNING
    again = from_snapshot(snapshot(document), today=TODAY)
    assert again.short_as_whole and again.rows[1].check.status is Status.WARNING
    assert again.summary() == {"rows": 2, "valid": 1, "warning": 1, "invalid": 0, "skipped": 0}


def test_the_user_list_check_leaves_skipped_rows_alone() -> None:
    users = [
        DirectoryUser(
            email="b@example.com", userId="U1", firstName="B", lastName="C", status="active"
        )
    ]
    rows = [
        row(2, eventType="pending", email="stranger@example.com"),
        row(3, email="who@example.com"),
    ]
    known = check_rows(DirectoryIndex(users, "today"), rows)
    assert known == {} and rows[0].directory == [] and rows[1].directory


def test_judging_the_parts_directly() -> None:
    day = "2031-05-19"
    assert judge(day, day, Parts()).skip is None
    short = judge(day, day, Parts(hours=(3.0, "hours")))
    assert short.skip is not None and short.reason == "3 hours on 19 May, less than half a day"
    half = judge(day, day, Parts(days=(1.0, "days"), half="morning"))
    assert [p.message.split(":")[0] for p in half.problems] == ["Half a day on 19 May"]
    # The times win over the amounts: an hour's appointment in a row that says one day.
    timed = judge(day, day, Parts(start_time=600, end_time=660, days=(1.0, "days")))
    assert timed.skip is not None and timed.skip.field == "startTime"


def test_date_times_of_a_one_day_row_say_how_long_it_is() -> None:
    """Without time columns, `2031-05-19 14:00` to `2031-05-19 16:00` is the same two hours."""
    short = row(startDate="2031-05-19 14:00", endDate="2031-05-19 16:00")
    assert short.skip == "short"
    assert messages(short) == [
        (
            "startDate",
            "info",
            "Away from 14:00 to 16:00 on 19 May, less than half a day: not sent "
            "(Calven has whole days only).",
        )
    ]
    half = row(startDate=datetime(2031, 5, 19, 8), endDate=datetime(2031, 5, 19, 12))
    assert half.status is Status.WARNING
    assert messages(half)[-1] == (
        "startDate",
        "warning",
        "Half a day on 19 May: Calven has whole days only; sent as a whole day.",
    )
    whole = row(startDate="2031-05-19 09:00", endDate="2031-05-19 17:00")
    assert whole.status is Status.WARNING and len(whole.problems) == 2  # the two times of day
    # With time columns, those say it; several days are never short.
    assert row(startDate="2031-05-19 14:00", endDate="2031-05-20 10:00").skip is None
    columns = row(
        startDate="2031-05-19 14:00", endDate="2031-05-19 16:00", startTime="", endTime=""
    )
    assert columns.skip is None
