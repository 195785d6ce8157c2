"""Row colours for each result, in a light and a dark set, each readable with the palette's text.

Each result has its own hue as well as its own lightness (green accepted, amber code 1, magenta
code 2, violet code 3, red for a code Calven Desk does not know, blue while sending, grey not sent),
so two results never differ by lightness alone; and each keeps its word in the Status column, so
colour is never the only signal. tests/gui/test_look.py measures every row colour against the text
of both themes (4.5:1, WCAG 2.2 AA) and the outlines against every row colour (3:1).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from calven_desk.gui.look.contrast import TEXT, mix, readable

LIGHT = {
    "accepted": "#bfe5c0",
    "code1": "#ffd9a0",
    "code2": "#f0bde8",
    "code3": "#cfc4f5",
    "unknown_code": "#f6b0b6",
    "not_sent": "#d4d4d4",
    "sending": "#bfdcf5",
    "invalid": "",
    "warning": "",
    "ready": "",
    "skipped": "",
}
DARK = {
    "accepted": "#1e5226",
    "code1": "#5e4100",
    "code2": "#5e1f57",
    "code3": "#3b2f78",
    "unknown_code": "#7a1f1f",
    "not_sent": "#3d3d3d",
    "sending": "#17466e",
    "invalid": "",
    "warning": "",
    "ready": "",
    "skipped": "",
}
ERROR_OUTLINE = {"light": "#b3261e", "dark": "#ff6b6b"}
WARNING_OUTLINE = {"light": "#9a5700", "dark": "#ffc04d"}

#: What each colour means, for the legend (colour is never the only signal: the word says it too).
LEGEND = [
    ("accepted", "Accepted: Calven answered result code 0 (green)"),
    ("code1", "Rejected (code 1): Calven answered result code 1; see its message (amber)"),
    ("code2", "Rejected (code 2): Calven answered result code 2; see its message (magenta)"),
    ("code3", "Rejected (code 3): Calven answered result code 3; see its message (violet)"),
    ("unknown_code", "Rejected with another code, one Calven Desk does not know (red)"),
    ("not_sent", "Not sent: network or sign-in trouble, or stopped; try again (grey)"),
    ("sending", "Sending…: on its way to Calven now (blue)"),
]


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def row_colour(key: str, palette: QPalette) -> QColor | None:
    table = DARK if is_dark(palette) else LIGHT
    value = table.get(key, "")
    return QColor(value) if value else None


def background(key: str, palette: QPalette) -> QColor:
    """What a row of this colour key is drawn on: its colour, or the table's own background."""
    return row_colour(key, palette) or palette.color(QPalette.ColorRole.Base)


def outline(severity: str, palette: QPalette) -> QColor:
    theme = "dark" if is_dark(palette) else "light"
    return QColor((ERROR_OUTLINE if severity == "error" else WARNING_OUTLINE)[theme])


def dimmed_text(palette: QPalette, key: str = "ready") -> QColor:
    """Text that looks quieter than the rest (rows set aside, say) yet still reads at 4.5:1 on the
    row's background: the palette's text moved towards the background only as far as the rule
    allows. Dim a row with this, never with the disabled colour (1.5:1 on white)."""
    behind = background(key, palette)
    text = palette.color(QPalette.ColorRole.Text)
    return readable(mix(text, behind, 0.5), behind, TEXT)
