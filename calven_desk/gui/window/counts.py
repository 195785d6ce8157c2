"""The row counts in the status bar: rows, ready, with problems, each result, selected."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from calven_desk.gui.table.sizing import selected_row_count
from calven_desk.gui.window.part import Window, WindowPart


class StatusCounts(WindowPart):
    """A permanent label at the right of the status bar."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self.label = QLabel()
        self.qt.statusBar().addPermanentWidget(self.label)

    def update_counts(self) -> None:
        window = self.window
        if window.model is None or window.document is None:
            self.label.setText("No roster open")
            return
        by = window.model.counts()  # kept by the model: adjusted per answer, never recounted here
        selected = selected_row_count(window.table)  # from the selection's ranges, not its cells
        self.label.setText(
            f"Rows {by['rows']} · ready {by['ready']} · with problems {by['problems']} · "
            f"accepted {by['Accepted']} · rejected {by['Rejected']} · not sent {by['Not sent']} · "
            f"selected {selected}"
        )
