"""A local stand-in for Calven's API, for trying the app without a key and for real-HTTP tests.

It follows the documented behaviour (both sign-in endpoints with HMAC and timestamp checks, token
expiry, 401/403, per-event result codes) and can misbehave on purpose: latency, 5xx every Nth
call, dropped connections, 429 with Retry-After, short-lived tokens, reordered results, refused
batches, answers lost after the events were processed (the connection drops once the request has
done its work), and cancellations refused for some people. It records every event it accepted, so
a test can check each row arrived exactly once, and keeps each person's calendar as Calven would
show it (`GET /sandbox/away?email=...`): a scheduled event sets its days away, a cancelled one
frees them, past days are ignored, in arrival order.
It also serves Calven's user list (GET /v1/analytics/users) from its users file, to keys with the
Data Warehouse or All permissions role, and answers 403 to the others. The demo key's role is
Submitting Events unless the sandbox is started with another (`role=`, `--role`).

The users file's lines are read by sandbox_users.py.

Result codes here are the sandbox's own choice (Calven does not document 1-3):
0 accepted; 1 the event is malformed; 2 the user is unknown (with a user list); 3 the dates are
impossible (end before start). A code can also be forced per email for tests (e.g. 4, unknown).
"""

from __future__ import annotations

import hmac
import json
import logging
import random
import secrets
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from calven_desk.calven.auth import hmac_hash
from calven_desk.calven.sandbox_users import read_users_file
from calven_desk.store.atomic import write_text_atomically

log = logging.getLogger("calven_desk.calven.sandbox")

DEMO_KEY_ID, DEMO_SECRET = "sandbox-key", "sandbox-secret"
VISITOR_KEY_ID = "sandbox-visitor"
#: A key that may read the user list but not submit, as an organisation's second key would be.
WAREHOUSE_KEY_ID = "sandbox-warehouse"
SUBMITTING, VISITOR = "Submitting Events", "Visitor Permissions Only"
WAREHOUSE, ALL_PERMISSIONS = "Data Warehouse", "All permissions"
#: `--role` words for the demo key's role.
ROLES = {"all": ALL_PERMISSIONS, "submitting": SUBMITTING, "warehouse": WAREHOUSE}
#: How far a sign-in timestamp may be from the sandbox's clock, as a real server would allow.
TIMESTAMP_WINDOW_SECONDS = 300
MALFORMED, UNKNOWN_USER, IMPOSSIBLE_DATES = 1, 2, 3


@dataclass(slots=True)
class Faults:
    """Misbehaviour to switch on; every `*_every` counts calls to POST /v1/timeoff (0 = never)."""

    latency_seconds: float = 0.0
    server_error_every: int = 0
    drop_every: int = 0
    throttle_every: int = 0
    retry_after_seconds: float = 1.0
    token_lifetime_seconds: int = 3600
    reorder_results: bool = False
    #: A batch holding an event whose email contains this text is refused whole with a 400.
    refuse_batch_containing: str | None = None
    #: Forced result codes by email, e.g. {"odd@example.com": 4}.
    codes_by_email: dict[str, int] = field(default_factory=dict)
    #: Refuse batches larger than this with a 400 (0 = no limit).
    max_batch: int = 0
    #: Calls after the first wait until this is set: a test holds a run midway for as long as it
    #: looks, instead of hoping to look before a fast run ends.
    hold_after_first: threading.Event | None = None
    #: Lose the answer of every Nth call, or of each call with this chance (seeded by
    #: `seed`), after its events were processed: the connection closes with no answer.
    lose_answer_every: int = 0
    lose_answer_chance: float = 0.0
    seed: int = 0
    #: Cancelled events of these people (emails or uids) get result code 1, as a Calven that
    #: refuses them would answer; their calendar is left as it was.
    refuse_cancellations_for: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Arrival:
    """One event as it reached the sandbox, in arrival order, with the code it got."""

    event: dict[str, Any]
    result_code: int
    call: int


class SandboxState:
    """What the server knows and records; shared by the handler threads under one lock."""

    def __init__(
        self,
        users: Iterable[str] | None,
        faults: Faults,
        role: str = SUBMITTING,
        calendar_file: Path | None = None,
    ) -> None:
        self.lock = threading.Lock()
        #: Who the sandbox knows (emails and uids; None: everyone), and its user list.
        self.users, self.people = read_users_file(users)
        self.faults = faults
        self.keys: dict[str, tuple[str, str]] = {
            DEMO_KEY_ID: (DEMO_SECRET, role),
            VISITOR_KEY_ID: (DEMO_SECRET, VISITOR),
            WAREHOUSE_KEY_ID: (DEMO_SECRET, WAREHOUSE),
        }
        self.tokens: dict[str, tuple[str, float]] = {}  # token -> (key id, expiry)
        self.calls = 0
        self.arrivals: list[Arrival] = []
        self.clock_offset = 0.0
        #: Per person (email or uid as sent), the days Calven would show as away.
        self.away: dict[str, set[date]] = {}
        #: The calendar's "today" (None: the real date); days before it are ignored, as Calven does.
        self.today: date | None = None
        self.chance = random.Random(faults.seed)
        #: Where the calendar is kept between runs (the window's demo: its second day looks like
        #: a real second month), or None.
        self.calendar_file = calendar_file
        if calendar_file is not None:
            self.away = read_calendar(calendar_file)

    def keep_calendar(self) -> None:
        """Write the calendar to its file; call with the lock held."""
        if self.calendar_file is not None:
            body = {who: sorted(d.isoformat() for d in found) for who, found in self.away.items()}
            write_text_atomically(self.calendar_file, json.dumps(body))

    def apply_to_calendar(self, event: dict[str, Any]) -> None:
        """An accepted event changes the person's calendar; call with the lock held, in arrival order."""
        start = date.fromisoformat(str(event["startDate"]))
        end = date.fromisoformat(str(event["endDate"]))
        first = max(start, self.today or date.today())
        days = {first + timedelta(days=n) for n in range((end - first).days + 1)}
        who = str(event.get("email") or event.get("uid"))
        if event["eventType"] == "scheduled":
            self.away.setdefault(who, set()).update(days)
        else:
            self.away.setdefault(who, set()).difference_update(days)

    def now(self) -> float:
        return time.time() + self.clock_offset

    def issue_token(self, key_id: str) -> tuple[str, float]:
        token = secrets.token_urlsafe(24)
        expiry = self.now() + self.faults.token_lifetime_seconds
        with self.lock:
            self.tokens[token] = (key_id, expiry)
        return token, expiry


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so the client's connection pool is exercised
    # Headers and body leave in separate writes; with Nagle on, each answer would wait ~40 ms for
    # the client's delayed ACK, which no real server suffers from.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox: " + format, *args)

    def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"null")
        except ValueError:
            return None

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/sandbox/away":
            self._away(self.server.state, parse_qs(parts.query))
        elif parts.path == "/v1/analytics/users":
            self._users(self.server.state)
        else:
            self._send(404, {"message": "Not found"})

    def _users(self, state: SandboxState) -> None:
        """Calven's user list, from the users file, to keys whose role may read it."""
        key = self._signed_in(state)
        if key is None:
            return
        if state.keys[key][1] not in (WAREHOUSE, ALL_PERMISSIONS):
            self._send(403, {"message": "This API key has no PII read access"})
            return
        with state.lock:
            people = list(state.people)
        self._send(200, people)

    def _signed_in(self, state: SandboxState) -> str | None:
        """The key id behind the request's bearer token, or None after answering 401."""
        header = self.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        with state.lock:
            found = state.tokens.get(token)
        if found is None or found[1] <= state.now():
            self._send(401, {"message": "Token missing, invalid or expired"})
            return None
        return found[0]

    def _away(self, state: SandboxState, query: dict[str, list[str]]) -> None:
        """The sandbox's own read-back (Calven has none): a person's away days, for tests and demos."""
        field_name = "email" if "email" in query else "uid"
        who = (query.get(field_name) or [""])[0]
        if not who:
            self._send(400, {"message": "Say whose calendar: ?email=... or ?uid=..."})
            return
        with state.lock:
            days = sorted(state.away.get(who, set()))
        self._send(200, {field_name: who, "away": [d.isoformat() for d in days]})

    def do_POST(self) -> None:
        state = self.server.state
        body = self._body()
        if self.path == "/v1/auth":
            self._hmac_auth(state, body)
        elif self.path == "/v1/auth/token":
            self._client_credentials(state, body)
        elif self.path == "/v1/timeoff":
            self._timeoff(state, body)
        else:
            self._send(404, {"message": "Not found"})

    def _hmac_auth(self, state: SandboxState, body: Any) -> None:
        if not (
            isinstance(body, dict)
            and isinstance(body.get("apiKey"), str)
            and isinstance(body.get("timestamp"), int)
            and isinstance(body.get("hash"), str)
        ):
            self._send(400, {"authenticated": False, "message": "Malformed authentication request"})
            return
        key = state.keys.get(body["apiKey"])
        stale = abs(state.now() - body["timestamp"]) > TIMESTAMP_WINDOW_SECONDS
        expected = hmac_hash(body["apiKey"], key[0], body["timestamp"]) if key else ""
        if key is None or stale or not hmac.compare_digest(expected, body["hash"]):
            self._send(401, {"authenticated": False, "message": "Authentication failed"})
            return
        token, expiry = state.issue_token(body["apiKey"])
        self._send(
            200,
            {
                "authenticated": True,
                "message": "Authenticated",
                "token": token,
                "expiration": int(expiry),
            },
        )

    def _client_credentials(self, state: SandboxState, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("client_id"), str):
            self._send(400, {"message": "Malformed token request"})
            return
        key = state.keys.get(body["client_id"])
        if key is None or not hmac.compare_digest(key[0], str(body.get("client_secret", ""))):
            self._send(401, {"message": "Invalid client credentials"})
            return
        token, _ = state.issue_token(body["client_id"])
        self._send(
            200,
            {
                "access_token": token,
                "expires_in": state.faults.token_lifetime_seconds,
                "token_type": "Bearer",
            },
        )

    def _timeoff(self, state: SandboxState, body: Any) -> None:
        faults = state.faults
        key = self._signed_in(state)
        if key is None:
            return
        if state.keys[key][1] not in (SUBMITTING, ALL_PERMISSIONS):
            self._send(403, {"message": "This API key may not submit time off"})
            return
        with state.lock:
            state.calls += 1
            call = state.calls
        if faults.latency_seconds:
            time.sleep(faults.latency_seconds)
        if faults.hold_after_first is not None and call > 1:
            faults.hold_after_first.wait(60)
        if faults.drop_every and call % faults.drop_every == 0:
            # Closed before the events are looked at: nothing of this request is recorded.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if faults.server_error_every and call % faults.server_error_every == 0:
            self._send(503, {"message": "Service temporarily unavailable"})
            return
        if faults.throttle_every and call % faults.throttle_every == 0:
            self._send(
                429,
                {"message": "Too many requests"},
                {"Retry-After": f"{faults.retry_after_seconds:g}"},
            )
            return
        events = body.get("timeOffEvents") if isinstance(body, dict) else None
        if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
            self._send(400, {"message": 'Body must be {"timeOffEvents": [...]}'})
            return
        if faults.max_batch and len(events) > faults.max_batch:
            self._send(400, {"message": f"At most {faults.max_batch} events per request"})
            return
        marker = faults.refuse_batch_containing
        if marker and any(marker in str(e.get("email", "")) for e in events):
            self._send(400, {"message": f"Malformed event in batch (contains {marker})"})
            return
        results = []
        for event in events:
            code, message = self._judge(state, event)
            with state.lock:
                state.arrivals.append(Arrival(dict(event), code, call))
                if code == 0:
                    state.apply_to_calendar(event)
            results.append(
                {"eventId": event.get("eventId"), "resultCode": code, "message": message}
            )
        with state.lock:
            state.keep_calendar()
        if faults.reorder_results:
            results.reverse()
        with state.lock:
            lose = (faults.lose_answer_every and call % faults.lose_answer_every == 0) or (
                faults.lose_answer_chance and state.chance.random() < faults.lose_answer_chance
            )
        if lose:
            # Processed, then the connection drops before the answer: the client cannot tell.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(
            200,
            {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "results": results},
        )

    @staticmethod
    def _judge(state: SandboxState, event: dict[str, Any]) -> tuple[int, str]:
        who = event.get("email") or event.get("uid")
        forced = state.faults.codes_by_email.get(str(event.get("email", "")))
        if forced is not None:
            return forced, f"Sandbox: code {forced} forced for this person"
        if event.get("eventType") == "cancelled" and who in state.faults.refuse_cancellations_for:
            return MALFORMED, "Sandbox: cancellations are refused for this person"
        if not isinstance(event.get("eventId"), str) or not who:
            return MALFORMED, "eventId and email or uid are required"
        if event.get("eventType") not in ("scheduled", "cancelled"):
            return MALFORMED, "eventType must be scheduled or cancelled"
        try:
            start = date.fromisoformat(str(event.get("startDate")))
            end = date.fromisoformat(str(event.get("endDate")))
        except ValueError:
            return MALFORMED, "startDate and endDate must be YYYY-MM-DD"
        if end < start:
            return IMPOSSIBLE_DATES, "endDate is before startDate"
        if state.users is not None and who not in state.users:
            return UNKNOWN_USER, f"No Calven user matches {who}"
        return 0, "Event processed"


def read_calendar(path: Path) -> dict[str, set[date]]:
    """A kept calendar; a missing or damaged file is an empty calendar (it is only a demo's)."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        return {str(who): {date.fromisoformat(d) for d in found} for who, found in body.items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def is_sandbox(url: str, timeout: float = 2.0) -> bool:
    """Whether a Calven Desk sandbox answers at `url` (a second window finds the first's)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/sandbox/away?email=-", timeout=timeout) as answer:
            return "away" in json.loads(answer.read())
    except (OSError, ValueError, urllib.error.URLError):
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: SandboxState


class Sandbox:
    """Runs the stand-in on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(
        self,
        port: int = 0,
        *,
        users: Iterable[str] | None = None,
        faults: Faults | None = None,
        host: str = "127.0.0.1",
        role: str = SUBMITTING,
        calendar_file: Path | None = None,
    ) -> None:
        self.state = SandboxState(users, faults or Faults(), role, calendar_file)
        self._server = _Server((host, port), _Handler)
        self._server.state = self.state
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def faults(self) -> Faults:
        return self.state.faults

    def set_faults(self, faults: Faults) -> None:
        with self.state.lock:
            self.state.faults = faults
            self.state.chance = random.Random(faults.seed)

    def start(self) -> Sandbox:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="calven-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def arrivals(self) -> list[Arrival]:
        with self.state.lock:
            return list(self.state.arrivals)

    @property
    def accepted(self) -> list[dict[str, Any]]:
        """Every event the sandbox answered with code 0, in arrival order."""
        return [a.event for a in self.arrivals if a.result_code == 0]

    def away(self, person: str) -> list[str]:
        """The days the person's calendar shows as away, sorted, as ISO dates."""
        with self.state.lock:
            return [d.isoformat() for d in sorted(self.state.away.get(person, set()))]

    @property
    def calls(self) -> int:
        return self.state.calls

    def expire_tokens(self) -> None:
        """Make every issued token lapse now, as if time had passed."""
        with self.state.lock:
            self.state.tokens = {t: (k, 0.0) for t, (k, _) in self.state.tokens.items()}
