"""The log file never holds a secret, a token or an Authorization header."""

from __future__ import annotations

import logging

from calven_desk.logs import log_file, redact, register_secret, setup_logging


def test_redaction_on_a_real_log_file() -> None:
    path = setup_logging()
    log = logging.getLogger("calven_desk.calven")
    register_secret("my-api-secret-123")
    log.info("headers %s", {"Authorization": "Bearer abc.def.ghi", "Accept": "application/json"})
    log.info('body {"client_secret": "cs-999", "client_id": "key-1", "hash": "deadbeef"}')
    log.warning("retrying with my-api-secret-123 and token=tok-777")
    try:
        raise ValueError("Bearer zzz-token in an exception")
    except ValueError:
        log.exception("failed")
    for handler in logging.getLogger("calven_desk").handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert path == log_file()
    for leaked in (
        "abc.def.ghi",
        "cs-999",
        "deadbeef",
        "my-api-secret-123",
        "tok-777",
        "zzz-token",
    ):
        assert leaked not in text, leaked
    assert "key-1" in text and "application/json" in text and "[redacted]" in text


def test_redact_leaves_ordinary_text() -> None:
    assert redact("Row 7: not a valid email") == "Row 7: not a valid email"
