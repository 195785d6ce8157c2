"""Row colours for each result, in a light and a dark set, both readable with the palette's text colour."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

LIGHT = {
    "accepted": "#cdeccd",
    "code1": "#ffe2b8",
    "code2": "#f6cfe0",
    "code3": "#ddd3fb",
    "unknown_code": "#f7c6c6",
    "not_sent": "#dedede",
    "sending": "#d3e6f8",
    "invalid": "",
    "warning": "",
    "ready": "",
}
DARK = {
    "accepted": "#1f4d24",
    "code1": "#5c3d00",
    "code2": "#5b1f3b",
    "code3": "#3a2d6b",
    "unknown_code": "#6e2020",
    "not_sent": "#3b3b3b",
    "sending": "#1e3d5c",
    "invalid": "",
    "warning": "",
    "ready": "",
}
ERROR_OUTLINE = {"light": "#c62828", "dark": "#ff6b6b"}
WARNING_OUTLINE = {"light": "#e08a00", "dark": "#ffc04d"}

#: What each colour means, for the legend (colour is never the only signal: the word says it too).
LEGEND = [
    ("accepted", "Accepted: Calven answered result code 0"),
    ("code1", "Rejected with result code 1 (see Calven's message)"),
    ("code2", "Rejected with result code 2 (see Calven's message)"),
    ("code3", "Rejected with result code 3 (see Calven's message)"),
    ("unknown_code", "Rejected with another code Calven Desk does not know"),
    ("not_sent", "Not sent: network or sign-in trouble, or stopped; try again"),
    ("sending", "Sending now"),
]


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def row_colour(key: str, palette: QPalette) -> QColor | None:
    table = DARK if is_dark(palette) else LIGHT
    value = table.get(key, "")
    return QColor(value) if value else None


def outline(severity: str, palette: QPalette) -> QColor:
    theme = "dark" if is_dark(palette) else "light"
    return QColor((ERROR_OUTLINE if severity == "error" else WARNING_OUTLINE)[theme])
