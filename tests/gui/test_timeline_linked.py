"""The Timeline beside a real table: selection both ways, the filter and Search, edits followed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QTableView, QWidget
from pytestqt.qtbot import QtBot

from calven_desk.gui.table.model import RosterTableModel
from calven_desk.gui.table.proxy import RosterFilter
from calven_desk.gui.timeline.linked import LinkedTimeline
from calven_desk.roster import load_roster
from calven_desk.roster.document import RosterDocument
from tests.gui.test_timeline import HEADER, ROWS
from tests.roster.files import write_csv


class Beside:
    """A table and the Timeline side by side, as the window puts them."""

    def __init__(self, path: Path) -> None:
        self.model = RosterTableModel(RosterDocument(load_roster(path)))
        self.proxy = RosterFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.widget = QWidget()
        self.part = LinkedTimeline(self.widget)
        box = QHBoxLayout(self.widget)
        box.addWidget(self.table)
        box.addWidget(self.part.page)

    def current_row(self) -> int:
        source = self.proxy.mapToSource(self.table.currentIndex())
        return self.model.document.rows[source.row()].check.row


@pytest.fixture
def beside(qtbot: QtBot, tmp_path: Path) -> Iterator[Beside]:
    made = Beside(write_csv(tmp_path / "team.csv", [HEADER, *ROWS]))
    qtbot.addWidget(made.widget)
    made.widget.resize(1600, 500)
    made.widget.show()
    with qtbot.waitSignal(made.part.page.laid_out, timeout=10_000):
        made.part.attach(made.model, made.proxy, made.table)
    yield made


def test_clicking_a_bar_makes_its_row_current_in_the_table(qtbot: QtBot, beside: Beside) -> None:
    rect = beside.part.page.view.bar_rect(6)
    assert rect is not None
    qtbot.mouseClick(beside.part.page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert beside.current_row() == 6
    assert beside.part.page.view.selected == 6


def test_a_row_chosen_in_the_table_outlines_its_bar(beside: Beside) -> None:
    index = beside.model.document.index_of(4)
    assert index is not None
    email = beside.model.index(index, beside.model.field_column("email"))
    beside.table.setCurrentIndex(beside.proxy.mapFromSource(email))
    assert beside.part.page.view.selected == 4


def test_enter_on_a_bar_asks_to_go_to_the_row(qtbot: QtBot, beside: Beside) -> None:
    view = beside.part.page.view
    view.select_row(3)
    view.setFocus()
    with qtbot.waitSignal(beside.part.go_to_row, timeout=2_000) as went:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert went.args == [3]


def shown_rows(beside: Beside) -> list[int]:
    return sorted(beside.part.page.view.layout_.by_row)


def test_the_filter_and_search_hide_bars(qtbot: QtBot, beside: Beside) -> None:
    beside.proxy.set_search("ben@")
    qtbot.waitUntil(lambda: shown_rows(beside) == [3, 6], timeout=10_000)
    beside.proxy.set_search("")
    qtbot.waitUntil(lambda: shown_rows(beside) == [2, 3, 4, 5, 6], timeout=10_000)
    index = beside.model.document.index_of(4)
    assert index is not None
    beside.model.setData(beside.model.index(index, beside.model.field_column("email")), "ana@")
    beside.proxy.set_mode("Problems")
    # Row 4 now needs fixing; row 7 too, but its start date cannot be read, so it has no bar.
    qtbot.waitUntil(lambda: shown_rows(beside) == [4], timeout=10_000)
    assert beside.part.page.view.layout_.by_row[4].source.word == "Needs fixing"


def test_an_edit_moves_the_bar(qtbot: QtBot, beside: Beside) -> None:
    layout = beside.part.page.view.layout_
    assert (layout.by_row[3].first, layout.by_row[3].last) == (7, 8)  # 11-12 March
    index = beside.model.document.index_of(3)
    assert index is not None
    column = beside.model.field_column("startDate")
    beside.model.setData(beside.model.index(index, column), "2030-03-09")

    def moved() -> bool:
        bar = beside.part.page.view.layout_.by_row[3]
        return (bar.first, bar.last) == (5, 8)

    qtbot.waitUntil(moved, timeout=10_000)


def test_a_hidden_timeline_catches_up_when_shown(qtbot: QtBot, beside: Beside) -> None:
    page = beside.part.page
    page.hide()
    beside.proxy.set_search("ana@")
    qtbot.wait(400)
    assert sorted(page.view.layout_.by_row) == [2, 3, 4, 5, 6]  # not laid out while hidden
    page.show()
    qtbot.waitUntil(lambda: shown_rows(beside) == [2, 4], timeout=10_000)


def test_the_filters_rows_are_collected_a_slice_at_a_time(
    qtbot: QtBot, beside: Beside, monkeypatch: pytest.MonkeyPatch
) -> None:
    from calven_desk.gui.timeline import linked

    monkeypatch.setattr(linked, "SLICE", 2)
    beside.proxy.set_search("ben@")
    qtbot.waitUntil(lambda: shown_rows(beside) == [3, 6], timeout=10_000)
    beside.proxy.set_search("")
    index = beside.model.document.index_of(4)
    assert index is not None
    beside.model.setData(beside.model.index(index, beside.model.field_column("email")), "ana@")
    beside.proxy.set_mode("Ready")  # four of six rows: two slices of two
    qtbot.waitUntil(lambda: shown_rows(beside) == [2, 3, 5, 6], timeout=10_000)
    beside.proxy.set_mode("All")
    beside.proxy.set_search("okafor")
    beside.proxy.set_search("ana@")  # a change while the last one is being collected wins
    qtbot.waitUntil(lambda: shown_rows(beside) == [2, 4], timeout=10_000)
    qtbot.wait(linked.SETTLE_MS + 200)
    assert shown_rows(beside) == [2, 4]
