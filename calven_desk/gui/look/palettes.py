"""The Light and Dark palettes: every text role on the background it is drawn on reads at 4.5:1 at
least (WCAG 2.2 AA), the highlight (selection, focus ring) stands out from the window at 3:1.

`PAIRS` names which text is drawn on which background; tests/gui/test_look.py measures every pair of
both palettes, and `repair` holds a platform's own palette (View > Theme > System) to the same rule.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from calven_desk.gui.look.contrast import NON_TEXT, TEXT, readable

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

LIGHT: dict[Role, str] = {
    Role.Window: "#efefef",
    Role.WindowText: "#111111",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f5f5f5",
    Role.Text: "#111111",
    Role.Button: "#e6e6e6",
    Role.ButtonText: "#111111",
    Role.BrightText: "#ffffff",
    Role.Light: "#ffffff",
    Role.Midlight: "#f4f4f4",
    Role.Mid: "#b4b4b4",
    Role.Dark: "#9d9d9d",
    Role.Shadow: "#6f6f6f",
    Role.Highlight: "#1d5fa6",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#ffffe1",
    Role.ToolTipText: "#111111",
    Role.PlaceholderText: "#6b6b6b",
    Role.Link: "#0b57a6",
    Role.LinkVisited: "#6a2ea3",
}
DARK: dict[Role, str] = {
    Role.Window: "#202124",
    Role.WindowText: "#ececec",
    Role.Base: "#17181a",
    Role.AlternateBase: "#1f2022",
    Role.Text: "#ececec",
    Role.Button: "#303134",
    Role.ButtonText: "#ececec",
    Role.BrightText: "#ffffff",
    Role.Light: "#46474b",
    Role.Midlight: "#3a3b3e",
    Role.Mid: "#5a5b5f",
    Role.Dark: "#141517",
    Role.Shadow: "#000000",
    # Light enough to stand out from the dark window (the focus ring, 5:1), so selected text is
    # dark on it: white on a blue that dark would read at 3:1 only.
    Role.Highlight: "#5b8def",
    Role.HighlightedText: "#111111",
    Role.ToolTipBase: "#303134",
    Role.ToolTipText: "#ececec",
    Role.PlaceholderText: "#9a9a9a",
    Role.Link: "#8ab4f8",
    Role.LinkVisited: "#c58af9",
}
#: Greyed-out text of disabled controls: WCAG exempts inactive controls, but it still reads at 3:1.
DISABLED_TEXT = {"light": "#767676", "dark": "#8e8e8e"}

#: Text roles and the backgrounds they are drawn on.
PAIRS: tuple[tuple[Role, Role], ...] = (
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
    (Role.Link, Role.Base),
    (Role.Link, Role.Window),
)
#: Marks that must be seen (the focus ring, the selection) and what they are drawn beside.
MARKS: tuple[tuple[Role, Role], ...] = ((Role.Highlight, Role.Window), (Role.Highlight, Role.Base))


def palette(theme: str) -> QPalette:
    """The palette of "light" or "dark", the same in active and inactive windows (a selection
    that faded when the window lost focus could no longer be read)."""
    colours = DARK if theme == "dark" else LIGHT
    made = QPalette()
    for group in (Group.Active, Group.Inactive, Group.Disabled):
        for role, value in colours.items():
            made.setColor(group, role, QColor(value))
    disabled = QColor(DISABLED_TEXT["dark" if theme == "dark" else "light"])
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.PlaceholderText):
        made.setColor(Group.Disabled, role, disabled)
    accent = getattr(Role, "Accent", None)  # Qt 6.6 and later: what some styles draw marks in
    if accent is not None:
        for group in (Group.Active, Group.Inactive, Group.Disabled):
            made.setColor(group, accent, made.color(group, Role.Highlight))
    return made


def repair(given: QPalette) -> QPalette:
    """A platform's palette with each text role that does not read on its background nudged until
    it does (Qt's own default, for one, draws white on a blue that reads at 3.6:1), and a highlight
    that does not stand out from the window nudged the same way."""
    fixed = QPalette(given)
    for group in (Group.Active, Group.Inactive):
        for text, background in PAIRS:
            colour = readable(fixed.color(group, text), fixed.color(group, background), TEXT)
            fixed.setColor(group, text, colour)
        for mark, beside in MARKS[:1]:
            colour = readable(fixed.color(group, mark), fixed.color(group, beside), NON_TEXT)
            if colour != fixed.color(group, mark):
                fixed.setColor(group, mark, colour)
                selected = readable(fixed.color(group, Role.HighlightedText), colour, TEXT)
                fixed.setColor(group, Role.HighlightedText, selected)
    return fixed
