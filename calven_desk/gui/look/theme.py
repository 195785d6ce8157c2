"""View > Theme: System, Light or Dark for the whole application, with the focus ring in each.

Light and Dark are Fusion with the palettes of `palettes.py` (the same on every platform, and
measured); System is the platform's own style and colours, with any text that would not read on its
background nudged until it does. Where Qt can tell the platform (6.8 and later), it is asked for the
matching colour scheme too, so title bars and native dialogs follow.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from calven_desk.gui.look.focus import FocusRing, FocusRingStyle
from calven_desk.gui.look.palettes import palette, repair

#: The choices, as settings.json keeps them, and their names in the menu.
THEMES = {"system": "&System", "light": "&Light", "dark": "&Dark"}


class _Platform:
    """What the platform gave before any theme was applied (its style's name), the focus ring,
    and the theme applied last."""

    style: str | None = None
    ring: FocusRing | None = None
    applied: str | None = None


def apply_theme(theme: str, app: QApplication | None = None) -> str:
    """Make `theme` ("system", "light" or "dark"; anything else is "system") the application's
    look; returns the theme applied. Cheap when it is already the one applied."""
    found = app or QApplication.instance()
    if not isinstance(found, QApplication):
        return "system"
    theme = theme if theme in THEMES else "system"
    if _Platform.style is None:
        _Platform.style = found.style().name()
        _Platform.ring = FocusRing(found)
    if _Platform.applied == theme:
        return theme
    _ask_colour_scheme(theme)
    base = "Fusion" if theme != "system" else (_Platform.style or "Fusion")
    found.setStyle(FocusRingStyle(QStyleFactory.create(base) or QStyleFactory.create("Fusion")))
    if theme == "system":
        # Back to the platform's own colours (an empty palette resolves to them, and keeps
        # following the platform), unless some text of them would not read.
        found.setPalette(QPalette())
        given = found.palette()
        fixed = repair(given)
        if fixed != given:
            found.setPalette(fixed)
    else:
        found.setPalette(palette(theme))
    _Platform.applied = theme
    if _Platform.ring is not None:
        _Platform.ring.refresh()
    return theme


def applied_theme() -> str | None:
    """The theme applied last (None before the first)."""
    return _Platform.applied


def _ask_colour_scheme(theme: str) -> None:
    hints = QGuiApplication.styleHints()
    choose = getattr(hints, "setColorScheme", None)  # Qt 6.8 and later
    if choose is None:
        return
    scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}
    choose(scheme.get(theme, Qt.ColorScheme.Unknown))
