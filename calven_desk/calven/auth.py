"""Getting and keeping a bearer token: HMAC (the secret never crosses the wire) or client credentials."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

HMAC, CLIENT_SECRET = "hmac", "client_secret"
AUTH_METHODS = (HMAC, CLIENT_SECRET)
#: Renew this long before the token's expiry, so a batch never leaves with a token about to lapse.
RENEW_MARGIN_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Credentials:
    """An API key id and its secret; the secret is left out of repr so it never reaches a log."""

    key_id: str
    secret: str = field(repr=False)
    method: str = HMAC


@dataclass(frozen=True, slots=True)
class Token:
    value: str = field(repr=False)
    expires_at: float  # unix seconds
    issued_at: float

    def fresh(self, now: float) -> bool:
        """Good for a while yet: renew a minute early, or a tenth of the lifetime for short tokens."""
        margin = min(RENEW_MARGIN_SECONDS, (self.expires_at - self.issued_at) / 10)
        return now < self.expires_at - margin


def hmac_hash(key_id: str, secret: str, timestamp: int) -> str:
    """Lower-case hex HMAC-SHA256 of `<key id><timestamp>`, keyed with the secret, as Calven documents."""
    message = f"{key_id}{timestamp}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def token_request(credentials: Credentials, now: float) -> tuple[str, dict[str, object]]:
    """The path and JSON body that ask Calven for a token."""
    if credentials.method == CLIENT_SECRET:
        return "/v1/auth/token", {
            "client_id": credentials.key_id,
            "client_secret": credentials.secret,
        }
    timestamp = int(now)
    return "/v1/auth", {
        "apiKey": credentials.key_id,
        "timestamp": timestamp,
        "hash": hmac_hash(credentials.key_id, credentials.secret, timestamp),
    }


def token_from_answer(method: str, body: object, now: float) -> Token | None:
    """Read a token answer of either documented shape; None when it holds no usable token."""
    if not isinstance(body, dict):
        return None
    if method == CLIENT_SECRET:
        value, lifetime = body.get("access_token"), body.get("expires_in")
        if isinstance(value, str) and value:
            seconds = float(lifetime) if isinstance(lifetime, int | float) else 3600.0
            return Token(value, now + seconds, now)
        return None
    value, expiration = body.get("token"), body.get("expiration")
    if body.get("authenticated") is False or not isinstance(value, str) or not value:
        return None
    expires = float(expiration) if isinstance(expiration, int | float) else now + 3600.0
    return Token(value, expires, now)
