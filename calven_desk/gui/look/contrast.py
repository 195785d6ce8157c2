"""Contrast as WCAG 2.2 measures it: text needs 4.5:1 against its background (AA), other marks that
carry meaning (outlines, the focus ring) 3:1. The window's colours are chosen, and tested, by these
numbers rather than by eye: a pale grey that looked "dimmed but fine" measured 1.5:1."""

from __future__ import annotations

from PySide6.QtGui import QColor

#: WCAG 2.2 AA for text (1.4.3) and for the parts of controls and marks a person must see (1.4.11).
TEXT = 4.5
NON_TEXT = 3.0


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """Relative luminance (0 black to 1 white) of an opaque sRGB colour."""
    return (
        0.2126 * _channel(colour.redF())
        + 0.7152 * _channel(colour.greenF())
        + 0.0722 * _channel(colour.blueF())
    )


def contrast(one: QColor, other: QColor) -> float:
    """The contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` (0 to 1) of the way to `b`: what a colour drawn at that opacity over the
    other looks like."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def readable(colour: QColor, background: QColor, minimum: float = TEXT) -> QColor:
    """`colour` if it reads on `background`, else the nearest colour towards black or white (the
    one that can reach the ratio) that does: a muted or dimmed text stays as close to its look as
    the rule allows."""
    if contrast(colour, background) >= minimum:
        return colour
    darker = QColor("black")
    target = (
        darker if contrast(darker, background) >= contrast(QColor("white"), background) else None
    )
    target = target or QColor("white")
    low, high = 0.0, 1.0
    for _ in range(20):  # bisect the amount of the way to black or white
        middle = (low + high) / 2
        if contrast(mix(colour, target, middle), background) >= minimum:
            high = middle
        else:
            low = middle
    return mix(colour, target, high)
