"""Signing in, tokens and plain-words verdicts, against the sandbox over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from calven_desk.calven.auth import Credentials, hmac_hash
from calven_desk.calven.client import CalvenClient, check_connection
from calven_desk.calven.errors import AuthRefused, WrongKeyRole
from calven_desk.calven.sandbox import DEMO_KEY_ID, DEMO_SECRET, VISITOR_KEY_ID, Faults, Sandbox
from calven_desk.calven.urls import BaseUrlError, check_base_url

EVENT = {
    "eventId": "A",
    "email": "a@example.com",
    "eventType": "scheduled",
    "startDate": "2030-01-01",
    "endDate": "2030-01-01",
}


def test_hmac_is_lowercase_hex_over_key_and_timestamp() -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"s3cret", b"key-1" + b"1700000000", hashlib.sha256).hexdigest()
    assert hmac_hash("key-1", "s3cret", 1700000000) == expected == expected.lower()


@pytest.mark.parametrize("method", ["hmac", "client_secret"])
def test_both_sign_in_methods_post(sandbox: Sandbox, method: str) -> None:
    with CalvenClient(sandbox.url, Credentials(DEMO_KEY_ID, DEMO_SECRET, method)) as client:
        results = client.post_timeoff([EVENT])
    assert results == [{"eventId": "A", "resultCode": 0, "message": "Event processed"}]


def test_token_is_cached_and_renewed_once_on_401(sandbox: Sandbox, client: CalvenClient) -> None:
    client.post_timeoff([EVENT])
    first = client.token()
    assert client.token() == first  # cached
    sandbox.expire_tokens()  # the server forgets it mid-run
    assert client.post_timeoff([EVENT])[0]["resultCode"] == 0
    assert client.token() != first


def test_token_is_renewed_shortly_before_expiry(sandbox: Sandbox) -> None:
    import time

    sandbox.set_faults(Faults(token_lifetime_seconds=100))
    now = [time.time()]
    with CalvenClient(
        sandbox.url, Credentials(DEMO_KEY_ID, DEMO_SECRET), clock=lambda: now[0]
    ) as client:
        first = client.token()
        now[0] += 80
        assert client.token() == first  # 20 s left: still good
        now[0] += 15
        assert client.token() != first  # 5 s left: inside the renewal margin, so a new one


def test_wrong_secret_mentions_the_clock(sandbox: Sandbox) -> None:
    with (
        CalvenClient(sandbox.url, Credentials(DEMO_KEY_ID, "wrong")) as client,
        pytest.raises(AuthRefused) as caught,
    ):
        client.post_timeoff([EVENT])
    assert "clock" in str(caught.value) and "wrong" not in str(caught.value)


def test_skewed_clock_is_refused_like_a_wrong_key(sandbox: Sandbox) -> None:
    sandbox.state.clock_offset = 3600  # the server is an hour ahead
    verdict = check_connection(sandbox.url, "hmac", DEMO_KEY_ID, DEMO_SECRET)
    assert not verdict.ok and "clock" in verdict.message


def test_verdicts_in_plain_words(sandbox: Sandbox) -> None:
    assert check_connection(sandbox.url, "hmac", DEMO_KEY_ID, DEMO_SECRET).ok
    role = check_connection(sandbox.url, "hmac", VISITOR_KEY_ID, DEMO_SECRET)
    assert not role.ok and "Submitting Events" in role.message
    down = check_connection("http://127.0.0.1:9", "hmac", DEMO_KEY_ID, DEMO_SECRET)
    assert not down.ok and down.message.startswith("Cannot reach 127.0.0.1:9")
    plain = check_connection("http://api.calven.com", "hmac", DEMO_KEY_ID, DEMO_SECRET)
    assert not plain.ok and "https" in plain.message


def test_wrong_role_on_submit(sandbox: Sandbox) -> None:
    with (
        CalvenClient(sandbox.url, Credentials(VISITOR_KEY_ID, DEMO_SECRET)) as client,
        pytest.raises(WrongKeyRole),
    ):
        client.post_timeoff([EVENT])


def test_tls_failure_is_explained() -> None:
    """An https client against a plain-http server fails the TLS handshake: the message says so."""
    with Sandbox() as sandbox:
        https_url = sandbox.url.replace("http://", "https://").replace("127.0.0.1", "localhost")
        verdict = check_connection(https_url, "hmac", DEMO_KEY_ID, DEMO_SECRET)
    assert not verdict.ok and "secure connection" in verdict.message


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://api.calven.com/", True),
        ("http://127.0.0.1:8765", True),
        ("http://localhost:1", True),
        ("http://[::1]:80", True),
        ("http://api.calven.com", False),
        ("ftp://x", False),
        ("calven", False),
    ],
)
def test_base_url_must_be_https_except_loopback(url: str, ok: bool) -> None:
    if ok:
        assert not check_base_url(url).endswith("/")
    else:
        with pytest.raises(BaseUrlError):
            check_base_url(url)


def test_secret_never_in_repr() -> None:
    credentials = Credentials("key", "very-secret-value")
    assert "very-secret-value" not in repr(credentials)


def test_proxy_environment_is_honoured(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """trust_env: a proxy variable is obeyed (here a dead proxy, so the call fails as unreachable)."""
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "")
    with CalvenClient(sandbox.url, Credentials(DEMO_KEY_ID, DEMO_SECRET)) as client:
        with pytest.raises(Exception) as caught:
            client.token()
    assert not isinstance(caught.value, httpx.HTTPError)  # translated at the boundary
