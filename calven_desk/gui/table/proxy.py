"""The roster table's filter (All, Problems, Ready, ...), search and sort, in the person's language.

The rows' order is worked out ahead from prepared keys (gui/table/order.py), never by Qt calling
back into Python per row; this module says how text is compared.
"""

from __future__ import annotations

from PySide6.QtCore import QCollator, QLocale, Qt

from calven_desk.gui.table.order import Index, ViewOrderProxy

__all__ = ["Index", "RosterFilter", "name_collator"]


def name_collator(locale: QLocale | None = None) -> QCollator:
    """Compares text the way the person's language sorts it: Åsa with the A's in English, after Z
    in Swedish; Ölund among the O's in German. The C locale (no language chosen, as on build
    servers) would compare code points, which puts every accented name after Z, so it sorts as
    English does instead."""
    chosen = locale if locale is not None else QLocale()
    if chosen.language() == QLocale.Language.C:
        chosen = QLocale(QLocale.Language.English)
    collator = QCollator(chosen)
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return collator


class RosterFilter(ViewOrderProxy):
    """The window's proxy: filter mode, search text and sort column over the roster's rows."""

    def __init__(self, locale: QLocale | None = None) -> None:
        super().__init__(name_collator(locale))
