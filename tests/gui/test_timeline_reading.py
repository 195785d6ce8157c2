"""The Timeline read as a person reads it (issue 21): the Zoom list follows every zoom, Today says
when today is outside the roster, a row ending before it starts keeps its lane, the header's words
never overlap (days, then weeks, then months), and a PNG stays a size a mail can carry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from calven_desk.gui.timeline.page import TimelinePage
from calven_desk.gui.timeline.paint import Geometry, Window, header_labels, header_scale
from calven_desk.gui.timeline.render import WIDEST, picture_size
from calven_desk.gui.timeline.rows import document_name_column, timeline_rows
from calven_desk.gui.timeline.view import describe, span_words
from calven_desk.roster import load_roster
from calven_desk.roster.document import RosterDocument
from calven_desk.roster.timeline import TimelineRow, lay_out
from tests.cli.run import calven_desk
from tests.roster.files import write_csv

HEADER = ["Employee Name", "Work Email", "First Day", "Last Day", "Leave Type"]
#: March to October 2030, and Eve's row ends (3 June) before it starts (10 June).
ROWS = [
    ["Ana Lima", "ana@example.com", "2030-03-05", "2030-03-08", "Annual Leave"],
    ["Eve Santos", "eve@example.com", "2030-06-10", "2030-06-03", "Annual Leave"],
    ["Dee Roe", "dee@example.com", "not a date", "2030-03-08", "Sick"],
    ["Ben Okafor", "ben@example.com", "2030-10-05", "2030-10-09", "Sick"],
]


@pytest.fixture
def document(tmp_path: Path) -> RosterDocument:
    return RosterDocument(load_roster(write_csv(tmp_path / "team.csv", [HEADER, *ROWS])))


@pytest.fixture
def page(qtbot: QtBot, document: RosterDocument) -> Iterator[TimelinePage]:
    made = TimelinePage()
    qtbot.addWidget(made)
    made.resize(1000, 400)
    made.show()
    qtbot.waitExposed(made)
    with qtbot.waitSignal(made.laid_out, timeout=10_000):
        made.show_rows(document.rows, document_name_column(document))
    yield made


def test_the_zoom_list_follows_every_way_of_zooming(qtbot: QtBot, page: TimelinePage) -> None:
    view, zoom = page.view, page.zoom
    zoom.setCurrentIndex(1)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.zoom == 2 and zoom.currentIndex() == 2
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.zoom == 0 and zoom.currentIndex() == 0
    middle = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(
        middle, view.viewport().mapToGlobal(middle), QPoint(), QPoint(0, -120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom == 1 and zoom.currentIndex() == 1
    zoom.setCurrentIndex(3)  # and the list itself still zooms
    assert view.zoom == 3


def test_today_outside_the_roster_says_so_and_goes_to_the_nearest_end(page: TimelinePage) -> None:
    view = page.view
    view.today = date(2026, 12, 6)
    page.go_to_today()
    assert "Today, 6 Dec 2026, is outside this roster: Mar-Oct 2030." in page.status.text()
    first = view.layout_.offset(date(2030, 3, 5))
    assert view._day_at_left() is not None and view._day_at_left() <= first  # the start is shown
    assert view.horizontalScrollBar().value() <= round(first * view.per_day())
    view.today = date(2031, 2, 1)
    page.go_to_today()
    assert "Today, 1 Feb 2031, is outside this roster: Mar-Oct 2030." in page.status.text()
    last = view.layout_.offset(date(2030, 10, 9))
    shown = (view.viewport().width() - view.geometry_().names) / view.per_day()
    assert (
        view._day_at_left() is not None
        and view._day_at_left() <= last <= view._day_at_left() + shown
    )
    view.today = date(2030, 6, 1)
    page.go_to_today()
    assert "outside" not in page.status.text()  # inside: it just scrolls there


def test_span_words() -> None:
    assert span_words(date(2030, 3, 2), date(2030, 10, 9)) == "Mar-Oct 2030"
    assert span_words(date(2030, 3, 2), date(2030, 3, 9)) == "Mar 2030"
    assert span_words(date(2029, 11, 2), date(2030, 2, 9)) == "Nov 2029-Feb 2030"


def test_a_row_that_ends_before_it_starts_keeps_its_lane_as_one_marked_day(
    page: TimelinePage,
) -> None:
    layout = page.view.layout_
    assert "Eve Santos" in [lane.name for lane in layout.lanes]
    bar = layout.by_row[3]
    assert bar.source.reversed and bar.last == bar.first  # one day: its first
    assert bar.source.start == date(2030, 6, 10) and bar.source.ends == date(2030, 6, 3)
    said = describe(bar, layout)
    assert "ends Mon 03 Jun 2030, before it starts" in said and "Fix its dates" in said
    status = page.status.text()
    assert "Not drawn: 1 row without a readable start and end date" in status  # Dee's
    assert "1 row ends before it starts: drawn as one marked day" in status


def layout_across(first: date, last: date) -> object:
    rows = [
        TimelineRow(n, f"p{n}@example.com", day, day, False, "Ready", "ready")
        for n, day in enumerate((first, last), start=1)
    ]
    return lay_out(rows)


@pytest.mark.parametrize("per_day", [60, 36, 24, 14, 9, 5, 3, 2, 1.2, 0.9, 0.5, 0.2])
def test_header_words_never_overlap_as_the_days_narrow(per_day: float) -> None:
    metrics = QFontMetrics(QFont())
    layout = layout_across(date(2027, 11, 20), date(2031, 2, 10))
    geo = Geometry.for_font(metrics)
    width = 1400
    view = Window(width, 400, 0, 0, per_day)
    last = min(layout.days - 1, int((width - geo.names) / per_day) + 1)  # type: ignore[attr-defined]
    labels = header_labels(layout, view, geo, metrics, 0, last)  # type: ignore[arg-type]
    assert labels, per_day
    for line in (0, 1, 2):
        drawn = sorted((lab.rect for lab in labels if lab.line == line), key=lambda r: r.left())
        for one, following in pairwise(drawn):
            assert one.right() < following.left(), (per_day, line)
        assert all(r.left() >= geo.names for r in drawn)
    scale = header_scale(per_day, metrics)
    seconds = [lab.text for lab in labels if lab.line == 1]
    if scale == "days":
        assert len(seconds) >= min(30, last)  # every day numbered
    elif scale == "weeks":
        assert all(t.isdigit() for t in seconds)  # each Monday's date
    else:
        tops = [lab.text for lab in labels if lab.line == 0]
        assert all(t.isdigit() and len(t) == 4 for t in tops)  # years above months
    assert [header_scale(p, metrics) for p in (40, 5, 0.5)] == ["days", "weeks", "months"]


def test_a_decade_long_roster_makes_a_picture_a_mail_can_carry(tmp_path: Path) -> None:
    rows = [
        ["Ana Lima", "ana@example.com", "2019-07-01", "2019-07-05", "Annual"],
        ["Ben Okafor", "ben@example.com", "2030-10-01", "2030-10-05", "Sick"],
    ]
    path = write_csv(tmp_path / "decade.csv", [HEADER, *rows])
    out = tmp_path / "decade.png"
    result = calven_desk("timeline", path, "--png", out)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull() and image.width() <= WIDEST
    # The same picture's header: no two words touch, and it counts in months under years.
    document = RosterDocument(load_roster(path))
    layout = lay_out(timeline_rows(document.rows, document_name_column(document))[0])
    font = QFont()
    width, _, per_day, _ = picture_size(layout, font)
    assert width == image.width()
    metrics = QFontMetrics(font)
    geo = Geometry.for_font(metrics)
    labels = header_labels(
        layout, Window(width, 200, 0, 0, per_day), geo, metrics, 0, layout.days - 1
    )
    assert header_scale(per_day, metrics) == "months"
    for line in (0, 1):
        drawn = sorted((lab.rect for lab in labels if lab.line == line), key=lambda r: r.left())
        assert all(a.right() < b.left() for a, b in pairwise(drawn))
    assert [lab.text for lab in labels if lab.line == 0][:2] == ["2019", "2020"]


def test_a_short_roster_keeps_its_readable_picture(tmp_path: Path) -> None:
    """A season still gets up to 36 px a day: the cap only narrows what would be too wide."""
    rows = [["Ana Lima", "ana@example.com", "2030-03-04", "2030-03-08", "Annual"]]
    out = tmp_path / "week.png"
    result = calven_desk("timeline", write_csv(tmp_path / "w.csv", [HEADER, *rows]), "--png", out)
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == Geometry.for_font(QFontMetrics(QFont())).names + 7 * 36
