"""Reading Calven's user list from the sandbox over real HTTP: roles, keeping, refreshing, forgetting."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from calven_desk.calven.auth import Credentials
from calven_desk.calven.client import CalvenClient
from calven_desk.calven.directory import (
    DirectoryAccess,
    fetch_users,
    forget,
    obtain_directory,
    unwrap_users,
)
from calven_desk.calven.errors import DirectoryNotAllowed, UnexpectedAnswer, WrongKeyRole
from calven_desk.calven.sandbox import (
    ALL_PERMISSIONS,
    DEMO_KEY_ID,
    DEMO_SECRET,
    SUBMITTING,
    WAREHOUSE_KEY_ID,
    Sandbox,
)
from calven_desk.calven.sandbox_users import person_from_line
from calven_desk.store.directory import directory_path

USERS = [
    "ana.lima@example.com, Ana, Lima",
    "Ben.Okafor@example.com\tBen\tOkafor",
    "old.hand@example.com, Old, Hand, deactivated, U-OLD",
    "plain@example.com",
    "UID-ONLY-1234",
]
T0 = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)


def access(sandbox: Sandbox, key_id: str = DEMO_KEY_ID) -> DirectoryAccess:
    return DirectoryAccess(sandbox.url, "hmac", key_id, DEMO_SECRET)


def test_the_list_with_names_statuses_and_uids() -> None:
    with (
        Sandbox(users=USERS, role=ALL_PERMISSIONS) as sandbox,
        CalvenClient(sandbox.url, Credentials(DEMO_KEY_ID, DEMO_SECRET)) as client,
    ):
        users = fetch_users(client)
    by_email = {u["email"]: u for u in users}
    assert set(by_email) == {
        "ana.lima@example.com",
        "Ben.Okafor@example.com",
        "old.hand@example.com",
        "plain@example.com",
    }
    assert (
        by_email["Ben.Okafor@example.com"]["firstName"],
        by_email["Ben.Okafor@example.com"]["lastName"],
    ) == ("Ben", "Okafor")
    assert by_email["old.hand@example.com"]["status"] == "deactivated"
    assert by_email["old.hand@example.com"]["userId"] == "U-OLD"
    assert by_email["plain@example.com"]["firstName"] == ""


def test_a_submitting_key_gets_the_sentence_naming_the_data_warehouse_role() -> None:
    with Sandbox(users=USERS, role=SUBMITTING) as sandbox:
        with (
            CalvenClient(sandbox.url, Credentials(DEMO_KEY_ID, DEMO_SECRET)) as client,
            pytest.raises(DirectoryNotAllowed) as refused,
        ):
            fetch_users(client)
        state = obtain_directory(access(sandbox))
    assert "'Data Warehouse'" in str(refused.value) and "skipped" in str(refused.value)
    assert not state.checked and state.reason == str(refused.value)
    assert state.as_json() == {"checked": False, "reason": str(refused.value)}


def test_a_warehouse_key_reads_the_list_but_may_not_submit() -> None:
    with (
        Sandbox(users=USERS, role=ALL_PERMISSIONS) as sandbox,
        CalvenClient(sandbox.url, Credentials(WAREHOUSE_KEY_ID, DEMO_SECRET)) as client,
    ):
        assert len(fetch_users(client)) == 4
        with pytest.raises(WrongKeyRole) as refused:
            client.post_timeoff([])
    assert not isinstance(refused.value, DirectoryNotAllowed)
    assert "Submitting Events" in str(refused.value)


def test_kept_for_a_day_then_refreshed(isolated_home: Path) -> None:
    with Sandbox(users=USERS, role=ALL_PERMISSIONS) as sandbox:
        first = obtain_directory(access(sandbox), now=T0)
        assert first.refreshed and first.fetched_at == T0 and len(first.users or []) == 4
        sandbox.state.people.append(person_from_line("new.starter@example.com, New, Starter") or {})
        kept = obtain_directory(access(sandbox), now=T0 + timedelta(hours=23))
        assert not kept.refreshed and kept.fetched_at == T0 and len(kept.users or []) == 4
        stale = obtain_directory(access(sandbox), now=T0 + timedelta(hours=25))
        assert stale.refreshed and len(stale.users or []) == 5
        asked = obtain_directory(
            access(sandbox), now=T0 + timedelta(hours=26), refresh=True, max_age=timedelta(days=9)
        )
        assert asked.refreshed and asked.fetched_at == T0 + timedelta(hours=26)
    assert asked.as_json() == {
        "checked": True,
        "users": 5,
        "fetched_at": "2030-01-02T10:00:00+00:00",
    }


def test_the_kept_file_is_owner_only_and_holds_no_secret(isolated_home: Path) -> None:
    with Sandbox(users=USERS, role=ALL_PERMISSIONS) as sandbox:
        obtain_directory(access(sandbox))
        path = directory_path(sandbox.url, DEMO_KEY_ID)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        text = path.read_text(encoding="utf-8")
        assert "Ben.Okafor@example.com" in text and DEMO_SECRET not in text
        assert forget(access(sandbox)) and not path.exists()
        assert not forget(access(sandbox))


def test_calven_unreachable_uses_the_kept_copy_with_a_note(isolated_home: Path) -> None:
    with Sandbox(users=USERS, role=ALL_PERMISSIONS) as sandbox:
        url = sandbox.url
        obtain_directory(access(sandbox), now=T0)
    gone = DirectoryAccess(url, "hmac", DEMO_KEY_ID, DEMO_SECRET)
    state = obtain_directory(gone, now=T0 + timedelta(days=2), timeout=2)
    assert state.checked and state.fetched_at == T0 and not state.refreshed
    assert state.note and "was used" in state.note
    assert not obtain_directory(
        DirectoryAccess(url, "hmac", "another-key", DEMO_SECRET), timeout=2
    ).checked


def test_a_wrapped_list_is_tolerated_and_anything_else_refused() -> None:
    people = [{"email": "a@x.com"}]
    assert unwrap_users(people) == people
    assert unwrap_users({"users": people, "next": None}) == people
    assert unwrap_users({"data": people}) == people
    with pytest.raises(UnexpectedAnswer):
        unwrap_users({"message": "hello"})
