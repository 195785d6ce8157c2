"""The Timeline page offscreen: where bars are drawn, selection both ways, keyboard, filters, counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from pytestqt.qtbot import QtBot

from calven_desk.gui.table.colours import outline
from calven_desk.gui.timeline.page import TimelinePage
from calven_desk.gui.timeline.rows import document_name_column, timeline_rows
from calven_desk.gui.timeline.view import describe
from calven_desk.roster import load_roster
from calven_desk.roster.document import RosterDocument
from tests.roster.files import write_csv

HEADER = [
    "Employee Name",
    "Work Email",
    "Status",
    "First Day",
    "Last Day",
    "Leave Type",
    "Reference",
]
#: Monday 4 March 2030 is the first day shown: the Monday before the earliest leave.
ROWS = [
    ["Ana Lima", "ana@example.com", "Approved", "2030-03-05", "2030-03-08", "Annual Leave", "R1"],
    ["Ben Okafor", "ben@example.com", "Approved", "2030-03-11", "2030-03-12", "Sick", "R2"],
    ["Ana Lima", "ana@example.com", "Approved", "2030-03-14", "2030-03-15", "Annual Leave", "R3"],
    ["Cy Diaz", "cy@example.com", "Withdrawn", "2030-03-06", "2030-03-06", "", "R4"],
    ["Ben Okafor", "ben@example.com", "Approved", "2030-03-07", "2030-03-08", "Sick", "R5"],
    ["Dee Roe", "dee@example.com", "Approved", "not a date", "2030-03-08", "Sick", "R6"],
]


@pytest.fixture
def document(tmp_path: Path) -> RosterDocument:
    path = write_csv(tmp_path / "team.csv", [HEADER, *ROWS])
    return RosterDocument(load_roster(path))


@pytest.fixture
def page(qtbot: QtBot, document: RosterDocument) -> Iterator[TimelinePage]:
    made = TimelinePage()
    qtbot.addWidget(made)
    made.resize(1000, 500)
    made.show()
    qtbot.waitExposed(made)
    with qtbot.waitSignal(made.laid_out, timeout=10_000):
        made.show_rows(document.rows, document_name_column(document))
    made.view.today = None  # no dashed line across the bars the tests measure
    made.zoom.setCurrentIndex(1)  # a month across
    made.view.horizontalScrollBar().setValue(0)
    made.view.verticalScrollBar().setValue(0)
    yield made


def grab(page: TimelinePage) -> QImage:
    return page.view.viewport().grab().toImage()


def outline_extent(image: QImage, y: int, x: int) -> tuple[int, int]:
    """The columns either side of x on row y that have the same colour as (x, y)."""
    colour = image.pixel(x, y)
    left = right = x
    while left > 0 and image.pixel(left - 1, y) == colour:
        left -= 1
    while right < image.width() - 1 and image.pixel(right + 1, y) == colour:
        right += 1
    return left, right


def test_a_rows_bar_spans_its_days_at_a_known_zoom(page: TimelinePage) -> None:
    view = page.view
    names = view.geometry_().names
    per_day = (view.viewport().width() - names) / 31
    # Row 2 runs Tuesday 5 to Friday 8 March: days 1 to 4 after Monday 4 March, the first day shown.
    left, right = names + round(1 * per_day), names + round(5 * per_day)
    rect = view.bar_rect(2)
    assert rect is not None
    image = grab(page)
    drawn = outline_extent(image, rect.top(), (left + right) // 2)
    assert abs(drawn[0] - left) <= 1 and abs(drawn[1] - (right - 2)) <= 1
    assert view.layout_.lanes[0].name == "Ana Lima"


def test_zooming_to_a_quarter_narrows_the_bar(page: TimelinePage) -> None:
    month = page.view.bar_rect(2)
    page.zoom.setCurrentIndex(3)
    page.view.horizontalScrollBar().setValue(0)
    quarter = page.view.bar_rect(2)
    assert month is not None and quarter is not None
    assert quarter.width() < month.width() / 2


def test_clicking_a_bar_selects_its_row(qtbot: QtBot, page: TimelinePage) -> None:
    rect = page.view.bar_rect(3)
    assert rect is not None
    with qtbot.waitSignal(page.view.row_selected, timeout=2_000) as chosen:
        qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen.args == [3]
    assert page.view.selected == 3


def test_a_row_selected_elsewhere_highlights_its_bar(qtbot: QtBot, page: TimelinePage) -> None:
    highlight = page.view.palette().color(QPalette.ColorRole.Highlight).rgb()
    rect = page.view.bar_rect(6)
    assert rect is not None
    point = QPoint(rect.left() - 2, rect.center().y())
    assert grab(page).pixel(point) != highlight
    with qtbot.assertNotEmitted(page.view.row_selected):
        page.view.select_row(6)
    assert grab(page).pixel(point) == highlight


def test_arrows_move_between_bars_and_enter_goes_to_the_row(
    qtbot: QtBot, page: TimelinePage
) -> None:
    view = page.view
    view.select_row(2)
    view.setFocus()
    with qtbot.waitSignal(view.row_selected, timeout=2_000) as moved:
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert moved.args == [4]  # Ana's next booking
    with qtbot.waitSignal(view.row_selected, timeout=2_000) as moved:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert moved.args == [3]  # Ben's booking nearest to 14 March
    with qtbot.waitSignal(view.row_activated, timeout=2_000) as went:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert went.args == [3]


def test_filtered_out_rows_have_no_bar_and_empty_lanes_go(qtbot: QtBot, page: TimelinePage) -> None:
    with qtbot.waitSignal(page.laid_out, timeout=10_000):
        page.set_visible_rows({2, 4})
    assert page.view.bar_rect(3) is None and page.view.bar_rect(2) is not None
    assert [lane.name for lane in page.view.layout_.lanes] == ["Ana Lima"]
    assert "2 rows shown" in page.status.text()
    with qtbot.waitSignal(page.laid_out, timeout=10_000):
        page.set_visible_rows(None)
    assert page.view.bar_rect(3) is not None


def test_people_away_each_day_of_the_hand_made_roster(page: TimelinePage) -> None:
    # Ana 5-8 and 14-15 March, Ben 7-8 and 11-12; Cy's row is a cancellation and never counts.
    away = page.view.layout_.away
    assert away[:14] == [0, 1, 1, 2, 2, 0, 0, 1, 1, 0, 1, 1, 0, 0]
    assert "Not drawn: 1 row without a readable start and end date" in page.status.text()
    view = page.view
    thursday = QPoint(view.bar_rect(2).left() + round(view.per_day() * 2.5), 5)  # type: ignore[union-attr]
    assert view.away_at(thursday) == "Thu 07 Mar 2030: 2 people away"


def test_hover_tells_the_rows_details(page: TimelinePage) -> None:
    layout = page.view.layout_
    text = describe(layout.by_row[5], layout)
    assert "Row 5: Cy Diaz (cy@example.com)" in text
    assert "Cancellation" in text and "Wed 06 Mar 2030" in text


def test_cancellations_are_hatched(page: TimelinePage) -> None:
    rect = page.view.bar_rect(5)
    assert rect is not None
    image = grab(page)
    row = rect.bottom() - 3
    colours = {image.pixel(x, row) for x in range(rect.left() + 2, rect.right() - 2)}
    assert len(colours) >= 2  # the hatch lines cross the fill
    plain = page.view.bar_rect(3)
    assert plain is not None
    assert (
        len(
            {image.pixel(x, plain.bottom() - 3) for x in range(plain.left() + 2, plain.left() + 12)}
        )
        == 1
    )


def test_overlapping_bookings_carry_a_corner_mark(
    qtbot: QtBot, page: TimelinePage, tmp_path: Path
) -> None:
    extra = ["Ana Lima", "ana@example.com", "Approved", "2030-03-07", "2030-03-09", "Course", "R7"]
    document = RosterDocument(load_roster(write_csv(tmp_path / "more.csv", [HEADER, *ROWS, extra])))
    with qtbot.waitSignal(page.laid_out, timeout=10_000):
        page.show_rows(document.rows, document_name_column(document))
    error = outline("error", page.view.palette()).rgb()
    image = grab(page)
    for row, marked in ((2, True), (8, True), (4, False)):
        rect = page.view.bar_rect(row)
        assert rect is not None
        assert (image.pixel(rect.left() + 1, rect.top() + 1) == error) is marked


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (4.5 is the minimum for text)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def dark() -> QPalette:
    palette = QPalette()
    for role, colour in [
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#eeeeee"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, "#eeeeee"),
        (QPalette.ColorRole.Highlight, "#2f65ca"),
    ]:
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_bar_words_are_readable_in_light_and_dark(page: TimelinePage, theme: str) -> None:
    if theme == "dark":
        page.view.setPalette(dark())
    text = page.view.palette().color(QPalette.ColorRole.Text)
    image = grab(page)
    for row in (2, 3):  # Ready rows, one with its words inside
        rect = page.view.bar_rect(row)
        assert rect is not None
        fill = QColor(image.pixel(rect.right() - 3, rect.bottom() - 3))
        assert contrast(fill, text) >= 4.5, (theme, row, fill.name())
    names = QColor(image.pixel(3, page.view.geometry_().header + 3))
    assert contrast(names, page.view.palette().color(QPalette.ColorRole.WindowText)) >= 4.5


def test_lanes_take_first_and_last_name_columns_else_calvens_name(tmp_path: Path) -> None:
    header = ["First Name", "Last Name", "Email", "Start Date", "End Date"]
    path = write_csv(
        tmp_path / "split.csv",
        [
            header,
            ["Ben", "Okafor", "ben@example.com", "2030-03-05", "2030-03-06"],
            ["", "", "eve@example.com", "2030-03-05", "2030-03-06"],
            ["", "", "zed@example.com", "2030-03-05", "2030-03-06"],
        ],
    )
    document = RosterDocument(load_roster(path))
    rows, _ = timeline_rows(
        document.rows, document_name_column(document), calven_names={3: "Eve Adams"}
    )
    names = {r.row: (r.name or r.person) for r in rows}
    assert names == {2: "Okafor, Ben", 3: "Eve Adams", 4: "zed@example.com"}
