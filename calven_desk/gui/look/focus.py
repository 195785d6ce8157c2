"""The focus ring: a 2 px ring in the palette's highlight colour around whichever control has the
keyboard, the same for every kind of control.

Fusion shows focus its own way per control (a faint dotted outline on a tool button, a tinted frame
on a line edit, nothing on a table), some of it nearly invisible. Here one QFocusFrame follows the
focus through the whole application and draws the ring outside the control's edge, so it is never
hidden under the control's own painting; item views also ring their current cell.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFocusFrame,
    QProxyStyle,
    QStyle,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)

#: The ring's width, and the gap it keeps around the control.
RING = 2
MARGIN = 3


class FocusRingStyle(QProxyStyle):
    """The application's style (Fusion, or the platform's own) with the ring drawn for focus."""

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.ControlElement.CE_FocusFrame:
            ring(painter, option, option.palette.color(QPalette.ColorRole.Highlight))
            return
        super().drawControl(element, option, painter, widget)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect and _in_item_view(widget):
            # The current cell of a table or list: the ring inside it, in the colour that stands
            # out from the cell (on a selected cell, the selection's text colour).
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
            ring(painter, option, option.palette.color(role))
            return
        super().drawPrimitive(element, option, painter, widget)

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        returnData: QStyleHintReturn | None = None,
    ) -> int:
        if hint == QStyle.StyleHint.SH_FocusFrame_AboveWidget:
            # Drawn above the control, as a child of its window (or of the scroll area it is
            # in): under it, the ring of a control that fills its parent (the table, a panel's
            # list) was hidden by the control itself.
            return 1
        return super().styleHint(hint, option, widget, returnData)

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        if metric in (
            QStyle.PixelMetric.PM_FocusFrameHMargin,
            QStyle.PixelMetric.PM_FocusFrameVMargin,
        ) and isinstance(widget, QFocusFrame):
            return MARGIN
        return super().pixelMetric(metric, option, widget)


def ring(painter: QPainter, option: QStyleOption, colour: QColor) -> None:
    """A RING-wide rounded outline just inside `option.rect`."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(colour, RING))
    inset = RING / 2  # the pen on whole pixels: a crisp ring, not a blurred one
    rect = option.rect.toRectF().adjusted(inset, inset, -inset, -inset)
    painter.drawRoundedRect(rect, 3, 3)
    painter.restore()


def _in_item_view(widget: QWidget | None) -> bool:
    from PySide6.QtWidgets import QAbstractItemView

    while widget is not None:
        if isinstance(widget, QAbstractItemView):
            return True
        widget = widget.parentWidget()
    return False


class FocusRing(QObject):
    """One QFocusFrame that moves to the focused control of any window of the application."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.frame: QFocusFrame | None = None
        app.focusChanged.connect(self._moved)

    def _moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or new.isWindow() or _popup(new):
            if self.frame is not None:
                self.frame.setWidget(None)  # type: ignore[arg-type]  # None lets it go
            return
        if self.frame is None:
            self.frame = QFocusFrame()
            self.frame.destroyed.connect(self._lost)
        self.frame.setWidget(new)

    def _lost(self) -> None:
        self.frame = None

    def refresh(self) -> None:
        """Another style: QFocusFrame hides itself at a style change; put it back where the focus is."""
        focused = QApplication.focusWidget()
        if self.frame is not None:
            self.frame.setWidget(None)  # type: ignore[arg-type]  # None lets it go
        self._moved(None, focused)


def _popup(widget: QWidget) -> bool:
    """A menu or a combo box's list: they show their current item their own way."""
    return widget.window().windowType() == Qt.WindowType.Popup
