"""Draws the Timeline for one window onto the picture: only the lanes, days and bars inside it.

The same function paints the widget (the window onto the picture is the scrolled viewport) and the
command line's PNG (the window is the whole picture), so both show exactly the same thing. Colours
come from the palette and gui/table/colours.py, so the dark theme stays readable, and colour is never the
only signal: bars carry their words, cancellations are hatched, overlaps have a corner mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPalette, QPen, QPolygonF

from calven_desk.gui.look.contrast import TEXT, contrast, mix, readable
from calven_desk.gui.table.colours import outline, row_colour
from calven_desk.roster.timeline import Bar, TimelineLayout

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Geometry:
    """Sizes in pixels: the header (months, days, people away), the names column, one track."""

    line: int
    names: int
    track: int

    @property
    def header(self) -> int:
        return self.line * 3

    @classmethod
    def for_font(cls, metrics: QFontMetrics) -> Geometry:
        line = metrics.height() + 6
        return cls(line=line, names=max(160, metrics.horizontalAdvance("M") * 18), track=line + 4)


@dataclass(frozen=True, slots=True)
class Window:
    """The part of the picture to paint: its size and where it starts (the scroll offsets)."""

    width: int
    height: int
    x: int
    y: int
    per_day: float
    selected: int | None = None
    today: date | None = None
    #: Lanes drawn when a picture stops before the last (the PNG of a huge roster); None: all.
    people: int | None = None


#: Leave drawn faded (taken back by a cancellation row, or sent earlier and no longer in the
#: roster) is its colour this far towards the background; its words stay at full strength.
FADED = 0.45
#: The strongest tint of the count strip under the numbers of people away.
AWAY_TINT = 0.6
#: Weekends are shaded only when a day is at least this many pixels wide.
WEEKEND_SHADED = 3


def bar_label(bar: Bar) -> str:
    """The words inside a bar: what the leave is, then the row's status word from the table."""
    source = bar.source
    what = "Cancelled" if source.cancelled else (source.kind or "Leave")
    mark = "Overlaps · " if bar.overlaps else ""
    if source.ghost:
        return f"{source.word} · {what}"
    if source.reversed:
        return f"Ends before it starts · {source.word}"
    return f"{mark}{what} · {source.word}"


def faded(bar: Bar) -> bool:
    """Leave a cancellation row in this roster takes back, or that a send may take back, or a
    row that is not for Calven (pending, refused, shorter than half a day)."""
    return bar.cancelled_by is not None or bar.source.ghost or bar.source.skipped


def bar_colours(bar: Bar, palette: QPalette) -> tuple[QColor, QColor]:
    """A bar's fill and the colour of its words: the row's colour (faded when the leave will
    not count), and the palette's text, nudged only if it would not read at 4.5:1 on the fill."""
    base = palette.color(QPalette.ColorRole.Base)
    fill = row_colour(bar.source.colour, palette) or mix(
        base, palette.color(QPalette.ColorRole.Highlight), 0.3
    )
    if faded(bar):
        fill = mix(base, fill, FADED)
    return fill, readable(palette.color(QPalette.ColorRole.Text), fill)


def away_colour(palette: QPalette) -> QColor:
    """The count strip's colour: the highlight over the window, as strong as it may be with the
    numbers drawn on it still reading at 4.5:1."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    tint = palette.color(QPalette.ColorRole.Highlight)
    amount = AWAY_TINT
    while amount > 0 and contrast(mix(window, tint, amount), text) < TEXT:
        amount -= 0.05
    return mix(window, tint, max(0.0, amount))


def paint(painter: QPainter, layout: TimelineLayout, view: Window, palette: QPalette) -> None:
    metrics = painter.fontMetrics()
    geo = Geometry.for_font(metrics)
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    painter.fillRect(0, 0, view.width, view.height, base)
    first_day = max(0, int(view.x / view.per_day))
    last_day = min(layout.days - 1, int((view.x + view.width - geo.names) / view.per_day) + 1)
    body = QRect(geo.names, geo.header, view.width - geo.names, view.height - geo.header)
    painter.save()
    painter.setClipRect(body)
    _days(painter, layout, view, geo, first_day, last_day, palette, top=geo.header)
    first_track = max(0, view.y // geo.track)
    last_track = (view.y + view.height - geo.header) // geo.track + 1
    lanes = _lanes(layout, first_track, last_track)
    for number in lanes:
        lane = layout.lanes[number]
        y = geo.header + (lane.top + lane.tracks) * geo.track - view.y
        painter.setPen(mix(base, text, 0.15))
        painter.drawLine(geo.names, y - 1, view.width, y - 1)
        for bar in lane.bars_between(first_day, last_day):
            _bar(
                painter,
                bar,
                bar_rect(layout, bar, view, geo),
                palette,
                bar.source.row == view.selected,
            )
    _today(painter, layout, view, geo, palette)
    painter.restore()
    _header(painter, layout, view, geo, first_day, last_day, palette)
    _names(painter, layout, view, geo, lanes, palette)


def bar_rect(layout: TimelineLayout, bar: Bar, view: Window, geo: Geometry) -> QRect:
    """Where a bar is drawn in the window: its first day's left edge to its last day's right edge."""
    lane = layout.lanes[bar.lane]
    left = geo.names + round(bar.first * view.per_day) - view.x
    right = geo.names + round((bar.last + 1) * view.per_day) - view.x
    top = geo.header + (lane.top + bar.track) * geo.track - view.y
    return QRect(left, top + 2, max(2, right - left - 1), geo.track - 4)


def day_x(day: int, view: Window, geo: Geometry) -> int:
    return geo.names + round(day * view.per_day) - view.x


def _days_in_month(day: date) -> int:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _lanes(layout: TimelineLayout, first_track: int, last_track: int) -> range:
    if not layout.lanes:
        return range(0)
    start = max(0, layout.lane_at_track(min(first_track, layout.tracks - 1)))
    stop = start
    while stop < len(layout.lanes) and layout.lanes[stop].top <= last_track:
        stop += 1
    return range(start, stop)


def _days(
    painter: QPainter,
    layout: TimelineLayout,
    view: Window,
    geo: Geometry,
    first_day: int,
    last_day: int,
    palette: QPalette,
    top: int,
) -> None:
    """Weekend shading (while days are wide enough for it to be more than stripes) and a line
    at each month's first day."""
    base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
    weekend, month_line = mix(base, text, 0.07), mix(base, text, 0.3)
    weekends = view.per_day >= WEEKEND_SHADED
    day = layout.day(first_day)
    for offset in range(first_day, last_day + 1):
        x = day_x(offset, view, geo)
        if weekends and day.weekday() >= 5:
            painter.fillRect(x, top, max(1, day_x(offset + 1, view, geo) - x), view.height, weekend)
        if day.day == 1:
            painter.setPen(month_line)
            painter.drawLine(x, top, x, view.height)
        day += timedelta(days=1)


def _bar(painter: QPainter, bar: Bar, rect: QRect, palette: QPalette, selected: bool) -> None:
    source = bar.source
    text = palette.color(QPalette.ColorRole.Text)
    fill, words = bar_colours(bar, palette)
    painter.save()
    painter.fillRect(rect, fill)
    if source.cancelled:
        hatch = QBrush(mix(fill, text, 0.55), Qt.BrushStyle.BDiagPattern)
        painter.fillRect(rect, hatch)
    if source.reversed:
        # Ends before it starts: one day, cross-hatched in the colour of errors.
        cross = QBrush(mix(fill, outline("error", palette), 0.7), Qt.BrushStyle.DiagCrossPattern)
        painter.fillRect(rect, cross)
    if source.severity:
        pen = QPen(outline(source.severity, palette), 2)
        if source.severity == "warning":
            pen.setStyle(Qt.PenStyle.DashLine)
    else:
        pen = QPen(mix(fill, text, 0.45), 1)
    if source.ghost:
        pen = QPen(text, 1, Qt.PenStyle.DotLine)
    painter.setPen(pen)
    painter.drawRect(rect.adjusted(0, 0, -1, -1))
    if bar.overlaps:
        size = min(rect.height() // 2, 9)
        corner = QPolygonF(
            [
                QPointF(rect.left(), rect.top()),
                QPointF(rect.left() + size, rect.top()),
                QPointF(rect.left(), rect.top() + size),
            ]
        )
        painter.setBrush(outline("error", palette))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(corner)
    if rect.width() >= 28:
        painter.setPen(words)
        inner = rect.adjusted(5, 0, -3, 0)
        label = painter.fontMetrics().elidedText(
            bar_label(bar), Qt.TextElideMode.ElideRight, inner.width()
        )
        painter.drawText(inner, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)
    if selected:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 3))
        painter.drawRect(rect.adjusted(-2, -2, 1, 1))
    painter.restore()


def _today(
    painter: QPainter, layout: TimelineLayout, view: Window, geo: Geometry, palette: QPalette
) -> None:
    if view.today is None:
        return
    offset = layout.offset(view.today)
    if not 0 <= offset < layout.days:
        return
    x = day_x(offset, view, geo) + round(view.per_day / 2)
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2, Qt.PenStyle.DashLine))
    painter.drawLine(x, geo.line * 2, x, view.height)


@dataclass(frozen=True, slots=True)
class Label:
    """A word of the header: its line (0 the top, 1 the second, 2 the people away), where it is
    drawn, and what it says."""

    line: int
    rect: QRect
    text: str


def header_scale(per_day: float, metrics: QFontMetrics) -> str:
    """What the header's second line counts in as the days narrow: "days" while a day has room
    for its number, then "weeks" (each Monday's date), then "months" (the top line then says
    the years)."""
    number = metrics.horizontalAdvance("31") + 6
    if per_day >= number:
        return "days"
    return "weeks" if per_day * 7 >= number else "months"


def header_labels(
    layout: TimelineLayout,
    view: Window,
    geo: Geometry,
    metrics: QFontMetrics,
    first_day: int,
    last_day: int,
) -> list[Label]:
    """Every word of the header in the window, none overlapping another on its line: each
    unit's word where it starts (and the first unit's at the left edge if it has room before
    the next), and a word that would still touch the one before it is left out."""
    scale = header_scale(view.per_day, metrics)
    out: list[Label] = []
    reached = [geo.names - 1000] * 3  # the right edge of the last word drawn on each line
    gap = 6
    # One way of naming the months for the whole header, the longest the shortest month (28
    # days) has room for: "Mar 2030", "Mar", "M", or none.
    month_room = 28 * view.per_day - 3 - gap
    month_names = [
        f
        for f in (lambda m, y: f"{m} {y}", lambda m, y: m, lambda m, y: m[0])
        if max(metrics.horizontalAdvance(f(m, 2030)) for m in MONTHS) <= month_room
    ]
    if scale == "months":  # the years name themselves on the top line
        month_names = [f for f in month_names if f("Mar", 2030) != "Mar 2030"]

    def place(line: int, x: int, text: str, limit: int | None = None, centre: int = 0) -> None:
        width = metrics.horizontalAdvance(text)
        left = x + 3 if not centre else x + (centre - width) // 2
        left = max(left, geo.names + 3)
        if left < reached[line] + gap or (limit is not None and left + width + gap > limit):
            return
        reached[line] = left + width
        out.append(Label(line, QRect(left, geo.line * line, width + 2, geo.line), text))

    day = layout.day(first_day)
    for offset in range(first_day, last_day + 1):
        x = day_x(offset, view, geo)
        width = day_x(offset + 1, view, geo) - x
        first = offset == first_day
        if scale == "months":
            if (day.month == 1 and day.day == 1) or first:
                year_end = layout.offset(date(day.year + 1, 1, 1))
                place(0, x, str(day.year), day_x(year_end, view, geo) if first else None)
            if (day.day == 1 or first) and month_names:
                month_end = offset + _days_in_month(day) - day.day + 1
                text = month_names[0](MONTHS[day.month - 1], day.year)
                place(1, x, text, day_x(month_end, view, geo))
        else:
            if (day.day == 1 or first) and month_names:
                month_end = offset + _days_in_month(day) - day.day + 1
                text = month_names[0](MONTHS[day.month - 1], day.year)
                place(0, x, text, day_x(month_end, view, geo))
            if scale == "days":
                place(1, x, str(day.day), centre=width)
            elif day.weekday() == 0:
                place(1, x, str(day.day))
        count = layout.away[offset] if offset < len(layout.away) else 0
        if count and scale == "days" and metrics.horizontalAdvance(str(count)) + 4 <= width:
            place(2, x, str(count), centre=width)
        day += timedelta(days=1)
    return out


def _header(
    painter: QPainter,
    layout: TimelineLayout,
    view: Window,
    geo: Geometry,
    first_day: int,
    last_day: int,
    palette: QPalette,
) -> None:
    """Months, then days (weeks, or months under years, as the days narrow), then how many
    people are away: a strip as tall as the count, and the number where it fits."""
    window_colour = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    painter.save()
    painter.fillRect(0, 0, view.width, geo.header, window_colour)
    painter.setClipRect(geo.names, 0, view.width - geo.names, geo.header)
    _days(painter, layout, view, geo, first_day, last_day, palette, top=geo.line)
    painter.fillRect(0, 0, view.width, geo.line, window_colour)
    most = max(layout.away[first_day : last_day + 1], default=0) if layout.away else 0
    strip_colour = away_colour(palette)
    for offset in range(first_day, last_day + 1):
        count = layout.away[offset] if offset < len(layout.away) else 0
        if count and most:
            x = day_x(offset, view, geo)
            width = day_x(offset + 1, view, geo) - x
            height = max(2, round((geo.line - 4) * count / most))
            strip = QRect(x + 1, geo.line * 3 - 2 - height, max(1, width - 2), height)
            painter.fillRect(strip, strip_colour)
    painter.setPen(text)
    metrics = painter.fontMetrics()
    for label in header_labels(layout, view, geo, metrics, first_day, last_day):
        painter.drawText(label.rect, Qt.AlignmentFlag.AlignVCenter, label.text)
    painter.setPen(mix(window_colour, text, 0.4))
    painter.drawLine(geo.names, geo.header - 1, view.width, geo.header - 1)
    if view.today is not None and 0 <= layout.offset(view.today) < layout.days:
        x = day_x(layout.offset(view.today), view, geo)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
        painter.drawLine(
            x + round(view.per_day / 2), geo.line, x + round(view.per_day / 2), geo.header
        )
    painter.restore()


def _names(
    painter: QPainter,
    layout: TimelineLayout,
    view: Window,
    geo: Geometry,
    lanes: range,
    palette: QPalette,
) -> None:
    window_colour = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    painter.save()
    painter.fillRect(0, 0, geo.names, view.height, window_colour)
    painter.setPen(text)
    painter.drawText(
        QRect(6, 0, geo.names - 8, geo.line * 2),
        Qt.AlignmentFlag.AlignVCenter,
        f"{len(layout.lanes):,} people"
        if view.people is None or view.people >= len(layout.lanes)
        else f"{view.people:,} of {len(layout.lanes):,} people",
    )
    painter.drawText(
        QRect(6, geo.line * 2, geo.names - 8, geo.line), Qt.AlignmentFlag.AlignVCenter, "Away"
    )
    painter.setClipRect(0, geo.header, geo.names, view.height - geo.header)
    metrics = painter.fontMetrics()
    for number in lanes:
        lane = layout.lanes[number]
        top = geo.header + lane.top * geo.track - view.y
        label = metrics.elidedText(lane.name, Qt.TextElideMode.ElideRight, geo.names - 12)
        painter.drawText(
            QRect(6, top, geo.names - 12, geo.track), Qt.AlignmentFlag.AlignVCenter, label
        )
        painter.setPen(mix(window_colour, text, 0.2))
        bottom = top + lane.tracks * geo.track - 1
        painter.drawLine(0, bottom, geo.names, bottom)
        painter.setPen(text)
    painter.setPen(mix(window_colour, text, 0.4))
    painter.drawLine(geo.names - 1, 0, geo.names - 1, view.height)
    painter.restore()
