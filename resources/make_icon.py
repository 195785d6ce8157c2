"""Draws resources/calven-desk.png, the app icon (a calendar page with a tick), with Qt offscreen.

Run: QT_QPA_PLATFORM=offscreen python resources/make_icon.py
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen


def main() -> None:
    app = QGuiApplication([])
    size = 256
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#1f6feb"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(16, 28, 224, 212), 36, 36)
    painter.setBrush(QColor("#ffffff"))
    painter.drawRoundedRect(QRectF(40, 84, 176, 132), 18, 18)
    painter.setBrush(QColor("#0b3d91"))
    for x in (72, 168):
        painter.drawRoundedRect(QRectF(x, 12, 18, 52), 9, 9)
    pen = QPen(
        QColor("#2da44e"),
        22,
        Qt.PenStyle.SolidLine,
        Qt.PenCapStyle.RoundCap,
        Qt.PenJoinStyle.RoundJoin,
    )
    painter.setPen(pen)
    painter.drawPolyline([QPointF(84, 152), QPointF(116, 184), QPointF(176, 118)])
    painter.end()
    image.save(str(Path(__file__).resolve().parent / "calven-desk.png"))
    del app


if __name__ == "__main__":
    main()
