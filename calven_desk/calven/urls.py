"""Checks a Calven base URL before any secret is sent to it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://api.calven.com"


class BaseUrlError(ValueError):
    """The base URL is unusable; the message says why in one sentence."""


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """Return the URL without a trailing slash, or refuse it.

    Plain http is refused except on this computer's loopback address (the built-in sandbox), because
    the token and, with client-secret auth, the secret itself would otherwise cross the network in clear.
    """
    text = url.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BaseUrlError(
            f"'{url}' is not a web address; it should look like https://api.calven.com."
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise BaseUrlError(
            f"'{url}' uses plain http; Calven must be reached over https "
            "(plain http is only allowed for the local sandbox on 127.0.0.1)."
        )
    return text
