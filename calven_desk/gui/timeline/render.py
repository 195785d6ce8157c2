"""The Timeline as a picture (PNG), drawn offscreen by the same painter as the window's view."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter, QPalette

from calven_desk.gui.timeline.paint import Geometry, Window, paint
from calven_desk.roster.timeline import TimelineLayout

#: Widest and narrowest picture in pixels per day: a week reads well at 36, two years fit at 2.
MOST_PER_DAY, LEAST_PER_DAY = 36.0, 2.0
#: About this wide for the days, so a mailed picture fits a screen without zooming.
TARGET_WIDTH = 1600
#: Never wider than this, whatever the roster spans: a picture a manager can open from a mail.
#: A roster of ten years (2019-2030) drew 8,286 px at 2 px a day; beyond LEAST_PER_DAY's reach
#: the days narrow further instead, and the header counts in months and years.
WIDEST = 4_000
#: The picture stops at this height (about 250 people) and says so: a taller one is no picture to
#: mail, and encoding the PNG of a 50,000-row roster's 9,000 lanes (32,000 pixels, Qt's limit)
#: took over 5 s. The count of people away on top still covers everyone.
TALLEST = 8_000
#: Qt's PNG quality: higher compresses less; 60 encoded the big picture twice as fast as the default.
PNG_QUALITY = 60


def picture_size(layout: TimelineLayout, font: QFont) -> tuple[int, int, float, int]:
    """Width, height, pixels per day, and how many lanes fit (all of them unless the roster is huge)."""
    geo = Geometry.for_font(QFontMetrics(font))
    days = max(1, layout.days)
    per_day = max(LEAST_PER_DAY, min(MOST_PER_DAY, TARGET_WIDTH / days))
    per_day = min(per_day, (WIDEST - geo.names) / days)
    lanes = len(layout.lanes)
    for number, lane in enumerate(layout.lanes):
        if geo.header + (lane.top + lane.tracks) * geo.track > TALLEST:
            lanes = number
            break
    tracks = layout.lanes[lanes - 1].top + layout.lanes[lanes - 1].tracks if lanes else 1
    width = min(WIDEST, geo.names + round(layout.days * per_day))
    return width, geo.header + tracks * geo.track, per_day, lanes


def render(
    layout: TimelineLayout, palette: QPalette, font: QFont, today: date | None
) -> tuple[QImage, int]:
    """The whole Timeline as an image, and how many people it shows."""
    width, height, per_day, lanes = picture_size(layout, font)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    paint(painter, layout, Window(width, height, 0, 0, per_day, None, today, people=lanes), palette)
    painter.end()
    return image, lanes


def save_png(image: QImage, target: Path) -> bool:
    """Three bytes a pixel and quick compression: encoding took half the time of the whole
    50,000-row picture (2,000 x 8,000 pixels) at Qt's defaults; the file is 0.4 MB instead of 0.2."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    # PySide6 takes the format as str at run time, though its stubs say bytes.
    saved: bool = rgb.save(str(target), "PNG", PNG_QUALITY)  # type: ignore[call-overload]
    return saved
