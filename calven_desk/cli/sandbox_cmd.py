"""`calven-desk sandbox`: run the local Calven stand-in, to try the app before having a real key."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help="run a local stand-in for Calven on this computer",
        description="Runs a stand-in for Calven's API on 127.0.0.1, for trying Calven Desk without a "
        "key. Stop it with Ctrl-C.",
    )
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    parser.add_argument(
        "--users",
        metavar="FILE",
        help="a text file of known emails/uids, one a line, optionally: email, first, last, status",
    )
    parser.add_argument(
        "--role",
        choices=["all", "submitting", "warehouse"],  # calven.sandbox.ROLES, not imported here
        default="all",
        help="the demo key's role: 'submitting' cannot read the user list (403), 'warehouse' "
        "cannot submit (default all)",
    )
    faults = parser.add_argument_group("faults (for demos and tests)")
    faults.add_argument("--latency", type=float, default=0.0, metavar="SECONDS")
    faults.add_argument(
        "--error-every", type=int, default=0, metavar="N", help="HTTP 503 on every Nth call"
    )
    faults.add_argument(
        "--drop-every", type=int, default=0, metavar="N", help="drop every Nth connection"
    )
    faults.add_argument(
        "--throttle-every", type=int, default=0, metavar="N", help="HTTP 429 on every Nth call"
    )
    faults.add_argument("--retry-after", type=float, default=1.0, metavar="SECONDS")
    faults.add_argument("--token-lifetime", type=int, default=3600, metavar="SECONDS")
    faults.add_argument("--reorder", action="store_true", help="return results in reverse order")
    parser.set_defaults(func=run)


def read_users(path: str) -> list[str]:
    text = Path(path).read_text(encoding="utf-8-sig")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def run(args: argparse.Namespace) -> int:
    # Imported here so that building the parser for another command does not load the server.
    from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, ROLES, Faults, Sandbox

    users = None
    if args.users:
        try:
            users = read_users(args.users)
        except OSError as exc:
            print(f"Cannot read the user list {args.users}: {exc.strerror}.", file=sys.stderr)
            return 2
    faults = Faults(
        latency_seconds=args.latency,
        server_error_every=args.error_every,
        drop_every=args.drop_every,
        throttle_every=args.throttle_every,
        retry_after_seconds=args.retry_after,
        token_lifetime_seconds=args.token_lifetime,
        reorder_results=args.reorder,
    )
    try:
        sandbox = Sandbox(args.port, users=users, faults=faults, role=ROLES[args.role])
    except OSError as exc:
        print(
            f"Cannot start the sandbox on port {args.port}: {exc.strerror}. Try --port 0.",
            file=sys.stderr,
        )
        return 2
    print(f"Calven sandbox running at {sandbox.url}")
    print(f"Demo API key id: {DEMO_KEY_ID}   secret: {DEMO_SECRET}   (a public demo key)")
    print(f"Try: calven-desk profile add sandbox --key-id {DEMO_KEY_ID} --base-url {sandbox.url}")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        sandbox.serve_forever()
    except KeyboardInterrupt:
        print("Sandbox stopped.")
    return 0
