"""What a screen reader should say without the focus moving: a run's start, progress and end.

Qt's announcement events (QAccessibleAnnouncementEvent, Qt 6.8) go out on the status bar, the
status area screen readers know, to the platform's accessibility bus (AT-SPI on Linux, UI Automation
on Windows, NSAccessibility on macOS). Progress is said at most every few seconds: a screen reader
that spoke every batch's answers would say nothing else for the whole run.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QStatusBar

#: Progress is announced at most this often.
PROGRESS_EVERY_S = 5.0
#: The announcements kept for `said` (tests and the self-check read them).
KEPT = 50


class Announcer(QObject):
    """Announces on a status bar; `announced` carries each text, for whoever listens in the app."""

    announced = Signal(str)

    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self.status_bar = status_bar
        status_bar.setAccessibleName("Status")
        self.said: list[str] = []
        self._progress_at = 0.0

    def say(self, text: str, assertive: bool = False) -> None:
        """Announce `text` (assertive: at once, interrupting; else after what is being said)."""
        if not text:
            return
        self.said = [*self.said[-(KEPT - 1) :], text]
        self.status_bar.setAccessibleDescription(text)
        event = QAccessibleAnnouncementEvent(self.status_bar, text)
        if assertive:
            event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)
        self.announced.emit(text)

    def progress(self, text: str) -> None:
        """A run's progress: said only if the last progress was said a while ago."""
        now = time.monotonic()
        if now - self._progress_at >= PROGRESS_EVERY_S:
            self._progress_at = now
            self.say(text)

    def started(self, text: str) -> None:
        """A run started: said at once, and progress follows a while after."""
        self._progress_at = time.monotonic()
        self.say(text)
