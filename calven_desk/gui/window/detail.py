"""The detail line under the table: the current row in full, whatever its columns' widths.

A laptop's table cuts long texts ("Rejected (co…", "No Calven user …"); hovering shows one cell at
a time, and only to a mouse. This line says the current row's status, Calven's message, every text
its columns cut, and its problems, in words, for the keyboard and for the eye alike.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QLabel, QSizePolicy

from calven_desk.gui.table.roles import SEVERITY_WORDS
from calven_desk.gui.window.part import Window, WindowPart
from calven_desk.roster import LABELS

#: Room a cell's text needs besides itself: margins, and the status column's icon.
PADDING, ICON = 14, 22


class RowDetail(WindowPart):
    """A wrapped label that follows the table's current cell and the rows' changes."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName("Current row")
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setVisible(False)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(60)
        self.timer.timeout.connect(self.refresh)
        window.table.selectionModel().currentChanged.connect(self._current_changed)
        window.proxy.dataChanged.connect(self._rows_changed)
        window.proxy.modelReset.connect(self.schedule)
        window.proxy.layoutChanged.connect(self.schedule)
        window.table.horizontalHeader().sectionResized.connect(self.schedule)

    def schedule(self, *_: object) -> None:
        self.timer.start()

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self.refresh()

    def _rows_changed(self, top: QModelIndex, bottom: QModelIndex, *_: object) -> None:
        current = self.window.table.currentIndex()
        if current.isValid() and top.row() <= current.row() <= bottom.row():
            self.schedule()

    def refresh(self) -> None:
        text = self.text()
        self.label.setText(text)
        self.label.setVisible(bool(text))

    def text(self) -> str:
        """The current row in words ("" without one): its number and status, Calven's message,
        the texts its columns cut, then its problems, one a line."""
        window = self.window
        table, model, document = window.table, window.model, window.document
        current = table.currentIndex()
        if model is None or document is None or not current.isValid():
            return ""
        position = window.proxy.mapToSource(current).row()
        if not 0 <= position < len(document.rows):
            return ""
        row = document.rows[position]
        word = model.state(position).word
        parts = [f"Row {row.check.row}: {word}"]
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        for visual in range(header.count()):
            column = header.logicalIndex(visual)
            kind, which = model.describe_column(column)
            if kind in ("row", "status") or header.isSectionHidden(column):
                continue
            shown = str(model.index(position, column).data() or "")
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            message = kind == "result" and which == 2
            cut = metrics.horizontalAdvance(shown) + PADDING > table.columnWidth(column)
            if shown and shown != word and (message or cut):
                parts.append(f"{title}: {shown}")
        lines = [" · ".join(parts)]
        for problem in row.check.problems:
            where = LABELS[problem.field] if problem.field else "Row"
            mark = {"error": "✖", "info": "ℹ"}.get(problem.severity, "⚠")
            lines.append(f"{mark} {SEVERITY_WORDS[problem.severity]}: {where}: {problem.message}")
        return "\n".join(lines)
