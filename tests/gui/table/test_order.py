"""The table's precomputed order: sorting, filtering, mapping rows both ways, and what follows a row.

Small rosters are ordered at once; the tests marked "in the background" make every roster count
as large, so the keys, the order and the cross-row pass come from worker threads as they do on
50,000 rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QLocale, Qt
from PySide6.QtGui import QStandardItemModel
from pytestqt.qtbot import QtBot

from calven_desk.calven.outcomes import Outcome, RowOutcome
from calven_desk.calven.row_status import count_rows
from calven_desk.calven.sandbox import Sandbox
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.table import model as table_model
from calven_desk.gui.table.model import Role
from calven_desk.gui.table.order import ViewOrderProxy
from calven_desk.gui.table.proxy import RosterFilter, name_collator
from calven_desk.gui.table.sizing import sample_rows
from calven_desk.gui.window import files, sending
from calven_desk.roster import document
from tests.gui.conftest import open_and_wait
from tests.gui.test_window import open_for_a_slow_run
from tests.roster.files import write_csv

EMAILS = [
    "zoe@example.com",
    "ana@example.com",
    "Bo@example.com",
    "ana@example.com",
    "bo@example.com",
]


def roster(tmp_path: Path, emails: list[str]) -> Path:
    return write_csv(
        tmp_path / "people.csv",
        [["Email", "Start", "End"]] + [[e, "2030-01-01", "2030-01-02"] for e in emails],
    )


def column_in_view(proxy: ViewOrderProxy, column: int) -> list[object]:
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def plain_model(values: list[object]) -> QStandardItemModel:
    model = QStandardItemModel(len(values), 2)
    for row, value in enumerate(values):
        model.setData(model.index(row, 0), value)
        model.setData(model.index(row, 1), f"file row {row}")
    return model


def test_numbers_sort_as_numbers_and_equal_text_keeps_file_order_both_ways(qtbot: QtBot) -> None:
    proxy = RosterFilter(QLocale("en_GB"))
    proxy.setSourceModel(plain_model([10, 9, 100, "b", "B", "a"]))
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert column_in_view(proxy, 0) == [9, 10, 100, "a", "b", "B"]
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    # "b" and "B" collate as equal: they keep their file order descending too, as Qt's stable sort did.
    assert column_in_view(proxy, 0) == ["b", "B", "a", 100, 10, 9]


def test_rows_map_to_the_source_and_back_through_the_order(qtbot: QtBot) -> None:
    model = plain_model(["c", "a", "b"])
    proxy = RosterFilter()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert proxy.source_rows() == [1, 2, 0]
    for row in range(3):
        index = proxy.index(row, 1)
        source = proxy.mapToSource(index)
        assert source.row() == proxy.source_rows()[row]
        assert proxy.mapFromSource(source) == index
        assert index.data() == f"file row {source.row()}"
    proxy.set_search("file row 2")
    assert proxy.source_rows() == [2]
    assert not proxy.mapFromSource(model.index(0, 0)).isValid()


def test_filters_and_search_show_the_rows_they_name(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, roster(tmp_path, [*EMAILS, "not-an-email"]))
    assert window.model is not None
    email = window.model.field_column("email")
    window.set_filter("Problems")  # the duplicate "ana" and the bad address
    assert sorted(map(str, column_in_view(window.proxy, email))) == [
        "ana@example.com",
        "not-an-email",
    ]
    window.set_filter("Ready")
    assert "not-an-email" not in column_in_view(window.proxy, email)
    window.set_filter("All")
    window.search.setText("BO@")
    assert column_in_view(window.proxy, email) == ["Bo@example.com", "bo@example.com"]
    window.search.setText("Needs fixing")  # the status column's words are searched too
    assert column_in_view(window.proxy, email) == ["ana@example.com", "not-an-email"]
    window.search.clear()
    assert window.proxy.rowCount() == 6


def test_the_selection_and_current_cell_follow_their_rows_when_resorted(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, roster(tmp_path, EMAILS))
    assert window.model is not None
    email = window.model.field_column("email")
    zoe = window.proxy.index(0, email)
    window.table.setCurrentIndex(zoe)
    window.table.selectionModel().select(
        window.proxy.index(2, email), QItemSelectionModel.SelectionFlag.Select
    )
    window.table.sortByColumn(email, Qt.SortOrder.AscendingOrder)
    assert window.table.currentIndex().data() == "zoe@example.com"
    assert window.table.currentIndex().row() == 4
    selected = {i.data() for i in window.table.selectionModel().selectedIndexes()}
    assert selected == {"zoe@example.com", "Bo@example.com"}
    assert window.selected_rows() == [2, 4]  # sheet rows of zoe and Bo, in file order


def test_an_edit_while_sorted_stays_in_place_until_the_next_sort(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, roster(tmp_path, EMAILS))
    assert window.model is not None
    email = window.model.field_column("email")
    window.table.sortByColumn(email, Qt.SortOrder.AscendingOrder)
    first = window.proxy.index(0, email)
    assert window.proxy.setData(first, "zz@example.com")
    assert column_in_view(window.proxy, email)[0] == "zz@example.com"
    assert window.proxy.index(0, 1).data(Role.COLOUR_KEY) == "ready"  # no longer a duplicate
    window.table.sortByColumn(email, Qt.SortOrder.AscendingOrder)
    assert column_in_view(window.proxy, email)[-1] == "zz@example.com"


def test_columns_are_sized_from_a_sample_of_rows() -> None:
    assert sample_rows(5) == [0, 1, 2, 3, 4]
    sample = sample_rows(50_000, 120)
    assert len(sample) == 120 and sample[:60] == list(range(60)) and sample[-1] > 49_000


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every roster counts as large: keys, order, the edited rows' checks, the cross-row pass,
    autosave and the run's plan go to workers."""
    monkeypatch.setattr(table_model, "BACKGROUND_ROWS", 1)
    monkeypatch.setattr(files, "BACKGROUND_ROWS", 1)
    monkeypatch.setattr(sending, "BACKGROUND_ROWS", 1)
    monkeypatch.setattr(document, "RECHECK_LATER", 0)  # every edit's check waits for the pass


def wait_until_settled(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: not window.proxy.busy() and window.model is not None and not window.model.checking,
        timeout=20_000,
    )


def test_in_the_background_sorting_filtering_and_the_cross_row_pass_catch_up(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, large: None
) -> None:
    window.proxy.background_rows = 1
    window.proxy.collator = name_collator(QLocale("sv_SE"))
    open_and_wait(qtbot, window, roster(tmp_path, [*EMAILS, "åsa@example.com"]))
    wait_until_settled(qtbot, window)
    assert window.model is not None and window.document is not None
    assert window.document.defer_cross
    email = window.model.field_column("email")
    with qtbot.waitSignal(window.proxy.caught_up, timeout=20_000):
        window.table.sortByColumn(email, Qt.SortOrder.AscendingOrder)
    assert column_in_view(window.proxy, email)[-1] == "åsa@example.com"  # after z in Swedish
    with qtbot.waitSignal(window.proxy.caught_up, timeout=20_000):
        window.search.setText("ana")
    assert window.proxy.rowCount() == 2
    window.search.clear()
    wait_until_settled(qtbot, window)
    # An edit makes zoe (sheet row 2) an ana: the first ana (row 3) is now the duplicate. The
    # pass in the worker finds it; the status and the counts follow.
    zoe, first_ana = window.document.index_of(2), window.document.index_of(3)
    assert zoe is not None and first_ana is not None
    assert window.model.index(first_ana, 1).data(Role.COLOUR_KEY) == "ready"
    counted = count_rows(window.document.rows)
    before, fixing = counted["problems"], counted["rows"] - counted["ready"]
    window.model.setData(window.model.index(zoe, email), "ana@example.com")
    assert window.model.checking
    assert window.model.index(zoe, email).data() == "ana@example.com"  # shown before its check
    wait_until_settled(qtbot, window)
    assert window.model.index(first_ana, 1).data(Role.COLOUR_KEY) == "invalid"
    assert count_rows(window.document.rows)["problems"] == before + 1  # the first ana now too
    assert f"{fixing + 1} need{'s' if fixing + 1 == 1 else ''} fixing" in window.counts.text()
    window.act_undo.trigger()
    wait_until_settled(qtbot, window)
    assert window.model.index(first_ana, 1).data(Role.COLOUR_KEY) == "ready"
    assert f"{fixing} need{'s' if fixing == 1 else ''} fixing" in window.counts.text()


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def test_the_counts_follow_the_answers_while_a_run_goes_on(
    qtbot: QtBot, window: MainWindow, sandbox: Sandbox, tmp_path: Path, large: None
) -> None:
    release = open_for_a_slow_run(qtbot, window, sandbox, tmp_path, 300)
    assert "accepted" not in window.counts.text()  # no answers yet, so none counted
    finished: list[object] = []
    window.run_finished.connect(finished.append)
    window.submit_all_ready()
    qtbot.waitUntil(lambda: "answers: 50 accepted," in window.counts.text(), timeout=20_000)
    assert not finished  # the run is still going on: the counts did not wait for its end
    release.set()
    qtbot.waitUntil(lambda: bool(finished), timeout=30_000)
    assert "answers: 300 accepted," in window.counts.text()


def test_answers_repaint_only_the_rows_they_answer(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """A batch of a run's answers names its own rows to the view, not every row: on a big
    roster the table then repaints only when an answered row is on screen (issue 10)."""
    emails = [f"person{i:02d}@example.com" for i in range(40)]
    open_and_wait(qtbot, window, roster(tmp_path, emails))
    model, proxy = window.model, window.proxy
    assert model is not None
    window.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # sheet rows 41 down to 2
    qtbot.waitUntil(lambda: not proxy.busy())
    seen: list[tuple[int, int]] = []
    proxy.dataChanged.connect(lambda top, bottom, _roles: seen.append((top.row(), bottom.row())))

    def answer(*sheet_rows: int) -> None:
        model.record_answers(
            [RowOutcome(n, f"E{n}", Outcome.ACCEPTED, 0, "ok") for n in sheet_rows]
        )

    answer(10, 11, 12)  # shown 31st to 29th from the top
    assert seen == [(29, 31)]
    assert [proxy.index(r, 1).data(Role.COLOUR_KEY) for r in (29, 30, 31)] == ["accepted"] * 3
    window.search.setText("person0")  # shows sheet rows 2-11 only
    qtbot.waitUntil(lambda: proxy.rowCount() == 10 and not proxy.busy())
    seen.clear()
    answer(20, 21)  # not shown: nothing to repaint
    assert seen == []
