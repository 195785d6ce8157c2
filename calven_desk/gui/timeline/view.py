"""The Timeline widget: a scroll area over the laid-out roster that paints only what is on screen.

It takes a finished TimelineLayout (laid out elsewhere, in a worker) and never walks every bar:
painting, hit-testing and the keyboard look only at the lanes on screen and, within a lane, only
at the bars in the days on screen (bisected by first day).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QHelpEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from calven_desk.gui.timeline.paint import MONTHS, Geometry, Window, bar_rect, paint
from calven_desk.roster.timeline import Bar, TimelineLayout

#: The zoom steps: how many days fill the width of the view, from two weeks to a quarter.
ZOOMS = (("2 weeks", 14), ("Month", 31), ("2 months", 61), ("Quarter", 92))


class TimelineView(QAbstractScrollArea):
    """One lane per person, days across. `row_selected` on a click or an arrow key; `row_activated`
    on Enter or a double-click (the window then goes to the row in the table)."""

    row_selected = Signal(int)
    row_activated = Signal(int)
    #: The zoom step changed, whichever way (the list, + and -, Ctrl+wheel).
    zoomed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_: TimelineLayout = TimelineLayout(date.today(), 1, [], [], {}, 0)
        self.zoom = 1
        self.selected: int | None = None
        self.today: date | None = date.today()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Timeline")
        self.viewport().setMouseTracking(True)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)

    # --- what is shown --------------------------------------------------------------------------

    def set_layout(self, layout: TimelineLayout) -> None:
        """Show a new layout, keeping the day and the person at the top left where they were."""
        old_day = self._day_at_left()
        old_person = self._person_at_top()
        self.layout_ = layout
        self._update_ranges()
        if old_day is not None:
            self._scroll_to_day(old_day)
        if old_person is not None:
            for lane in layout.lanes:
                if lane.person == old_person:
                    self.verticalScrollBar().setValue(lane.top * self.geometry_().track)
                    break
        self.viewport().update()

    def set_zoom(self, step: int) -> None:
        """Zoom to one of ZOOMS, keeping the day in the middle of the view in the middle."""
        step = max(0, min(len(ZOOMS) - 1, step))
        middle = self._day_at(self.viewport().width() // 2 + self.geometry_().names // 2)
        changed = step != self.zoom
        self.zoom = step
        self._update_ranges()
        if middle is not None:
            half = (self.viewport().width() - self.geometry_().names) / 2
            self.horizontalScrollBar().setValue(round(middle * self.per_day() - half))
        self.viewport().update()
        if changed:
            self.zoomed.emit(step)

    def go_to_today(self) -> str:
        """Scroll to today; "" when the roster's days include it, else a sentence saying they do
        not (the view then shows the roster's nearest end instead)."""
        day = self.today or date.today()
        span = self.layout_.span
        if span is None or span[0] <= day <= span[1]:
            self._scroll_to_day(day - timedelta(days=2))
            return ""
        if day < span[0]:
            self._scroll_to_day(span[0] - timedelta(days=2))
        else:  # the roster's last day at the right edge
            shown = (self.viewport().width() - self.geometry_().names) / self.per_day()
            self._scroll_to_day(self.layout_.offset(span[1]) + 3 - round(shown))
        return f"Today, {day_words(day)}, is outside this roster: {span_words(*span)}."

    def geometry_(self) -> Geometry:
        return Geometry.for_font(self.fontMetrics())

    def per_day(self) -> float:
        """Pixels per day at the current zoom, so the zoom's days fill the width beside the names."""
        width = max(200, self.viewport().width() - self.geometry_().names)
        return width / ZOOMS[self.zoom][1]

    def window_(self) -> Window:
        return Window(
            self.viewport().width(),
            self.viewport().height(),
            self.horizontalScrollBar().value(),
            self.verticalScrollBar().value(),
            self.per_day(),
            self.selected,
            self.today,
        )

    def bar_rect(self, row: int) -> QRect | None:
        """Where the row's bar is in the viewport now (None: the row has no bar)."""
        bar = self.layout_.by_row.get(row)
        if bar is None:
            return None
        return bar_rect(self.layout_, bar, self.window_(), self.geometry_())

    def bar_at(self, point: QPoint) -> Bar | None:
        geo, view = self.geometry_(), self.window_()
        if point.x() < geo.names or point.y() < geo.header:
            return None
        track = (point.y() - geo.header + view.y) // geo.track
        number = self.layout_.lane_at_track(track)
        day = int((point.x() - geo.names + view.x) // view.per_day)
        if number < 0:
            return None
        lane = self.layout_.lanes[number]
        for bar in lane.bars_between(day, day):
            if lane.top + bar.track == track:
                return bar
        return None

    def away_at(self, point: QPoint) -> str:
        """The header's words for a day: its date and how many people are away ("" elsewhere)."""
        geo = self.geometry_()
        day = self._day_at(point.x())
        if point.y() >= geo.header or point.x() < geo.names or day is None:
            return ""
        if not 0 <= day < len(self.layout_.away):
            return ""
        count = self.layout_.away[day]
        return f"{self.layout_.day(day):%a %d %b %Y}: {count} {'person' if count == 1 else 'people'} away"

    # --- selection ------------------------------------------------------------------------------

    def select_row(self, row: int | None) -> None:
        """Highlight a row's bar (selected elsewhere, e.g. in the table) without emitting anything."""
        self.selected = row
        bar = self.layout_.by_row.get(row) if row is not None else None
        if bar is not None:
            self._ensure_visible(bar)
        self.viewport().update()

    def _choose(self, bar: Bar | None) -> None:
        if bar is None:
            return
        self.select_row(bar.source.row)
        self.row_selected.emit(bar.source.row)

    def _ensure_visible(self, bar: Bar) -> None:
        rect = bar_rect(self.layout_, bar, self.window_(), self.geometry_())
        geo = self.geometry_()
        body = QRect(
            geo.names,
            geo.header,
            self.viewport().width() - geo.names,
            self.viewport().height() - geo.header,
        )
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        if rect.left() < body.left() or rect.left() > body.right() - 20:
            h.setValue(h.value() + rect.left() - body.left() - round(self.per_day() * 2))
        if rect.top() < body.top():
            v.setValue(v.value() - (body.top() - rect.top()) - 4)
        elif rect.bottom() > body.bottom():
            v.setValue(v.value() + rect.bottom() - body.bottom() + 4)

    def _neighbour(self, key: int) -> Bar | None:
        """The bar an arrow key moves to: the next or previous in the lane, or the nearest one in
        the lane above or below (nearest by first day)."""
        layout = self.layout_
        current = layout.by_row.get(self.selected) if self.selected is not None else None
        if current is None:
            first = self._day_at_left() or 0
            lane_number = max(
                0, layout.lane_at_track(self.verticalScrollBar().value() // self.geometry_().track)
            )
            for lane in layout.lanes[lane_number:]:
                later = [b for b in lane.bars if b.last >= first]
                if later:
                    return later[0]
            return None
        lane = layout.lanes[current.lane]
        place = lane.bars.index(current)
        if key == Qt.Key.Key_Right:
            return lane.bars[place + 1] if place + 1 < len(lane.bars) else None
        if key == Qt.Key.Key_Left:
            return lane.bars[place - 1] if place > 0 else None
        step = -1 if key == Qt.Key.Key_Up else 1
        other = current.lane + step
        if not 0 <= other < len(layout.lanes):
            return None
        return min(layout.lanes[other].bars, key=lambda b: abs(b.first - current.first))

    # --- events ---------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        paint(painter, self.layout_, self.window_(), self.palette())
        painter.end()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._update_ranges()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus()
        self._choose(self.bar_at(event.position().toPoint()))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        bar = self.bar_at(event.position().toPoint())
        if bar is not None:
            self.row_activated.emit(bar.source.row)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._choose(self._neighbour(key))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected is not None:
            self.row_activated.emit(self.selected)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_zoom(self.zoom - 1)
        elif key == Qt.Key.Key_Minus:
            self.set_zoom(self.zoom + 1)
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(self.zoom + (1 if event.angleDelta().y() < 0 else -1))
        elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - event.angleDelta().y())
        else:
            super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(event.pos())
            text = describe(bar, self.layout_) if bar is not None else self.away_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # --- scrolling ------------------------------------------------------------------------------

    def _update_ranges(self) -> None:
        geo = self.geometry_()
        width = round(self.layout_.days * self.per_day())
        height = self.layout_.tracks * geo.track
        shown_w = self.viewport().width() - geo.names
        shown_h = self.viewport().height() - geo.header
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setRange(0, max(0, width - shown_w))
        h.setPageStep(max(1, shown_w))
        h.setSingleStep(max(1, round(self.per_day())))
        v.setRange(0, max(0, height - shown_h))
        v.setPageStep(max(1, shown_h))
        v.setSingleStep(geo.track)

    def _day_at(self, x: int) -> int | None:
        if not self.layout_.lanes:
            return None
        return int(
            (x - self.geometry_().names + self.horizontalScrollBar().value()) / self.per_day()
        )

    def _day_at_left(self) -> int | None:
        return self._day_at(self.geometry_().names)

    def _person_at_top(self) -> str | None:
        number = self.layout_.lane_at_track(
            self.verticalScrollBar().value() // self.geometry_().track
        )
        return self.layout_.lanes[number].person if number >= 0 else None

    def _scroll_to_day(self, day: date | int) -> None:
        offset = self.layout_.offset(day) if isinstance(day, date) else day
        self.horizontalScrollBar().setValue(round(offset * self.per_day()))


def describe(bar: Bar, layout: TimelineLayout) -> str:
    """The tooltip: the row's details in words."""
    source = bar.source
    lane = layout.lanes[bar.lane]
    days = (source.end - source.start).days + 1
    who = lane.name + (f" ({source.person})" if lane.name != source.person else "")
    if source.ghost:
        return "\n".join(
            [
                f"{who}: {source.start:%a %d %b %Y} to {source.end:%a %d %b %Y}"
                + (f", {source.kind}" if source.kind else ""),
                "Sent to Calven earlier and no longer in this roster: Calven still shows these",
                "days; cancelling the removed events (the panel 'No longer in the roster')",
                "takes them back. Not counted as away.",
            ]
        )
    when = (
        f"Starts {source.start:%a %d %b %Y} but ends {source.ends:%a %d %b %Y}, before it "
        "starts: drawn as its first day only. Fix its dates in the table."
        if source.reversed and source.ends is not None
        else f"{source.start:%a %d %b %Y} to {source.end:%a %d %b %Y} "
        f"({days} day{'s' if days != 1 else ''})"
    )
    lines = [
        f"Row {source.row}: {who}",
        when,
        (
            "Cancellation"
            if source.cancelled
            else "Not for Calven"
            if source.skipped
            else "Scheduled"
        )
        + (f", {source.kind}" if source.kind else ""),
        f"Status: {source.word}",
    ]
    if bar.overlaps:
        lines.append("Overlaps another booking of the same person.")
    if bar.cancelled_by is not None:
        lines.append(
            f"Row {bar.cancelled_by} cancels this leave (same event ID); not counted as away."
        )
    if source.skipped:
        lines.append("Not for Calven: never sent, and not counted as away.")
    if source.event_id:
        lines.append(f"Event ID: {source.event_id}")
    return "\n".join(lines)


def day_words(day: date) -> str:
    """ "6 Dec 2026": English month names, as the header has them, whatever the C locale says."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def span_words(first: date, last: date) -> str:
    """A roster's months: "Mar 2030", "Mar-Oct 2030", or "Nov 2029-Feb 2030"."""
    one, other = MONTHS[first.month - 1], MONTHS[last.month - 1]
    if first.year != last.year:
        return f"{one} {first.year}-{other} {last.year}"
    return f"{one} {first.year}" if first.month == last.month else f"{one}-{other} {last.year}"
