"""`calven-desk memory`: where the memory of what Calven holds is, and moving it in and out.

`status` names every memory this computer knows (its journal's, and each team memory a profile,
`--memory` or CALVEN_DESK_MEMORY names) with its counts per connection; `export` writes one as
JSON lines; `import` merges such a file into one, keeping per connection, person and eventId the
later acceptance, so a team can start its shared memory from what each computer knew.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calven_desk.cli.connection import add_memory_option, memory_from_args
from calven_desk.cli.options import UsageProblem

if TYPE_CHECKING:
    from calven_desk.store.held import ConnectionStatus, Record
    from calven_desk.store.journal import Journal
    from calven_desk.store.memory_address import MemoryAddress

FORMAT = "calven-desk memory"
FORMAT_VERSION = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "memory",
        help="where the memory of what Calven holds is; export and import it",
        description="The memory of what Calven holds: this computer's (in its journal) or a team's "
        "(PostgreSQL). Without --profile, --memory or CALVEN_DESK_MEMORY, export and import work "
        "on this computer's.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser(
        "status", help="where each memory is, and per connection how many events it holds"
    )
    status.add_argument("--json", action="store_true", help="print it as JSON")
    export = actions.add_parser("export", help="write a memory to a file, one JSON object a line")
    export.add_argument("file", metavar="FILE")
    merge = actions.add_parser(
        "import", help="merge an exported file in, keeping each event's later acceptance"
    )
    merge.add_argument("file", metavar="FILE")
    for action in (status, export, merge):
        action.add_argument("--profile", metavar="NAME", help="the memory of this saved connection")
        add_memory_option(action)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from calven_desk.calven.sender_claim import SenderBusy
    from calven_desk.store.journal import JournalError

    try:
        if args.action == "status":
            return status(args)
        if args.action == "export":
            return export(args)
        return merge(args)
    except (UsageProblem, JournalError, SenderBusy) as exc:
        print(exc, file=sys.stderr)
        return 2


# --- status -------------------------------------------------------------------------------------


def _known(args: argparse.Namespace) -> dict[str, tuple[MemoryAddress, list[str]]]:
    """The team memories to show, by address, with the profiles that use each."""
    from calven_desk.store.profiles import load_profiles, memory_of

    chosen = memory_from_args(args)
    if chosen is not None or args.profile:
        return {chosen.url: (chosen, [args.profile] if args.profile else [])} if chosen else {}
    found: dict[str, tuple[MemoryAddress, list[str]]] = {}
    for profile in load_profiles().values():
        address = memory_of(profile)
        if address is not None:
            found.setdefault(address.url, (address, []))[1].append(profile.name)
    return found


def _connections(found: Iterable[ConnectionStatus]) -> list[dict[str, object]]:
    return [
        {
            "base_url": c.base_url,
            "key_id": c.key_id,
            "events": c.events,
            "unconfirmed": c.unconfirmed,
            "last_written": c.last_written.isoformat() if c.last_written else None,
            "last_by": c.last_by or None,
        }
        for c in found
    ]


def status(args: argparse.Namespace) -> int:
    from calven_desk.store.journal import Journal, TeamMemoryUnavailable

    memories: list[dict[str, Any]] = []
    with Journal() as journal:
        memories.append(
            {
                "kind": "this computer",
                "where": f"in its journal, {journal.path}",
                "address": None,
                "profiles": [],
                "reachable": True,
                "problem": None,
                "waiting": 0,
                "connections": _connections(journal.memory_status()),
            }
        )
        teams = _known(args)
        waiting = {url: journal.waiting(url) for url in teams}
    for url, (address, profiles) in teams.items():
        entry: dict[str, Any] = {
            "kind": "team",
            "where": address.where,
            "address": url,
            "profiles": profiles,
            "reachable": True,
            "problem": None,
            "waiting": waiting[url],
            "connections": [],
        }
        try:
            with Journal(memory=address) as journal:
                entry["connections"] = _connections(journal.memory_status())
                entry["waiting"] = journal.waiting(url)
        except TeamMemoryUnavailable as exc:
            entry.update(reachable=False, problem=str(exc))
        memories.append(entry)
    if args.json:
        sys.stdout.write(json.dumps({"memories": memories}, ensure_ascii=False) + "\n")
    else:
        for entry in memories:
            _print_memory(entry)
    return 0 if all(m["reachable"] for m in memories) else 2


def _print_memory(entry: dict[str, Any]) -> None:
    used = f" (profiles: {', '.join(entry['profiles'])})" if entry["profiles"] else ""
    if entry["kind"] == "team":
        print(f"Team memory: {entry['where']} ({entry['address']}){used}")
    else:
        print(f"This computer's memory: {entry['where']}")
    if entry["problem"]:
        print(f"  {entry['problem']}")
    if entry["waiting"]:
        print(
            f"  {entry['waiting']} answers kept on this computer, not yet written there "
            "(written at the next comparison or send)."
        )
    if entry["reachable"] and not entry["connections"]:
        print("  Nothing sent yet.")
    for c in entry["connections"]:
        last = (
            datetime.fromisoformat(c["last_written"]).astimezone().strftime("%Y-%m-%d %H:%M")
            if c["last_written"]
            else "never"
        )
        by = f" by {c['last_by']}" if c["last_by"] else ""
        unconfirmed = f", {c['unconfirmed']} not confirmed" if c["unconfirmed"] else ""
        print(
            f"  {c['base_url']} (key {c['key_id']}): {c['events']:,} "
            f"{'event' if c['events'] == 1 else 'events'}{unconfirmed}; "
            f"last written {last}{by}"
        )


# --- export and import --------------------------------------------------------------------------


def _journal(args: argparse.Namespace) -> Journal:
    from calven_desk.store.journal import Journal

    return Journal(memory=memory_from_args(args))


def export(args: argparse.Namespace) -> int:
    from calven_desk.store.atomic import write_text_atomically

    target = Path(args.file)
    with _journal(args) as journal:
        where = journal.team.address.where if journal.team else "this computer's journal"
        records = list(journal.memory_export())
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "from": where,
        "events": len(records),
    }
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps(r, ensure_ascii=False) for r in records]
    try:
        write_text_atomically(target, "\n".join(lines) + "\n")
    except OSError as exc:
        raise UsageProblem(
            f"{target} could not be written ({exc.strerror or exc}); check the folder and the "
            "disk space."
        ) from None
    print(f"Wrote {len(records)} events from {where} to {target}.")
    return 0


def read_export(path: Path) -> list[Record]:
    """Every record of an exported file, checked; one sentence for the first line that is not."""
    from calven_desk.store.held import Record, RecordError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise UsageProblem(f"{path} cannot be read ({reason}); nothing was imported.") from None
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        header = json.loads(lines[0]) if lines else None
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise UsageProblem(
            f"{path} is not a Calven Desk memory export (its first line does not say so); "
            "nothing was imported."
        )
    if int(header.get("version", 0)) > FORMAT_VERSION:
        raise UsageProblem(
            f"{path} was written by a newer Calven Desk; update this one to import it. Nothing "
            "was imported."
        )
    records = []
    for number, line in enumerate(lines[1:], start=2):
        try:
            found = json.loads(line)
            if not isinstance(found, dict):
                raise RecordError("it is not a JSON object")
            records.append(Record.read(found))
        except (json.JSONDecodeError, RecordError) as exc:
            why = "it is not JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise UsageProblem(
                f"Line {number} of {path} is not a memory record ({why}); nothing was imported."
            ) from None
    return records


def merge(args: argparse.Namespace) -> int:
    from calven_desk.calven.sender_claim import one_sender
    from calven_desk.cli.connection import run_settings

    source = Path(args.file)
    records = read_export(source)
    wait = run_settings().sender_wait_seconds
    with _journal(args) as journal, ExitStack() as claims:
        where = journal.team.address.where if journal.team else "this computer's memory"
        # No send may plan from a connection's memory while its events are merged in.
        for base_url, key_id in sorted({(r.base_url, r.key_id) for r in records}):
            claims.enter_context(
                one_sender(
                    journal, base_url, key_id, f"calven-desk memory import {source.name}", wait
                )
            )
        counts = journal.memory_merge(records)
    print(
        f"Imported {source} into {where}: {counts.added} added, {counts.replaced} replaced by a "
        f"later acceptance, {counts.kept} kept as they were (per person and Request ID)."
    )
    return 0
