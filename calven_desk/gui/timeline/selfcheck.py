"""The self-test's Timeline check: the submitted sample roster laid out and drawn, offscreen.

It proves in the bundle what the tests prove in a checkout: every row with dates gets a bar with its
table row's word and colour, the people-away count covers the days booked, and the picture renders.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QApplication

from calven_desk.calven.row_status import row_state
from calven_desk.gui.timeline.render import render
from calven_desk.roster.document import RosterDocument

Check = Callable[[str, bool, str], None]
Wait = Callable[[object, float], bool]


def check_timeline(window: Any, check: Check, wait: Wait) -> None:
    """Through the window's own Timeline tab, as a person would open it (View > Timeline)."""
    document: RosterDocument = window.document
    page = window.timeline.page
    window.timeline.show_timeline()
    laid_out = wait(page.laid_out, 30)
    layout = page.view.layout_
    check(
        "Timeline tab lays out the sample roster",
        laid_out and bool(layout.lanes),
        page.status.text(),
    )
    wrong = [
        str(row.check.row)
        for row in document.rows
        if (bar := layout.by_row.get(row.check.row)) is not None
        and (bar.source.word, bar.source.colour) != ((state := row_state(row)).word, state.colour)
    ]
    check(
        "Timeline bars carry their rows' words and colours",
        laid_out and not wrong,
        ", ".join(wrong),
    )
    check("Timeline counts people away", max(layout.away, default=0) > 0, "")
    image, people = render(layout, QApplication.palette(), QApplication.font(), date.today())
    check(
        "Timeline picture renders",
        not image.isNull() and people == len(layout.lanes) > 0,
        f"{image.width()}x{image.height()}",
    )
    window.timeline.show_table()
