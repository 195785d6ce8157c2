"""The app's log: a rotating file in the per-user log folder, with secrets and tokens blotted out.

Redaction happens in a filter on the handler, so a careless `log.info("%s", response.headers)`
anywhere still never writes a token or secret to disk.
"""

from __future__ import annotations

import logging
import re
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

from calven_desk.store.paths import log_dir

LOG_FILE = "calven-desk.log"
MASK = "[redacted]"
_PATTERNS = [
    re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(bearer\s+)?[^\s\"',}]+"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(
        r"(?i)([\"']?(?:client_secret|secret|hash|token|access_token|password|api_?secret)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"
    ),
]
_registered: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Blot this exact value out of every later log line (API secrets, tokens in memory)."""
    if len(value) >= 4:
        with _lock:
            _registered.add(value)


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    with _lock:
        secrets = sorted(_registered, key=len, reverse=True)
    for value in secrets:
        text = text.replace(value, MASK)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def log_file() -> Path:
    return log_dir() / LOG_FILE


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the app's loggers to the rotating file (5 files of 1 MB); returns the file's path."""
    path = log_file()
    root = logging.getLogger("calven_desk")
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(level)
    return path
