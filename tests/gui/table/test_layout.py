"""The model's columns come in the order the screen shows them, so a screen reader (which reads
the model's order) announces the columns, and their numbers, as a sighted colleague sees them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.table.column_order import first_order
from calven_desk.gui.table.keys import RowsSnapshot, column_values
from calven_desk.gui.table.layout import column_layout
from calven_desk.gui.table.model import RosterTableModel
from calven_desk.roster import Field
from tests.gui.conftest import open_and_wait
from tests.roster.files import write_csv

#: The name comes last in the file, after the dates and a column never sent.
HEADER = ["Reference", "Leave Type", "Status", "Work Email", "First Day", "Last Day", "Note",
          "Employee Name"]  # fmt: skip
BODY = ["R1", "Annual", "Approved", "ana@example.com", "2030-03-02", "2030-03-03", "x", "Ana"]
WHO_AND_WHEN = ["Row", "Status", "Employee Name (not sent)", "Email", "Start date", "End date",
                "Time-off type", "Event type"]  # fmt: skip
THE_REST = ["Result", "Message", "Event ID", "Note (not sent)", "Result code", "Sent at"]


@pytest.fixture
def reader() -> Iterator[None]:
    """Qt's accessibility on, as a screen reader turns it on: only then does Qt tell its
    accessible table of columns that come, and drop what it remembered of the old ones."""
    was = QAccessible.isActive()
    QAccessible.setActive(True)
    yield
    QAccessible.setActive(was)


def in_model_order(model: RosterTableModel) -> list[str]:
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]


def on_screen(window: MainWindow) -> list[str]:
    model, header = window.model, window.table.horizontalHeader()
    assert model is not None
    return [
        str(model.headerData(header.logicalIndex(v), Qt.Orientation.Horizontal))
        for v in range(header.count())
    ]


def read_aloud(table: QTableView) -> list[tuple[int, str]]:
    """The first row's cells as Qt's accessibility hands them to AT-SPI: each one's column number
    and column title, in the order a screen reader moves through them."""
    interface = QAccessible.queryAccessibleInterface(table)
    assert interface is not None
    said = []
    for child in map(interface.child, range(interface.childCount())):
        cell = child.tableCellInterface() if child.role() == QAccessible.Role.Cell else None
        if cell is not None and cell.rowIndex() == 0:
            titles = [h.text(QAccessible.Text.Name) for h in cell.columnHeaderCells()]
            said.append((cell.columnIndex(), " ".join(titles)))
    return said


def test_the_model_reader_and_screen_share_one_column_order(
    qtbot: QtBot, reader: None, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, write_csv(tmp_path / "odd.csv", [HEADER, BODY]))
    model = window.model
    assert model is not None
    for designed in ([*WHO_AND_WHEN, *THE_REST], [*WHO_AND_WHEN, "In Calven", *THE_REST]):
        assert in_model_order(model) == designed
        assert on_screen(window) == designed
        assert window.columns.visual_order() == first_order(model) == list(range(len(designed)))
        assert not window.table.horizontalHeader().sectionsMoved()
        assert read_aloud(window.table) == list(enumerate(designed))
        model.show_people({2: "Ana Lima"}, {})  # the In Calven column arrives, in its place
    assert model.index(0, model.people_column() or 0).data() == "Ana Lima"


def test_the_sort_keys_read_each_column_as_the_model_shows_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, write_csv(tmp_path / "odd.csv", [HEADER, BODY]))
    model = window.model
    assert model is not None
    model.show_people({2: "Ana Lima"}, {})
    snapshot = RowsSnapshot.of(model.document, model.sending, model.layout, model.people)
    assert snapshot.column_count() == model.columnCount()
    for column in range(2, model.columnCount()):
        shown = model.index(0, column).data()
        assert column_values(snapshot, column) == ["" if shown is None else shown], column


def test_first_and_last_names_lead_and_in_calven_follows_who_and_when() -> None:
    headers = ["Start", "End", "Last Name", "First Name", "User ID", "Days", "Team"]
    fields: list[Field] = ["uid", "startDate", "endDate", "days"]
    layout = column_layout(fields, [2, 3, 6], headers, people=True)
    assert layout.columns == (
        ("row", None),
        ("status", None),
        ("roster", 3),
        ("roster", 2),
        ("field", "uid"),
        ("field", "startDate"),
        ("field", "endDate"),
        ("people", None),
        ("result", 0),
        ("result", 2),
        ("field", "days"),
        ("roster", 6),
        ("result", 1),
        ("result", 3),
    )
    assert (layout.people, layout.field_at["days"], layout.source_of[11]) == (7, 10, 6)
    without = column_layout(fields, [2, 3, 6], headers, people=False)
    assert [c for c in layout.columns if c.kind != "people"] == list(without.columns)


def test_a_sorted_column_stays_sorted_when_in_calven_arrives_before_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    rows = [[f"R{i}", "Annual", "Approved", f"{n}@example.com", "2030-03-02", "2030-03-03", n, n]
            for i, n in enumerate(["cy", "al", "bo"])]  # fmt: skip
    open_and_wait(qtbot, window, write_csv(tmp_path / "r.csv", [HEADER, *rows]))
    model, proxy = window.model, window.proxy
    assert model is not None
    note = next(c for c, kind in enumerate(model.layout.columns) if kind == ("roster", 6))
    window.table.sortByColumn(note, Qt.SortOrder.AscendingOrder)

    def notes() -> list[str]:
        column = next(c for c, kind in enumerate(model.layout.columns) if kind == ("roster", 6))
        return [proxy.index(r, column).data() for r in range(proxy.rowCount())]

    qtbot.waitUntil(lambda: notes() == ["al", "bo", "cy"])
    model.show_people({2: "Ana Lima"}, {})
    assert proxy.sort_column == note + 1
    assert window.table.horizontalHeader().sortIndicatorSection() == note + 1
    proxy.sort(proxy.sort_column, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: notes() == ["cy", "bo", "al"])
