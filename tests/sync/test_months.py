"""Month after month with faults, Calven ends equal to the roster: the memory of what it holds stays true.

A team's roster is sent each month while Calven loses some answers after processing them (the
connection drops once the request did its work) and refuses a few people's cancellations, then sent
once more without faults. Request IDs are reused across people (a company closure, and stray
collisions), leave moves, is withdrawn, leaves the roster; people leave and join. After each month:
- the sandbox's calendar (what Calven shows) equals the roster for everyone in it, within the
  roster's dates, and is what it was outside them;
- everyone not in the roster is untouched;
- one more `submit` sends nothing.

Seeded months, not Hypothesis: each month is a few whole-process sends, and a failing seed is
rerun as it is. The default run is short (seconds); `CALVEN_DESK_LONG_MONTHS=N` runs a 90-person
team over twelve months, with N seeds (8 when N is 1).

The same months run once more with a team memory in PostgreSQL (issue 22), each month's two sends
from two different computers: the rules hold over either database.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, Faults, Sandbox
from calven_desk.calven.sync import compare_roster, held_for
from calven_desk.roster import load_roster
from calven_desk.store.journal import Journal
from calven_desk.store.memory_address import MemoryAddress
from calven_desk.store.secrets import Secret
from tests.sync.calendar import Row, days, roster_calendar, write_roster
from tests.sync.team import Computer, at_home
from tests.team_db import TeamDb, team_db

__all__ = ["team_db"]

ENV = {"CALVEN_API_KEY": DEMO_KEY_ID, "CALVEN_API_SECRET": DEMO_SECRET}
LONG = int(os.environ.get("CALVEN_DESK_LONG_MONTHS") or 0)
#: The span every leave falls in: far enough ahead that no day is ever in the past.
FIRST_DAY, LAST_DAY = date(2031, 3, 2), date(2031, 9, 27)


@dataclass(slots=True)
class Leave:
    request_id: str
    first: date
    last: date
    kind: str = "Annual"
    withdrawn: bool = False


@dataclass(slots=True)
class Team:
    """The HR system's state: each person's leave, changed a little every month."""

    rng: random.Random
    people: list[str]
    leaves: dict[str, list[Leave]] = field(default_factory=dict)
    joined: int = 0
    next_id: int = 1

    def request_id(self) -> str:
        self.next_id += 1
        return f"REQ-{self.next_id}"

    def span(self, length: int | None = None) -> tuple[date, date]:
        length = length or self.rng.randint(1, 9)
        first = FIRST_DAY + timedelta(days=self.rng.randint(0, (LAST_DAY - FIRST_DAY).days - 10))
        return first, first + timedelta(days=length - 1)

    def new_leave(self, person: str) -> None:
        first, last = self.span()
        kind = self.rng.choice(["Annual", "Sick", "Training"])
        self.leaves.setdefault(person, []).append(Leave(self.request_id(), first, last, kind))

    def month(self, number: int) -> list[Row]:
        """Change the team as a month does, and export its roster (rows in an HR system's order)."""
        rng = self.rng
        if number:
            for person in rng.sample(self.people, k=max(1, len(self.people) // 15)):
                self.people.remove(person)  # left the company: no longer in any roster
            for _ in range(max(1, len(self.people) // 12)):
                self.joined += 1
                self.people.append(f"new{self.joined:03d}.m{number}@example.com")
        for person in self.people:
            mine: list[Leave] = []
            for leave in self.leaves.get(person, []):
                roll = rng.random()
                if roll < 0.12:  # moved to other dates, same request
                    first, last = self.span()
                    mine.append(replace(leave, first=first, last=last))
                elif roll < 0.20 and not leave.withdrawn:
                    mine.append(replace(leave, withdrawn=True))
                elif roll >= 0.28:  # else gone from the HR system's export
                    mine.append(leave)
            self.leaves[person] = mine
            while len(mine) < rng.randint(1, 3):
                self.new_leave(person)
        rows: list[Row] = []
        for person in self.people:
            for leave in self.leaves[person]:
                status = "Withdrawn" if leave.withdrawn else "Approved"
                rows.append(
                    (
                        person,
                        leave.first.isoformat(),
                        leave.last.isoformat(),
                        leave.kind,
                        status,
                        leave.request_id,
                    )
                )
        # A company closure under one Request ID for a third of the team, every month.
        closed = rng.sample(self.people, k=max(2, len(self.people) // 3))
        first, last = self.span(3)
        rows += [
            (p, first.isoformat(), last.isoformat(), "Closure", "Approved", f"CLOSE-{number}")
            for p in closed
        ]
        # Stray collisions: someone's leave under another person's Request ID.
        for _ in range(max(1, len(self.people) // 10)):
            victim, thief = rng.sample(range(len(rows)), 2)
            if rows[victim][0] != rows[thief][0]:
                moved = list(rows[thief])
                moved[5] = rows[victim][5]
                rows[thief] = (moved[0], moved[1], moved[2], moved[3], moved[4], moved[5])
        rows.sort(key=lambda r: (r[1], r[0]))  # by first day, as HR exports are
        return rows


def calendar(sandbox: Sandbox, people: set[str]) -> dict[str, set[str]]:
    return {p: set(sandbox.away(p)) for p in people}


def submit(roster: Path, sandbox: Sandbox, computer: Computer) -> dict[str, object]:
    result = computer.run("submit", roster, "--base-url", sandbox.url, "--cancel-removed", "--json")
    assert result.returncode in (0, 1, 2), result.stderr
    body: dict[str, object] = json.loads(result.stdout) if result.stdout.strip() else {}
    return body


def window_of(rows: list[Row]) -> set[str]:
    first = min(date.fromisoformat(r[1]) for r in rows)
    last = max(date.fromisoformat(r[2]) for r in rows)
    return days(first.isoformat(), last.isoformat())


def run_months(
    tmp_path: Path, seed: int, team_size: int, months: int, shared: TeamDb | None = None
) -> None:
    """`shared`: the months' sends alternate between two computers sharing that team memory."""
    computers = [Computer(tmp_path / "calven-home", None)]
    if shared is not None:
        computers = [Computer(tmp_path / "hr-pc-1", shared), Computer(tmp_path / "hr-pc-2", shared)]
    rng = random.Random(seed)
    team = Team(rng, [f"person{i:03d}@example.com" for i in range(team_size)])
    everyone: set[str] = set()
    with Sandbox() as sandbox:
        for number in range(months):
            rows = team.month(number)
            roster = write_roster(tmp_path / f"month-{number}.csv", rows, True)
            in_roster = {r[0] for r in rows}
            everyone |= in_roster
            before = calendar(sandbox, everyone)

            refused = frozenset(rng.sample(sorted(in_roster), k=3))
            sandbox.set_faults(
                Faults(
                    lose_answer_chance=0.2,
                    seed=seed * 100 + number,
                    refuse_cancellations_for=refused,
                )
            )
            faulty, clean = (
                computers[number % len(computers)],
                computers[-1 - number % len(computers)],
            )
            faulty.settings(batch_size=7, max_retries=0)  # a lost answer stays lost
            submit(roster, sandbox, faulty)

            sandbox.set_faults(Faults())
            clean.settings(batch_size=7)
            submit(roster, sandbox, clean)

            window = window_of(rows)
            wanted = {p: set(found) for p, found in roster_calendar(rows).items()}
            after = calendar(sandbox, everyone)
            for person in sorted(everyone):
                if person in in_roster:  # within the roster's dates, as the roster says
                    found, expected = after[person] & window, wanted[person]
                else:  # untouched
                    found, expected = after[person], before[person]
                assert found == expected, (
                    f"seed {seed}, month {number}: {person} is wrong on "
                    f"{sorted(found ^ expected)} (away in Calven: {sorted(found - expected)})"
                )

            # What a comparison reads of the memory (the roster's share) gives the same answer
            # as the whole memory.
            check = load_roster(roster)
            memory = MemoryAddress(shared.url, Secret(shared.password)) if shared else None
            with at_home(faulty.home), Journal(memory=memory) as journal:
                whole = compare_roster(check, journal.held(sandbox.url, DEMO_KEY_ID))
                share = compare_roster(check, held_for(journal, sandbox.url, DEMO_KEY_ID, check))
            assert share.rows == whole.rows and share.summary() == whole.summary()
            assert [c.event for c in share.moved + share.removal] == [
                c.event for c in whole.moved + whole.removal
            ]

            calls = sandbox.calls
            again = submit(roster, sandbox, faulty)
            sent = [r for r in again.get("rows", []) if r["outcome"] != "unchanged"]  # type: ignore[union-attr]
            assert sandbox.calls == calls, (
                f"seed {seed}, month {number}: sent {sent} and {again.get('cancellations')}"
            )


@pytest.mark.parametrize("seed", [7, 31] if not LONG else list(range(1, max(LONG, 8) + 1)))
def test_months_with_lost_answers_and_refused_cancellations_end_as_the_roster(
    tmp_path: Path, seed: int
) -> None:
    if LONG:
        run_months(tmp_path, seed, team_size=90, months=12)
    else:
        run_months(tmp_path, seed, team_size=24, months=5)


def test_the_same_months_end_as_the_roster_with_a_team_memory_and_two_computers(
    tmp_path: Path, team_db: TeamDb
) -> None:
    if LONG:
        run_months(tmp_path, 5, team_size=90, months=12, shared=team_db)
    else:
        run_months(tmp_path, 5, team_size=16, months=3, shared=team_db)
