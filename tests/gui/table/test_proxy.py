"""The table sorts text the way the person's language does, not by character codes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QStandardItemModel
from pytestqt.qtbot import QtBot

from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.table.proxy import RosterFilter, name_collator
from tests.gui.conftest import open_and_wait
from tests.roster.files import write_csv

NAMES = ["Zoë Adams", "ölund@example.com", "Åsa Berg", "bob@example.com", "Oona"]


def sorted_names(locale: QLocale) -> list[str]:
    model = QStandardItemModel(len(NAMES), 3)
    for row, name in enumerate(NAMES):
        model.setData(model.index(row, 2), name)
    proxy = RosterFilter(locale)
    proxy.setSourceModel(model)
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    return [proxy.index(row, 2).data() for row in range(proxy.rowCount())]


def test_english_sorts_accented_names_with_their_letter(qtbot: QtBot) -> None:
    assert sorted_names(QLocale("en_GB")) == [
        "Åsa Berg",
        "bob@example.com",
        "ölund@example.com",
        "Oona",
        "Zoë Adams",
    ]


def test_swedish_sorts_å_and_ö_after_z(qtbot: QtBot) -> None:
    assert sorted_names(QLocale("sv_SE")) == [
        "bob@example.com",
        "Oona",
        "Zoë Adams",
        "Åsa Berg",
        "ölund@example.com",
    ]


def test_no_language_chosen_sorts_as_english_not_by_code_point(qtbot: QtBot) -> None:
    assert sorted_names(QLocale.c()) == sorted_names(QLocale("en_US"))
    assert name_collator(QLocale.c()).compare("Åsa", "Bob") < 0


def emails_in_view(window: MainWindow) -> list[str]:
    column = window.model.field_column("email")  # type: ignore[union-attr]
    return [window.proxy.index(row, column).data() for row in range(window.proxy.rowCount())]


def test_the_window_sorts_by_a_column_and_resorts_after_edits_and_new_rows(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.proxy.collator = name_collator(QLocale("en_GB"))
    roster = write_csv(
        tmp_path / "names.csv",
        [
            ["Email", "Start", "End"],
            ["zoe.adams@example.com", "2030-01-01", "2030-01-02"],
            ["åsa.berg@example.com", "2030-01-01", "2030-01-02"],
            ["bob.cole@example.com", "2030-01-01", "2030-01-02"],
        ],
    )
    open_and_wait(qtbot, window, roster)
    assert window.model is not None
    email = window.model.field_column("email")
    window.table.sortByColumn(email, Qt.SortOrder.AscendingOrder)
    assert emails_in_view(window) == [
        "åsa.berg@example.com",
        "bob.cole@example.com",
        "zoe.adams@example.com",
    ]
    # An edit changes what the column holds; the next sort puts the row where it now belongs.
    window.model.setData(window.model.index(0, email), "adam.zoe@example.com")
    window.add_row()
    window.table.sortByColumn(email, Qt.SortOrder.DescendingOrder)
    assert emails_in_view(window) == [
        "bob.cole@example.com",
        "åsa.berg@example.com",
        "adam.zoe@example.com",
        "",
    ]
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [window.proxy.index(row, 0).data() for row in range(4)] == [2, 3, 4, 5]


def test_deleting_and_undoing_keeps_a_sorted_table_sorted(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    letters = "zcqkmbeh"
    roster = write_csv(
        tmp_path / "letters.csv",
        [["Email", "Start", "End"]]
        + [[f"{letter}@example.com", "2030-01-01", "2030-01-02"] for letter in letters],
    )
    open_and_wait(qtbot, window, roster)
    assert window.model is not None
    email = window.model.field_column("email")
    window.table.sortByColumn(email, Qt.SortOrder.AscendingOrder)
    in_order = [f"{letter}@example.com" for letter in sorted(letters)]
    assert emails_in_view(window) == in_order
    window.table.selectRow(0)
    window.delete_rows()
    assert emails_in_view(window) == in_order[1:]
    window.table.selectRow(2)
    window.delete_rows()
    assert emails_in_view(window) == in_order[1:3] + in_order[4:]
    window.table.sortByColumn(email, Qt.SortOrder.AscendingOrder)
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert emails_in_view(window) == in_order


def test_deleting_rows_while_a_search_filters_the_table(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    roster = write_csv(
        tmp_path / "search.csv",
        [["Email", "Start", "End"]]
        + [[f"{name}@example.com", "2030-01-01", "2030-01-02"] for name in ("ana", "anton", "bo")],
    )
    open_and_wait(qtbot, window, roster)
    window.search.setText("an")
    assert window.proxy.rowCount() == 2
    window.table.selectRow(0)
    window.delete_rows()
    assert window.proxy.rowCount() == 1
    window.act_undo.trigger()
    assert window.proxy.rowCount() == 2
    window.search.clear()
    assert window.proxy.rowCount() == 3
