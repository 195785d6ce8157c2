"""Cell editors that fit each field, the red/amber outline that marks a cell with a problem, and
the whole text of a cut cell on hover."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QHelpEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from calven_desk.gui.table.colours import outline
from calven_desk.gui.table.model import Role

Index = QModelIndex | QPersistentModelIndex


#: Dynamic properties of an open editor: the cell value it was last filled with, and what the
#: editor showed right after (a date editor shows an unreadable value as today's date).
FILLED = "calvenFilled"
SHOWN = "calvenShown"


def _shown(editor: QWidget) -> str:
    """What the editor holds now, as text: its user property (text, date, current text)."""
    return str(editor.metaObject().userProperty().read(editor))


class RosterDelegate(QStyledItemDelegate):
    def __init__(self, time_off_types: Callable[[], list[str]]) -> None:
        super().__init__()
        self.time_off_types = time_off_types

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        severity = index.data(Role.SEVERITY)
        if severity:
            painter.save()
            pen = QPen(outline(severity, QApplication.palette()), 2)
            if severity == "warning":
                pen.setStyle(Qt.PenStyle.DashLine)  # a second signal besides colour
            painter.setPen(pen)
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))
            painter.restore()

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        """On hover, a cell's whole text when the column is too narrow for it, then what the
        model says about the cell (its problems, or Calven's whole message)."""
        if event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        tip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
        parts = [text] if text and text != tip and self.is_cut(option, index, view) else []
        parts += [tip] if tip else []
        if parts:
            QToolTip.showText(event.globalPos(), "\n".join(parts), view)
        else:
            QToolTip.hideText()
        return True

    def is_cut(self, option: QStyleOptionViewItem, index: Index, view: QWidget) -> bool:
        """Whether the cell's text is wider than the room its column gives it (shown cut, "…")."""
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        style = view.style()
        room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, shown, view).width()
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
        return shown.fontMetrics.horizontalAdvance(shown.text) > room - margin

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        name = index.data(Role.FIELD)
        if name in ("startDate", "endDate"):
            editor = QDateEdit(parent)
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("yyyy-MM-dd")
            return editor
        if name == "eventType":
            combo = QComboBox(parent)
            combo.addItems(["scheduled", "cancelled"])
            return combo
        if name == "timeOffType":
            combo = QComboBox(parent)
            combo.setEditable(True)
            combo.addItems(self.time_off_types())
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Fill the editor with the cell's value, when it opens and when the cell changes.

        Qt calls this again for every open editor whenever rows repaint: the comparison with
        Calven, the user list and a run's answers arrive from other threads while a person
        types, and each put the old value back under their hands (Enter then saved nothing).
        Once the person has changed the editor it keeps what they typed or picked; an editor
        still as it was filled follows the cell (an undo elsewhere, say)."""
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        filled = editor.property(FILLED)
        if filled is not None and (filled == text or _shown(editor) != editor.property(SHOWN)):
            return
        self._fill(editor, index, text)
        editor.setProperty(FILLED, text)
        editor.setProperty(SHOWN, _shown(editor))

    def _fill(self, editor: QWidget, index: Index, text: str) -> None:
        if isinstance(editor, QDateEdit):
            parsed = QDate.fromString(text, "yyyy-MM-dd")
            editor.setDate(parsed if parsed.isValid() else QDate.currentDate())
        elif isinstance(editor, QComboBox):
            if editor.isEditable():
                editor.setEditText(text)
            else:
                if text and editor.findText(text) < 0:
                    # The file's own word (Approved): offered as it is, so opening the editor
                    # and pressing Enter changes nothing.
                    editor.insertItem(0, text)
                editor.setCurrentIndex(max(0, editor.findText(text)))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QDateEdit):
            model.setData(index, editor.date().toString("yyyy-MM-dd"), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
