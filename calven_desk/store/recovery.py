"""The autosaved copy of unsaved edits, so a crash never costs a person their corrections."""

from __future__ import annotations

import json
import logging
from typing import Any

from calven_desk.store.atomic import write_text_atomically
from calven_desk.store.paths import data_dir

log = logging.getLogger("calven_desk.store")

RECOVERY_FILE = "recovery.json"


def save_recovery(snapshot: dict[str, Any]) -> None:
    """Rows are encoded one by one: one `json.dumps` of 50,000 rows holds Python's lock for the
    whole call, which froze the window while a worker saved (issue 10)."""
    head = {key: value for key, value in snapshot.items() if key != "rows"}
    rows = [json.dumps(row, ensure_ascii=False, default=str) for row in snapshot.get("rows", [])]
    text = json.dumps({**head, "rows": []}, ensure_ascii=False, default=str)
    assert text.endswith("[]}")
    write_text_atomically(data_dir() / RECOVERY_FILE, text[:-2] + ",".join(rows) + "]}")


def load_recovery() -> dict[str, Any] | None:
    """The last autosave, or None when there is none or it cannot be read."""
    path = data_dir() / RECOVERY_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.warning("Recovery file %s could not be read", path)
        return None
    return data if isinstance(data, dict) else None


def clear_recovery() -> None:
    (data_dir() / RECOVERY_FILE).unlink(missing_ok=True)
