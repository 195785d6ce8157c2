"""The person's settings: date order, batch size, timeouts, CA bundle, journal retention, recent files,
the window's theme."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from calven_desk.roster import DateOrder, OrderChoices
from calven_desk.store.atomic import write_text_atomically
from calven_desk.store.paths import config_dir

log = logging.getLogger("calven_desk.store")

SETTINGS_FILE = "settings.json"
MAX_RECENT = 10
#: Answers to "which way round are the dates?" kept, one per shape of file (its columns).
MAX_DATE_ORDERS = 50
DATE_ORDERS = ("dmy", "mdy")
#: Calven documents no batch limit for time off; its presence endpoint takes 100, so 100 is the
#: default and the ceiling unless a person raises it here.
DEFAULT_BATCH_SIZE = 100
#: The window's themes (View > Theme).
THEMES = ("system", "light", "dark")


@dataclass(slots=True)
class Settings:
    #: "dmy" or "mdy" for every file whose own dates do not show the order; None: the file's rows
    #: decide, else the window asks (and the command line stops).
    date_order: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    parallel: int = 4
    timeout_seconds: float = 30.0
    max_retries: int = 5
    ca_bundle: str | None = None
    journal_retention_days: int = 90
    recent_files: list[str] = field(default_factory=list)
    last_profile: str | None = None
    #: Calven's user list is fetched again once it is older than this (issue 12).
    directory_max_age_hours: int = 24
    #: The order the person chose for files of each shape (roster.shape_key: their columns), most
    #: recent last; it comes before `date_order`.
    date_orders: dict[str, str] = field(default_factory=dict)
    #: The window's look: "system" (the computer's own), "light" or "dark" (View > Theme).
    theme: str = "system"
    #: Send absences shorter than half a day (a 2-hour appointment) as whole days, with a warning,
    #: rather than skip them: for teams that want every absence in Calven (issue 24).
    send_short_absences: bool = False
    #: How long a send waits for another send to the same Calven (a scheduled job, another
    #: window) to finish before saying who is sending.
    sender_wait_seconds: float = 10.0

    def remember_file(self, path: str) -> None:
        self.recent_files = [path, *[p for p in self.recent_files if p != path]][:MAX_RECENT]

    def order_choices(self) -> OrderChoices:
        """What these settings say about the day/month order, for `check_table`."""
        return OrderChoices(
            remembered={shape: DateOrder(order) for shape, order in self.date_orders.items()},
            configured=DateOrder(self.date_order) if self.date_order else None,
        )

    def remember_date_order(self, shape: str, order: str) -> None:
        """Keep the person's answer for files of this shape (the oldest answers go past 50)."""
        self.date_orders.pop(shape, None)
        self.date_orders[shape] = order
        while len(self.date_orders) > MAX_DATE_ORDERS:
            del self.date_orders[next(iter(self.date_orders))]

    def problems(self) -> list[str]:
        """Values a person could have typed that the app cannot use, as sentences."""
        found = []
        remembered = self.date_orders.values() if isinstance(self.date_orders, dict) else [""]
        if self.date_order not in (None, *DATE_ORDERS) or any(
            order not in DATE_ORDERS for order in remembered
        ):
            found.append("Date order must be day-first (dmy) or month-first (mdy).")
        if not 1 <= self.batch_size <= 1000:
            found.append("Batch size must be between 1 and 1000 rows.")
        if not 1 <= self.parallel <= 16:
            found.append("Parallel requests must be between 1 and 16.")
        if not 0 <= self.max_retries <= 20:
            found.append("Retries must be between 0 and 20.")
        if not 1 <= self.timeout_seconds <= 600:
            found.append("The timeout must be between 1 and 600 seconds.")
        if self.ca_bundle and not Path(self.ca_bundle).is_file():
            found.append(f"The certificate file {self.ca_bundle} does not exist.")
        if not 1 <= self.journal_retention_days <= 3650:
            found.append("Journal retention must be between 1 and 3650 days.")
        if not 1 <= self.directory_max_age_hours <= 24 * 90:
            found.append("The user list must be refreshed at least every 90 days (2160 hours).")
        if self.theme not in THEMES:
            found.append("The theme must be system, light or dark.")
        if not 0 <= self.sender_wait_seconds <= 600:
            found.append("The wait for another send must be between 0 and 600 seconds.")
        return found


#: What each saved value must be: a hand-edited 2.5 for `parallel` or `true` for `batch_size`
#: would otherwise pass the range checks and fail deep inside a run.
_KINDS: dict[str, tuple[type, ...]] = {
    "date_order": (str, type(None)),
    "batch_size": (int,),
    "parallel": (int,),
    "timeout_seconds": (int, float),
    "max_retries": (int,),
    "ca_bundle": (str, type(None)),
    "journal_retention_days": (int,),
    "recent_files": (list,),
    "last_profile": (str, type(None)),
    "directory_max_age_hours": (int,),
    "date_orders": (dict,),
    "theme": (str,),
    "send_short_absences": (bool,),
    "sender_wait_seconds": (int, float),
}


def _is_kind(value: object, kinds: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in kinds:
        return False  # `true` is an int to Python, never a number a person meant
    if not isinstance(value, kinds):
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    return not isinstance(value, list) or all(isinstance(item, str) for item in value)


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def load_settings() -> Settings:
    """The saved settings; a missing, corrupt or outdated file gives defaults rather than a crash."""
    path = settings_path()
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError):
        log.warning("Settings file %s could not be read; using defaults", path)
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {f.name for f in fields(Settings)}
    wrong_kind = [k for k, v in raw.items() if k in _KINDS and not _is_kind(v, _KINDS[k])]
    try:
        settings = Settings(**{k: v for k, v in raw.items() if k in known})
        unusable = [p for p in settings.problems() if "certificate file" not in p] + wrong_kind
    except TypeError:  # a value of the wrong kind, e.g. "four" for parallel
        unusable = ["wrong kind of value"]
    if unusable:
        log.warning("Settings file %s holds unusable values (%s); using defaults", path, unusable)
        return Settings()
    return settings


def save_settings(settings: Settings) -> None:
    write_text_atomically(settings_path(), json.dumps(asdict(settings), indent=2))
