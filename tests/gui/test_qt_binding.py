"""The Qt binding must not lose references to Python's own objects.

PySide6 6.12.0 dropped a reference to True at every signal emitted from Python, and two to None at
every filter change, so a long session (or this test suite) drained them until the interpreter
aborted or crashed in garbage collection. pyproject.toml excludes that release; this test keeps any
later release with the same fault out, whatever pip picks.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QSortFilterProxyModel, Signal
from pytestqt.qtbot import QtBot

REPEATS = 300


class Emitter(QObject):
    told = Signal(object)


def references_lost(thing: object, action: Callable[[], object]) -> int:
    gc.collect()
    before = sys.getrefcount(thing)
    for _ in range(REPEATS):
        action()
    gc.collect()
    return before - sys.getrefcount(thing)


def test_emitting_a_signal_keeps_true_alive(qtbot: QtBot) -> None:
    emitter = Emitter()
    heard: list[object] = []
    emitter.told.connect(heard.append)
    lost = references_lost(True, lambda: emitter.told.emit([1, 2]))
    assert len(heard) == REPEATS
    assert lost < REPEATS // 10, f"{lost} references to True lost in {REPEATS} emits"


def test_a_filter_change_keeps_none_alive(qtbot: QtBot) -> None:
    proxy = QSortFilterProxyModel()

    def change() -> None:
        proxy.beginFilterChange()
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    lost = references_lost(None, change)
    assert lost < REPEATS // 10, f"{lost} references to None lost in {REPEATS} filter changes"
