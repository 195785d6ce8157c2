"""What the colours mean: each result's colour beside its words, in the palette in use."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from calven_desk.gui.table.colours import LEGEND, row_colour


class LegendDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("What the colours mean")
        layout = QVBoxLayout(self)
        for key, words in LEGEND:
            label = QLabel(f"  {words}  ")
            colour = row_colour(key, QApplication.palette()) or QColor("transparent")
            label.setStyleSheet(f"QLabel {{ background: {colour.name()}; padding: 4px; }}")
            layout.addWidget(label)
        layout.addWidget(
            QLabel("A red outline marks a cell that must be fixed; a dashed amber one, a warning.")
        )
        layout.addWidget(
            QLabel(
                "Rows in paler text are not for Calven and are never sent: requests waiting for "
                "approval,\nrefused ones, and absences shorter than half a day. Their Status "
                "says which (filter: Skipped)."
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
