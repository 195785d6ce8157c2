"""The pure directory check: what it says about each row, its suggestions, and its near-miss search."""

from __future__ import annotations

import random
import string
from datetime import date
from pathlib import Path

from calven_desk.roster import Status, load_roster
from calven_desk.roster.directory_check import (
    DirectoryIndex,
    DirectoryUser,
    check_roster,
    name_columns,
    names_by_row,
    users_from_json,
)
from calven_desk.roster.near_miss import NearMisses, edits_within
from tests.roster.files import write_csv

TODAY = date(2030, 1, 1)


def person(
    email: str, first: str = "", last: str = "", status: str = "active", uid: str = ""
) -> DirectoryUser:
    return DirectoryUser(
        email=email, userId=uid or f"U-{email}", firstName=first, lastName=last, status=status
    )


PEOPLE = [
    person("Ben.Okafor@example.com", "Ben", "Okafor", uid="UID-BEN"),
    person("ana.lima@example.com", "Ana", "Lima"),
    person("hugo.marin@example.com", "Hugo", "Marín"),
    person("old.hand@example.com", "Old", "Hand", status="deactivated"),
    person("ann.lima@example.com", "Ann", "Lima"),
]


def levenshtein(a: str, b: str) -> int:
    """The textbook full table, as the reference the bounded version must agree with."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def test_case_only_difference_is_an_error_with_calvens_spelling() -> None:
    finding = DirectoryIndex(PEOPLE, "2030-01-01 09:00").check("ben.okafor@example.com")
    (problem,) = finding.problems
    assert problem.severity == "error" and problem.field == "email"
    assert problem.message == (
        "Calven has this person as Ben.Okafor@example.com; Calven matches addresses exactly."
    )
    assert problem.suggestion == "Ben.Okafor@example.com"
    assert problem.as_json()["suggestion"] == "Ben.Okafor@example.com"
    assert finding.name == "Ben Okafor"


def test_exact_address_has_no_problem_and_gives_the_name() -> None:
    finding = DirectoryIndex(PEOPLE, "now").check("Ben.Okafor@example.com")
    assert (finding.name, finding.problems) == ("Ben Okafor", [])


def test_near_miss_in_the_address_or_the_domain_is_suggested() -> None:
    index = DirectoryIndex(PEOPLE, "2030-01-01 09:00")
    (typo,) = index.check("ben.okafr@example.com").problems
    assert typo.severity == "warning" and typo.suggestion == "Ben.Okafor@example.com"
    assert typo.message.startswith(
        "Calven does not know ben.okafr@example.com as of 2030-01-01 09:00."
    )
    (domain,) = index.check("hugo.marin@exmaple.com").problems
    assert domain.suggestion == "hugo.marin@example.com"


def test_two_people_fitting_give_no_suggestion() -> None:
    # One edit from both ana.lima@ and ann.lima@: guessing would be wrong half the time.
    (problem,) = DirectoryIndex(PEOPLE, "now").check("anb.lima@example.com").problems
    assert problem.suggestion is None and "Did you mean" not in problem.message


def test_unknown_with_nobody_near_is_a_plain_warning() -> None:
    (problem,) = DirectoryIndex(PEOPLE, "now").check("zed@elsewhere.org").problems
    assert (problem.severity, problem.suggestion, problem.kind) == ("warning", None, "unknown")


def test_roster_name_finds_the_person_ignoring_case_and_accents() -> None:
    index = DirectoryIndex(PEOPLE, "now")
    (problem,) = index.check("hm@example.com", name="HUGO MARIN").problems
    assert problem.suggestion == "hugo.marin@example.com"
    (swapped,) = index.check("bo@example.com", name="Okafor, Ben").problems
    assert swapped.suggestion == "Ben.Okafor@example.com"


def test_inactive_person_is_a_warning() -> None:
    (problem,) = DirectoryIndex(PEOPLE, "now").check("old.hand@example.com").problems
    assert problem.severity == "warning" and "deactivated, not active" in problem.message


def test_uid_known_gives_the_name_and_unknown_uid_is_a_warning() -> None:
    index = DirectoryIndex(PEOPLE, "2030-01-01 09:00")
    assert index.check("", "UID-BEN").name == "Ben Okafor"
    (problem,) = index.check("", "UID-NOBODY").problems
    assert problem.field == "uid" and problem.severity == "warning"
    assert "UID-NOBODY" in problem.message and "2030-01-01 09:00" in problem.message


def test_whole_roster_statuses_names_and_name_columns(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["First Name", "Surname", "Email", "Calven uid", "Start", "End"],
            ["Ben", "Okafor", "ben.okafor@example.com", "", "2030-02-01", "2030-02-02"],
            ["Ana", "Lima", "ana.lima@example.com", "", "2030-02-01", "2030-02-02"],
            ["Hugo", "Marín", "h.marin@example.com", "", "2030-02-01", "2030-02-02"],
            ["", "", "", "UID-BEN", "2030-03-01", "2030-03-02"],
        ],
    )
    check = load_roster(path, today=TODAY)
    assert name_columns(check.table.headers) == (0, 1)
    assert names_by_row(check.table)[4] == "Marín, Hugo"
    names = check_roster(check, PEOPLE, "now")
    assert [r.status for r in check.rows] == [
        Status.INVALID,  # wrong capitals: Calven would refuse it
        Status.VALID,
        Status.WARNING,
        Status.VALID,
    ]
    assert check.rows[2].directory[0].suggestion == "hugo.marin@example.com"
    assert names == {2: "Ben Okafor", 3: "Ana Lima", 5: "Ben Okafor"}
    assert check.summary()["invalid"] == 1


def test_users_from_json_keeps_people_only() -> None:
    raw = [
        {"email": "a@x.com", "firstName": "A", "status": "Active", "userId": "1"},
        {"firstName": "nobody"},
        "not a user",
        {"userId": "2", "email": None},
    ]
    users = users_from_json(raw)
    assert [u["email"] for u in users] == ["a@x.com", ""]
    assert users[0]["status"] == "active" and users[1]["status"] == "active"
    assert users_from_json({"users": raw}) == []


def test_bounded_edit_distance_agrees_with_the_full_table() -> None:
    chance = random.Random(12)
    for _ in range(3000):
        a = "".join(chance.choices("abc.", k=chance.randint(0, 8)))
        b = "".join(chance.choices("abc.", k=chance.randint(0, 8)))
        for limit in (0, 1, 2):
            assert edits_within(a, b, limit) == (levenshtein(a, b) <= limit), (a, b, limit)


def test_near_miss_search_finds_what_a_full_scan_finds() -> None:
    chance = random.Random(7)
    letters = string.ascii_lowercase + "."
    people = [
        person(f"{''.join(chance.choices(letters, k=chance.randint(3, 12)))}@{domain}")
        for domain in ("example.com", "example.org", "corp.example")
        for _ in range(80)
    ]
    emails = [p["email"] for p in people]
    index = NearMisses(emails)
    known = set(emails)
    for _ in range(80):
        query = list(chance.choice(emails))
        for _ in range(chance.randint(1, 3)):
            spot = chance.randrange(len(query))
            action = chance.choice("sid")
            if action == "s":
                query[spot] = chance.choice(letters)
            elif action == "i":
                query.insert(spot, chance.choice(letters))
            elif len(query) > 3:
                del query[spot]
        text = "".join(query)
        if text in known or "@" not in text:
            continue
        expected = {
            i
            for i, e in enumerate(emails)
            if abs(len(e) - len(text)) <= 2 and levenshtein(text, e) <= 2
        }
        assert index.find(text) == expected, text
