"""Sync from the command line, month after month, against the sandbox's calendar (issue 11, section 7).

Each step writes a real roster file, runs `calven-desk` as a separate process against the sandbox
on loopback, and then asserts that every person's calendar in the sandbox is exactly what the
rosters say, not only which requests were made.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Sandbox
from calven_desk.store.profiles import Profile, save_profile
from tests.cli.run import calven_desk
from tests.sync.calendar import Row, roster_calendar, write_roster

ENV = {"CALVEN_API_KEY": DEMO_KEY_ID, "CALVEN_API_SECRET": DEMO_SECRET}
ANA, BEN, CHEN, DAN, EVA = (
    f"{n}@example.com" for n in ("ana.lima", "ben.okafor", "chen.wei", "dan.roe", "eva.berg")
)

MONTH_1: list[Row] = [
    (ANA, "2031-03-10", "2031-03-14", "Annual", "Approved", "R1"),  # moved in month 2
    (ANA, "2031-04-01", "2031-04-03", "Annual", "Approved", "R2"),  # deleted in month 2
    (BEN, "2031-03-20", "2031-03-21", "Annual", "Approved", "R3"),  # leave type changed
    (CHEN, "2031-03-05", "2031-03-07", "Annual", "Approved", "R4"),  # withdrawn in month 2
    (CHEN, "2031-04-10", "2031-04-11", "Annual", "Approved", "R5"),  # unchanged
    (EVA, "2031-03-15", "2031-03-16", "Annual", "Approved", "R6"),  # another team: never touched
]
MONTH_2: list[Row] = [
    (ANA, "2031-03-12", "2031-03-18", "Annual", "Approved", "R1"),
    (BEN, "2031-03-20", "2031-03-21", "Sick", "Approved", "R3"),
    (BEN, "2031-04-15", "2031-04-17", "Annual", "Approved", "R7"),
    (CHEN, "2031-03-05", "2031-03-07", "Annual", "Withdrawn", "R4"),
    (CHEN, "2031-04-10", "2031-04-11", "Annual", "Approved", "R5"),
    (DAN, "2031-03-25", "2031-03-26", "Annual", "Approved", "R8"),
]
#: Only Chen's rows: R5 is gone, R9 is new. Nobody else may be touched.
CHEN_ONLY: list[Row] = [
    (CHEN, "2031-03-05", "2031-03-07", "Annual", "Withdrawn", "R4"),
    (CHEN, "2031-04-12", "2031-04-13", "Annual", "Approved", "R9"),
]


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def away(sandbox: Sandbox, person: str) -> list[str]:
    """The calendar as the sandbox serves it over HTTP."""
    with urllib.request.urlopen(f"{sandbox.url}/sandbox/away?email={person}") as answer:
        body: dict[str, Any] = json.loads(answer.read())
    assert body["email"] == person
    return list(body["away"])


def assert_calendar(sandbox: Sandbox, expected: dict[str, list[str]]) -> None:
    actual = {person: away(sandbox, person) for person in expected}
    assert actual == expected


def submit(roster: Path, url: str, *extra: str) -> dict[str, Any]:
    result = calven_desk("submit", roster, "--base-url", url, "--json", *extra, env=ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def diff(roster: Path, *where: str) -> dict[str, Any]:
    result = calven_desk("diff", roster, *where, "--json", env={"CALVEN_API_KEY": DEMO_KEY_ID})
    assert result.returncode == 0, result.stderr
    body: dict[str, Any] = json.loads(result.stdout)
    return body


def changes(report: dict[str, Any]) -> dict[int, str]:
    return {r["row"]: r["change"] for r in report["rows"]}


def removed(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(r["email"], r["startDate"], r["endDate"]) for r in report["removed"]}


@pytest.mark.parametrize("with_ids", [True, False], ids=["request-id-column", "no-id-column"])
def test_calendar_follows_the_roster_month_after_month(
    sandbox: Sandbox, tmp_path: Path, with_ids: bool
) -> None:
    month_1 = write_roster(tmp_path / "month-1.csv", MONTH_1, with_ids)
    first = submit(month_1, sandbox.url)
    assert first["summary"]["accepted"] == 6 and first["cancellations"] == []
    assert_calendar(sandbox, roster_calendar(MONTH_1))

    month_2 = write_roster(tmp_path / "month-2.csv", MONTH_2, with_ids)
    planned = diff(month_2, "--base-url", sandbox.url)
    assert planned["connection"] == {"base_url": sandbox.url, "key_id": DEMO_KEY_ID}
    # Sheet rows start at 2 under the header: R1 is row 2, R3 row 3, R7 row 4, R4 row 5, ...
    if with_ids:
        assert changes(planned) == {
            2: "changed",
            3: "changed",
            4: "new",
            5: "changed",
            6: "unchanged",
            7: "new",
        }
        assert removed(planned) == {(ANA, "2031-04-01", "2031-04-03")}
    else:
        # Without an ID column a moved or withdrawn row is a new event; the moved one's old
        # version is proposed for removal, the withdrawn one's is freed by the row itself.
        assert changes(planned) == {
            2: "new",
            3: "changed",
            4: "new",
            5: "new",
            6: "unchanged",
            7: "new",
        }
        assert removed(planned) == {
            (ANA, "2031-04-01", "2031-04-03"),
            (ANA, "2031-03-10", "2031-03-14"),
        }
    assert planned["summary"]["removed"] == len(planned["removed"])
    assert all(r["held_since"] for r in planned["removed"])

    calls = sandbox.calls
    second = submit(month_2, sandbox.url, "--cancel-removed")
    outcomes = {r["row"]: r["outcome"] for r in second["rows"]}
    assert outcomes[6] == "unchanged" and second["summary"]["unchanged"] == 1
    assert second["summary"]["accepted"] == 5
    reasons = {(c["reason"], c["startDate"], c["endDate"]) for c in second["cancellations"]}
    if with_ids:
        # R1 moved from 10-14 to 12-18: only the 10th and 11th are freed, before the new version.
        assert reasons == {
            ("moved", "2031-03-10", "2031-03-11"),
            ("removed", "2031-04-01", "2031-04-03"),
        }
        retracted = {c["retracts"] for c in second["cancellations"]}
        assert retracted == {"R1", "R2"}
    else:
        assert reasons == {
            ("removed", "2031-03-10", "2031-03-11"),
            ("removed", "2031-04-01", "2031-04-03"),
        }
    assert all(c["outcome"] == "accepted" for c in second["cancellations"])
    assert second["summary"]["cancelled"] == 2
    assert sandbox.calls > calls
    expected = roster_calendar(MONTH_2)
    expected[EVA] = roster_calendar(MONTH_1)[EVA]
    assert_calendar(sandbox, expected)

    history = calven_desk("history", str(second["run"])).stdout
    assert ("Cancels R2 (removed)" if with_ids else "(removed)") in history
    assert "Row -" not in history

    # The same roster a third time: nothing is sent at all.
    calls = sandbox.calls
    third = submit(month_2, sandbox.url, "--cancel-removed")
    assert sandbox.calls == calls
    assert third["summary"]["unchanged"] == 6 and third["cancellations"] == []
    again = diff(month_2, "--base-url", sandbox.url)
    assert set(changes(again).values()) == {"unchanged"} and again["removed"] == []
    assert_calendar(sandbox, expected)


def test_partial_roster_other_address_profile_and_purged_history(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    submit(write_roster(tmp_path / "month-1.csv", MONTH_1, True), sandbox.url)
    month_2 = write_roster(tmp_path / "month-2.csv", MONTH_2, True)
    submit(month_2, sandbox.url, "--cancel-removed")
    before = {p: away(sandbox, p) for p in (ANA, BEN, DAN, EVA)}

    # Chen's manager sends Chen's rows only: Chen's R5 is cancelled, nobody else is touched.
    chen = write_roster(tmp_path / "chen.csv", CHEN_ONLY, True)
    assert removed(diff(chen, "--base-url", sandbox.url)) == {(CHEN, "2031-04-10", "2031-04-11")}
    report = submit(chen, sandbox.url, "--cancel-removed")
    assert [(c["retracts"], c["reason"]) for c in report["cancellations"]] == [("R5", "removed")]
    assert away(sandbox, CHEN) == roster_calendar(CHEN_ONLY)[CHEN]
    assert {p: away(sandbox, p) for p in before} == before

    # A profile for the same key and address (spelt with a trailing slash) shares the memory.
    save_profile(Profile("office", DEMO_KEY_ID, sandbox.url + "/"))
    by_profile = diff(chen, "--profile", "office")
    assert set(changes(by_profile).values()) == {"unchanged"}

    # Another Calven address holds nothing from us: everything is new there.
    with Sandbox() as other:
        elsewhere = diff(month_2, "--base-url", other.url)
        assert set(changes(elsewhere).values()) == {"new"} and elsewhere["removed"] == []

    # Purging the run history does not make Calven Desk forget what Calven holds.
    history = calven_desk("history")
    assert f"Calven at {sandbox.url} (key {DEMO_KEY_ID}) holds" in history.stdout
    purged = calven_desk("history", "--purge-older-than", "0d")
    assert purged.returncode == 0 and "Deleted 3 runs" in purged.stdout
    assert "No runs yet." in calven_desk("history").stdout
    assert set(changes(diff(chen, "--base-url", sandbox.url)).values()) == {"unchanged"}
    calls = sandbox.calls
    assert submit(chen, sandbox.url)["summary"]["unchanged"] == 2
    assert sandbox.calls == calls


def test_dry_run_resend_all_and_text_diff(sandbox: Sandbox, tmp_path: Path) -> None:
    submit(write_roster(tmp_path / "month-1.csv", MONTH_1, True), sandbox.url)
    month_2 = write_roster(tmp_path / "month-2.csv", MONTH_2, True)
    calls = sandbox.calls
    dry = calven_desk(
        "submit", month_2, "--base-url", sandbox.url, "--dry-run", "--cancel-removed", env=ENV
    )
    assert dry.returncode == 0 and sandbox.calls == calls
    bodies = [json.loads(b) for b in dry.stdout.split("POST /v1/timeoff\n") if b.strip()]
    sent = [e for body in bodies for e in body["timeOffEvents"]]
    # R1's freed days go just before R1's new version; R5 is unchanged; R2 is cancelled.
    kinds = [(e["eventType"], e["startDate"], e.get("eventId")) for e in sent if e["email"] == ANA]
    assert [k[:2] for k in kinds] == [
        ("cancelled", "2031-03-10"),
        ("scheduled", "2031-03-12"),
        ("cancelled", "2031-04-01"),
    ]
    assert "R5" not in {e["eventId"] for e in sent}
    assert "2 cancellations would be sent, 1 rows are already in Calven" in dry.stderr

    text = calven_desk(
        "diff", month_2, "--base-url", sandbox.url, env={"CALVEN_API_KEY": DEMO_KEY_ID}
    )
    assert text.returncode == 0
    assert "Row 2: changed since sent (R1)" in text.stdout
    assert f"No longer in the roster: {ANA} 2031-04-01 to 2031-04-03 (R2)" in text.stdout
    assert (
        "2 new, 3 changed, 1 already in Calven, 0 invalid, 1 no longer in the roster" in text.stdout
    )
    assert "1 no longer in the roster (1 person, 3 days)" in text.stdout

    submit(month_2, sandbox.url)
    calls = sandbox.calls
    everything = submit(month_2, sandbox.url, "--resend-all")
    assert everything["summary"]["accepted"] == 6 and sandbox.calls > calls


def test_diff_says_what_is_wrong_in_one_sentence(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "r.csv", MONTH_1, True)
    missing = calven_desk("diff", tmp_path / "nope.xlsx", "--base-url", "http://127.0.0.1:9")
    no_key = calven_desk("diff", roster, "--base-url", "http://127.0.0.1:9")
    nowhere = calven_desk("diff", roster)
    for result in (missing, no_key, nowhere):
        assert result.returncode == 2 and result.stdout == ""
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert "CALVEN_API_KEY" in no_key.stderr and "--profile" in nowhere.stderr


def test_hr_export_with_a_withdrawal_under_its_booking_id_is_stable(
    sandbox: Sandbox, rosters: Path
) -> None:
    """The HR export books REQ-1001 and later withdraws it under the same id: the calendar ends
    free on those days, and the next send of the same file sends nothing."""
    from datetime import date

    from calven_desk.roster import load_roster
    from tests.sync.calendar import days

    roster = rosters / "hr-export.xlsx"
    report = calven_desk("submit", roster, "--base-url", sandbox.url, "--json", env=ENV)
    assert report.returncode == 1  # the export has invalid rows, skipped
    expected: dict[str, set[str]] = {}
    for row in load_roster(roster).rows:
        event = row.sendable_event
        if event is None:
            continue
        span = {
            d for d in days(event["startDate"], event["endDate"]) if d >= date.today().isoformat()
        }
        mine = expected.setdefault(event["email"], set())
        mine |= span if event["eventType"] == "scheduled" else set()
        mine -= span if event["eventType"] == "cancelled" else set()
    assert {p: away(sandbox, p) for p in expected} == {p: sorted(d) for p, d in expected.items()}
    calls = sandbox.calls
    again = json.loads(
        calven_desk("submit", roster, "--base-url", sandbox.url, "--json", env=ENV).stdout
    )
    assert sandbox.calls == calls and again["summary"]["accepted"] == 0
    assert again["summary"]["unchanged"] == 6
