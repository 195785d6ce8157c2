"""The window's status bar: a passing message cut with "…" where the permanent counts begin.

Qt's status bar draws a long message (the user list skipped, say) right up to the counts and clips
it mid-word, so the two ran into each other ("…added to th6 rows"). The message is whole for a
screen reader (the bar's accessible description says what was last announced).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QStatusBar, QStyleOption, QWidget

#: Room left between a message and the first permanent item.
GAP = 12


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._permanent: list[QWidget] = []

    def addPermanentWidget(self, widget: QWidget, stretch: int | None = 0) -> None:
        super().addPermanentWidget(widget, stretch or 0)
        self._permanent.append(widget)

    def paintEvent(self, event: QPaintEvent) -> None:
        message = self.currentMessage()
        if not message:
            super().paintEvent(event)
            return
        shown = [w.geometry().left() for w in self._permanent if w.isVisible()]
        right = min(shown, default=self.width()) - GAP
        room = QRect(6, 0, max(0, right - 6), self.height())
        text = self.fontMetrics().elidedText(message, Qt.TextElideMode.ElideRight, room.width())
        option = QStyleOption()
        option.initFrom(self)
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            room,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            option.palette,
            True,
            text,
            self.foregroundRole(),
        )
