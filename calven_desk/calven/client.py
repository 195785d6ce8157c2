"""The HTTP client for Calven: one pooled connection set, a cached token, and errors in plain words."""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from calven_desk import __version__
from calven_desk.calven.auth import HMAC, Credentials, Token, token_from_answer, token_request
from calven_desk.calven.errors import (
    AuthRefused,
    BatchRefused,
    CalvenError,
    TokenRejected,
    UnexpectedAnswer,
    WrongKeyRole,
    error_for_answer,
    translate_transport,
)
from calven_desk.calven.urls import check_base_url
from calven_desk.logs import register_secret

log = logging.getLogger("calven_desk.calven")

Clock = Callable[[], float]


def _verify(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """TLS verification is always on; a corporate proxy's CA file is added to the system's trust."""
    if not ca_bundle:
        return True
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=ca_bundle)
    return context


class CalvenClient:
    """Talks to one Calven host with one key; safe to share between the submitter's threads."""

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout: float = 30.0,
        ca_bundle: str | None = None,
        max_connections: int = 8,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = time.time,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self.host = urlsplit(self.base_url).netloc
        self.credentials = credentials
        self._clock = clock
        self._token: Token | None = None
        self._token_lock = threading.Lock()
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            verify=_verify(ca_bundle),
            trust_env=True,  # honours HTTPS_PROXY / NO_PROXY and the system's settings
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": f"CalvenDesk/{__version__}",
            },
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CalvenClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _post(
        self, path: str, body: object, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        try:
            return self._http.post(path, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise translate_transport(exc, self.host) from None

    def _get(self, path: str, headers: Mapping[str, str]) -> httpx.Response:
        try:
            return self._http.get(path, headers=headers)
        except httpx.HTTPError as exc:
            raise translate_transport(exc, self.host) from None

    def get_json(self, path: str, *, reading_directory: bool = False) -> Any:
        """GET a JSON answer with the bearer token; a 401 gets one fresh token, as for POST."""
        for attempt in (1, 2):
            token = self.token()
            response = self._get(path, {"Authorization": f"Bearer {token}"})
            if response.status_code == 401 and attempt == 1:
                self._forget(token)
                continue
            problem = error_for_answer(response, self.host, reading_directory=reading_directory)
            if problem is not None:
                raise problem
            try:
                return response.json()
            except ValueError:
                raise UnexpectedAnswer("Calven's answer was not readable JSON.") from None
        raise TokenRejected("Calven refused a fresh sign-in token; check the API key.")

    def fetch_token(self) -> Token:
        """Ask Calven for a new token; AuthRefused explains a refusal in words."""
        now = self._clock()
        path, body = token_request(self.credentials, now)
        response = self._post(path, body)
        if response.status_code in (400, 401, 403):
            raise AuthRefused(self._refusal_sentence(response.status_code))
        if response.status_code >= 400:
            problem = error_for_answer(response, self.host)
            raise problem or UnexpectedAnswer(f"Calven answered HTTP {response.status_code}.")
        try:
            answer: Any = response.json()
        except ValueError:
            raise UnexpectedAnswer("Calven's answer to the sign-in was not readable.") from None
        token = token_from_answer(self.credentials.method, answer, now)
        if token is None:
            raise AuthRefused(self._refusal_sentence(401))
        register_secret(token.value)
        return token

    def _refusal_sentence(self, status: int) -> str:
        if status == 400:
            return "Calven could not read the sign-in request; check the API key id in the profile."
        if self.credentials.method == HMAC:
            clock = time.strftime("%H:%M", time.localtime(self._clock()))
            return (
                "Calven refused the API key id or secret. Check both; if they are right, check this "
                f"computer's clock (it says {clock}): a clock more than a few minutes off makes "
                "Calven refuse a correct key."
            )
        return "Calven refused the API key id or secret; check both in the profile."

    def token(self) -> str:
        """A token that is good for a while yet: the cached one, or a new one."""
        with self._token_lock:
            if self._token is None or not self._token.fresh(self._clock()):
                self._token = self.fetch_token()
            return self._token.value

    def _forget(self, stale: str) -> None:
        with self._token_lock:
            if self._token is not None and self._token.value == stale:
                self._token = None

    def post_timeoff(self, events: Sequence[Mapping[str, str]]) -> list[dict[str, Any]]:
        """POST one batch; returns Calven's `results`, or raises a CalvenError.

        A 401 gets one new token and one more try (the token may have lapsed in flight); a second
        401 means the key itself is no longer accepted.
        """
        body = {"timeOffEvents": [dict(e) for e in events]}
        for attempt in (1, 2):
            token = self.token()
            response = self._post("/v1/timeoff", body, {"Authorization": f"Bearer {token}"})
            if response.status_code == 401 and attempt == 1:
                log.info("Token refused by %s; fetching a new one", self.host)
                self._forget(token)
                continue
            problem = error_for_answer(response, self.host)
            if problem is not None:
                raise problem
            try:
                answer: Any = response.json()
            except ValueError:
                raise UnexpectedAnswer("Calven's answer was not readable JSON.") from None
            results = answer.get("results") if isinstance(answer, dict) else None
            if not isinstance(results, list):
                raise UnexpectedAnswer("Calven's answer had no list of results.")
            return [r for r in results if isinstance(r, dict)]
        raise TokenRejected("Calven refused a fresh sign-in token; check the API key.")


@dataclass(frozen=True, slots=True)
class ConnectionVerdict:
    ok: bool
    message: str


def check_connection(
    base_url: str,
    auth: str,
    key_id: str,
    secret: str,
    *,
    ca_bundle: str | None = None,
    timeout: float = 15.0,
    transport: httpx.BaseTransport | None = None,
) -> ConnectionVerdict:
    """Sign in, then send an empty batch to learn whether the key may submit time off.

    The empty batch changes nothing in Calven; a 403 on it is the only way to learn the key's role
    before real rows are sent.
    """
    try:
        with CalvenClient(
            base_url,
            Credentials(key_id, secret, auth),
            timeout=timeout,
            ca_bundle=ca_bundle,
            transport=transport,
        ) as client:
            client.token()
            try:
                client.post_timeoff([])
            except WrongKeyRole as exc:
                return ConnectionVerdict(False, f"Signed in, but: {exc}")
            except (BatchRefused, UnexpectedAnswer):
                pass  # an empty batch may be refused as malformed: the key still works
    except CalvenError as exc:
        return ConnectionVerdict(False, str(exc))
    except (ValueError, OSError) as exc:  # a bad URL or an unreadable CA file
        return ConnectionVerdict(False, str(exc) or "The connection settings are not usable.")
    return ConnectionVerdict(
        True, f"Connected to {urlsplit(base_url).netloc}: the key works and may submit time off."
    )
