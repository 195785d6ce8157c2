"""What can go wrong talking to Calven, by what it means for the person rather than where it happened.

Every error's str() is one plain sentence that the window and the command line show as they are.
Transport errors and HTTP answers are translated into these in one place (`translate_transport` and
`error_for_answer`), so the rest of the code never sees httpx's own exception types.
"""

from __future__ import annotations

import json
import ssl
from datetime import datetime

import httpx


class CalvenError(Exception):
    """Base of every error talking to Calven; `retryable` says whether trying again can help, and
    `may_have_arrived` whether the request may have reached Calven and been processed although no
    answer came (a connection that broke after the request left, a server error)."""

    retryable = False
    may_have_arrived = False


class NetworkProblem(CalvenError):
    """Calven could not be reached, or the connection broke; usually passes, so it is retried."""

    retryable = True

    def __init__(self, message: str, may_have_arrived: bool = False) -> None:
        super().__init__(message)
        self.may_have_arrived = may_have_arrived


class TlsFailure(CalvenError):
    """The secure connection failed: a proxy's certificate, a wrong clock, or the wrong host."""


class AuthRefused(CalvenError):
    """Calven refused the API key id or secret when asked for a token."""


class TokenRejected(CalvenError):
    """Calven refused a fresh token twice in a row; going on would only fail again."""


class WrongKeyRole(CalvenError):
    """The key is valid but not allowed to submit time off (403)."""


class DirectoryNotAllowed(WrongKeyRole):
    """The key is valid but may not read Calven's user directory (403 on the warehouse API)."""


#: Said whenever the directory check is skipped for want of the role; the person can act on it.
DIRECTORY_ROLE_SENTENCE = (
    "This API key may not read Calven's user list, so the directory check was skipped; a key with "
    "the 'Data Warehouse' (or 'All permissions') role can, added to the connection as its "
    "directory key."
)


class RateLimited(CalvenError):
    """Calven asked us to slow down (429); `retry_after` is how long it asked us to wait."""

    retryable = True

    def __init__(self, message: str, retry_after: float | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerError(CalvenError):
    """Calven had a problem of its own (5xx); retried, since it usually passes. The request may
    have been processed before the problem, so its events may be held."""

    retryable = True
    may_have_arrived = True

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class BatchRefused(CalvenError):
    """Calven refused a whole batch (400, 422 or another 4xx) with its own message."""

    def __init__(self, message: str, status: int, calven_message: str) -> None:
        super().__init__(message)
        self.status = status
        self.calven_message = calven_message


class UnexpectedAnswer(CalvenError):
    """Calven answered something that is not the documented JSON."""


def translate_transport(exc: httpx.HTTPError, host: str) -> CalvenError:
    """Map httpx's transport errors to ours; the URL is named, never headers or bodies."""
    if isinstance(exc, httpx.ConnectError) and _is_tls(exc):
        return TlsFailure(
            f"The secure connection to {host} failed ({_tls_reason(exc)}). If your organisation uses "
            "a proxy that inspects traffic, set its certificate file in Settings; also check the "
            "computer's clock."
        )
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return NetworkProblem(f"{host} did not answer in time.")
    if isinstance(exc, httpx.TimeoutException):  # the request left: it may have been processed
        return NetworkProblem(f"{host} did not answer in time.", may_have_arrived=True)
    if isinstance(exc, httpx.ConnectError):
        return NetworkProblem(
            f"Cannot reach {host}: check the internet connection and the address in the profile."
        )
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return NetworkProblem(
            f"The connection to {host} broke before Calven answered.", may_have_arrived=True
        )
    if isinstance(exc, httpx.ProxyError):
        return NetworkProblem(f"The proxy refused the connection to {host}.")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return CalvenError(f"The address {host} is not one Calven Desk can use.")
    return NetworkProblem(f"Talking to {host} failed ({type(exc).__name__}).")


def _is_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper()


def _tls_reason(exc: BaseException) -> str:
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text.upper() or "certificate verify failed" in text:
        return "its certificate is not trusted"
    if "WRONG_VERSION_NUMBER" in text.upper():
        return "the server does not speak https on that address"
    return "TLS error"


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())


def calven_message(response: httpx.Response) -> str:
    """Calven's own `message` from an error body, or a short excerpt of whatever came back."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        return response.text[:200].strip()
    if isinstance(body, dict):
        for key in ("message", "error_description", "error", "detail", "title"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return json.dumps(body)[:200]


def error_for_answer(
    response: httpx.Response, host: str, *, reading_directory: bool = False
) -> CalvenError | None:
    """The error an HTTP answer stands for, or None for success (200/201).

    `reading_directory` is set for GET /v1/analytics/users, where a 403 means a missing
    Data Warehouse role rather than a missing Submitting Events role.
    """
    status = response.status_code
    if status in (200, 201):
        return None
    said = calven_message(response)
    if status == 401:
        return TokenRejected(
            "Calven no longer accepts the sign-in token; check the API key and this computer's clock."
        )
    if status == 403 and reading_directory:
        return DirectoryNotAllowed(DIRECTORY_ROLE_SENTENCE)
    if status == 403:
        return WrongKeyRole(
            "This API key is not allowed to submit time off. Ask your Calven administrator for a "
            "key with the 'Submitting Events' role."
        )
    if status == 429:
        return RateLimited(f"{host} asked us to slow down.", retry_after_seconds(response))
    if status >= 500:
        return ServerError(
            f"Calven had a problem of its own (HTTP {status}).", retry_after_seconds(response)
        )
    if 400 <= status < 500:
        return BatchRefused(
            f"Calven refused the request (HTTP {status}): {said or 'no reason given'}", status, said
        )
    return UnexpectedAnswer(
        f"Calven answered with HTTP {status}, which Calven Desk does not expect."
    )
