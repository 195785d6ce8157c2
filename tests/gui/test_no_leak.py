"""Opening one roster after another frees the one before: a day of rosters must not fill memory."""

from __future__ import annotations

import gc
import sys
import weakref
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from calven_desk.gui.main_window import MainWindow
from tests.gui.conftest import open_and_wait
from tests.roster.files import write_csv


def roster(path: Path, rows: int) -> Path:
    """Large enough for the background passes (cross-row pass, sort keys) to run in workers."""
    return write_csv(
        path,
        [
            ["Email", "Start Date", "End Date", "Leave Type"],
            *(
                [f"person{n}@example.com", "2030-01-02", f"2030-01-0{3 + n % 5}", "Annual"]
                for n in range(rows)
            ),
        ],
    )


def holders(ref: weakref.ref[Any]) -> list[str]:
    """What still holds the object, two steps back (for the message of a failing test)."""
    found: list[str] = []
    target = ref()
    if target is None:
        return found
    here = sys._getframe()
    for holder in gc.get_referrers(target):
        if holder is here or (isinstance(holder, dict) and "qtbot" in holder):
            continue
        outer = [
            f"{type(o).__name__}:{str(o)[:60]}"
            for o in gc.get_referrers(holder)
            if o is not here and not isinstance(o, list | type(here))
        ][:4]
        found.append(f"{type(holder).__name__} {str(holder)[:100]} <- {outer}")
    return found


def idle(qtbot: QtBot, window: MainWindow) -> None:
    model = window.model
    assert model is not None
    qtbot.waitUntil(lambda: not model.checking and not window.busy(), timeout=30_000)
    qtbot.wait(200)  # the comparison with Calven and the Problems panel, started after paint


def test_the_first_roster_is_gone_after_two_more(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, roster(tmp_path / "first.csv", 3000))
    idle(qtbot, window)
    assert window.model is not None and window.document is not None
    email = window.model.field_column("email")  # no name kept for the model: it would hold it
    window.model.setData(window.model.index(0, email), "edited@example.com")  # an undo step too
    window.dirty = False
    first_document = weakref.ref(window.document)
    first_model = weakref.ref(window.model)
    for name in ("second.csv", "third.csv"):
        open_and_wait(qtbot, window, roster(tmp_path / name, 2500))
        idle(qtbot, window)
    qtbot.wait(100)  # deleteLater happens on the event loop's next turn
    gc.collect()
    left = [name for name, ref in (("document", first_document), ("model", first_model)) if ref()]
    assert left == [], [holders(first_document), holders(first_model)]
