"""What keeps the window answering on a big roster gives the same answers as the slow way did:
the one-call-per-cell `multiData`, the collated sort made in short pieces, and background jobs
taking turns (issue 10)."""

from __future__ import annotations

import threading
import time
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QCollator, QLocale, QModelRoleData, QModelRoleDataSpan, Qt
from pytestqt.qtbot import QtBot

from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.table import keys as row_keys
from calven_desk.gui.table.model import Role
from calven_desk.gui.table.proxy import name_collator
from calven_desk.gui.threads.workers import Worker, python_lane, start_detached
from tests.gui.conftest import open_and_wait
from tests.roster.files import write_csv

ROLES = [
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.EditRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.FontRole,
    Role.SEVERITY,
    Role.COLOUR_KEY,
    Role.FIELD,
]


def test_multidata_answers_each_role_as_data_does(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "people.csv",
        [
            ["Email", "Start", "End", "Note"],
            ["ana@example.com", "2030-01-01", "2030-01-02", "kept"],
            ["not an email", "2030-01-05", "2030-01-01", ""],
            ["ana@example.com", "2030-01-01", "2030-01-02", "twice"],
        ],
    )
    open_and_wait(qtbot, window, path)
    proxy = window.proxy
    compared = 0
    for row in range(proxy.rowCount()):
        for column in range(proxy.columnCount()):
            index = proxy.index(row, column)
            for role in ROLES:
                wanted = QModelRoleData(int(role))
                proxy.multiData(index, QModelRoleDataSpan(wanted))
                assert wanted.data() == proxy.data(index, role), (row, column, role)
                compared += 1
            icon = QModelRoleData(int(Qt.ItemDataRole.DecorationRole))
            proxy.multiData(index, QModelRoleDataSpan(icon))
            plain = proxy.data(index, Qt.ItemDataRole.DecorationRole)
            assert (icon.data() is None) == (plain is None)
    assert compared == proxy.rowCount() * proxy.columnCount() * len(ROLES)
    assert any(
        proxy.data(proxy.index(r, c), Role.SEVERITY) == "error"
        for r in range(proxy.rowCount())
        for c in range(proxy.columnCount())
    )  # the comparison covered a marked cell too


TEXTS = [
    "Zoë",
    "zoe",
    "ZOE",
    "Ölund",
    "olund",
    "Åsa",
    "asa",
    "éclair",
    "Eclair",
    "eclair",
    "o'brien",
    "O Brien",
    "Ærø",
    "",
    "b2",
    "b10",
    "Bo",
    "bo",
    "ana",
    "Ana",
]


@pytest.mark.parametrize("locale", ["en_GB", "sv_SE", "de_DE"])
def test_collated_in_pieces_is_the_collated_order(
    monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    monkeypatch.setattr(row_keys, "COLLATED_CHUNK", 3)
    collator = name_collator(QLocale(locale))
    keys = {text: collator.sortKey(text) for text in TEXTS}
    in_pieces = row_keys.collated(TEXTS, keys)
    assert sorted(in_pieces) == sorted(TEXTS)
    for before, after in pairwise(in_pieces):
        assert collator.compare(before, after) <= 0, (before, after)


def test_ranks_are_the_same_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    collator = QCollator(QLocale("fr_FR"))
    values: list[object] = [*TEXTS, 12, 3, None, *reversed(TEXTS)]
    whole = row_keys.rank_values(values, collator)
    monkeypatch.setattr(row_keys, "COLLATED_CHUNK", 2)
    assert row_keys.rank_values(values, collator) == whole
    assert whole[TEXTS.index("ana")] == whole[len(values) - 1 - TEXTS.index("ana")]


def test_background_jobs_take_turns_in_the_python_lane(qtbot: QtBot) -> None:
    """Short Python-heavy jobs (`quiet` workers, the plain threads in `python_lane`) never run
    side by side: each busy thread beside the window slows every paint (issue 10)."""
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def busy(_worker: object = None) -> None:
        began = time.perf_counter()
        time.sleep(0.05)  # holds the lane as a Python loop would
        with lock:
            spans.append((began, time.perf_counter()))

    def in_lane() -> None:
        with python_lane():
            busy()

    workers = [Worker(busy, ()) for _ in range(3)]
    finished: list[object] = []
    for worker in workers:
        worker.done.connect(finished.append)
    threads = [threading.Thread(target=in_lane) for _ in range(2)]
    for worker in workers:
        start_detached(worker)
    for thread in threads:
        thread.start()
    qtbot.waitUntil(lambda: len(finished) == 3 and len(spans) == 5, timeout=5000)
    for thread in threads:
        thread.join()
    spans.sort()
    assert all(end <= next_began for (_, end), (next_began, _) in pairwise(spans))
