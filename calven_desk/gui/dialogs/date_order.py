"""The question "which way round are the dates?", with the file's own rows read both ways.

Asked when nothing in a roster shows whether 02/03/2031 is 2 March or 3 February and its rows make
sense either way. The person sees two of their own rows read day-first and month-first, with each
leave's length, and picks the reading that matches what they know; nothing is guessed for them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from calven_desk.roster import DateOrder
from calven_desk.roster.model import TwoReadings

TITLES = {
    DateOrder.DMY: "&Day first (31/12/2030)",
    DateOrder.MDY: "&Month first (12/31/2030)",
}


def readings_text(examples: Sequence[TwoReadings], order: DateOrder) -> str:
    """Each example row as it reads in `order`: `Row 4, 02/03/2031 to 06/03/2031: 2 Mar - 6 Mar
    2031, 5 days`."""
    return "\n".join(f"Row {r.row}, {r.text}: {r.words(order)}" for r in examples)


class DateOrderDialog(QDialog):
    """Two buttons, one per reading, each showing the example rows read that way; `chosen` holds
    the answer once the dialog is accepted."""

    def __init__(
        self,
        file_name: str,
        examples: Sequence[TwoReadings],
        current: DateOrder | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Which way round are the dates?")
        # Wide enough for a row read out in full on one line ("Row 12, 01/02/2031 to ...").
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 80)
        self.chosen: DateOrder | None = None
        layout = QVBoxLayout(self)
        if current is None:
            question = (
                f"Nothing in {file_name} shows whether its dates are day-first or month-first, "
                "and its rows make sense either way. Which is right for these rows?"
            )
        else:
            now = "day-first" if current is DateOrder.DMY else "month-first"
            question = (
                f"The dates in {file_name} are read {now} now. Which is right for these rows?"
            )
        text = QLabel(question)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.buttons: dict[DateOrder, QCommandLinkButton] = {}
        for order in (DateOrder.DMY, DateOrder.MDY):
            button = QCommandLinkButton(TITLES[order], readings_text(examples, order))
            button.setAccessibleDescription(readings_text(examples, order))
            # No reading is pressed by Enter alone: the person picks one on purpose.
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, o=order: self._choose(o))
            layout.addWidget(button)
            self.buttons[order] = button
        note = QLabel(
            "Files with the same columns are read the same way from now on; "
            "File > Read dates as… changes it."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        cancel = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        cancel.rejected.connect(self.reject)
        layout.addWidget(cancel)
        if current is not None:
            self.buttons[current].setFocus()

    def _choose(self, order: DateOrder) -> None:
        self.chosen = order
        self.accept()
