"""The row counts in the status bar, in words whose numbers add up.

"ready 8 · with problems 4" for 10 rows counted rows with warnings twice. Now the rows split three
ways that add up to the total (ready, ready with warnings, need fixing), and Calven's answers
follow as their own group once there are any.
"""

from __future__ import annotations

from calven_desk.gui.table.sizing import selected_row_count
from calven_desk.gui.window.elided import ElidedLabel
from calven_desk.gui.window.part import Window, WindowPart


def counts_text(by: dict[str, int], selected: int) -> str:
    """The status bar's words for the model's counts (calven.row_status.count_rows)."""
    skipped = by.get("skipped", 0)  # not for Calven: neither ready nor to be fixed
    fixing = by["rows"] - by["ready"] - skipped  # rows with an error
    warned = by["problems"] - fixing  # rows with warnings and no error: still sent
    plain = by["ready"] - warned
    text = (
        f"{by['rows']:,} {'row' if by['rows'] == 1 else 'rows'}: {plain:,} ready, "
        f"{warned:,} ready with warnings, {fixing:,} {'needs' if fixing == 1 else 'need'} fixing"
    )
    if skipped:
        text += f", {skipped:,} skipped (not for Calven)"
    answered = by["Accepted"] + by["Rejected"] + by["Not sent"]
    if answered:
        text += (
            f" · Calven's answers: {by['Accepted']:,} accepted, {by['Rejected']:,} rejected, "
            f"{by['Not sent']:,} not sent"
        )
    return f"{text} · {selected:,} selected"


class StatusCounts(WindowPart):
    """A permanent label at the right of the status bar, cut with "…" when the window is narrow
    (whole on hover, and for a screen reader)."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self.label = ElidedLabel()
        self.label.setAccessibleName("Row counts")
        self.qt.statusBar().addPermanentWidget(self.label)
        # The selected count follows the selection, not only the rows' changes.
        window.table.selectionModel().selectionChanged.connect(self._selection_changed)

    def _selection_changed(self, *_: object) -> None:
        self.update_counts()

    def update_counts(self) -> None:
        window = self.window
        if window.model is None or window.document is None:
            self.label.setText("No roster open")
            return
        by = window.model.counts()  # kept by the model: adjusted per answer, never recounted here
        selected = selected_row_count(window.table)  # from the selection's ranges, not its cells
        self.label.setText(counts_text(by, selected))
