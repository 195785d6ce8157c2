"""The Problems panel: every error and warning by row, a click away from its cell."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from calven_desk.gui.window.part import Window, WindowPart
from calven_desk.gui.window.text_list import Entry, TextListView
from calven_desk.roster import LABELS

#: The problems panel lists this many; a 50,000-row export with 40,000 problems took over a second
#: to list whole (bench/bench_gui_responsiveness.py), and the Problems filter shows every row anyway.
PROBLEMS_SHOWN = 500
#: The side panels are never narrower than this (they share one tabbed dock on the right): wide
#: enough for a problem's first words, narrow enough that the window fits a 1,024 px screen.
PANEL_WIDTH = 240


class ProblemsPanel(WindowPart):
    """A dock on the right; rebuilt shortly after the roster changes, not at every change."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        dock = QDockWidget("Problems", self.qt)
        dock.setObjectName("problems")
        self.dock = dock
        self.list = TextListView("Problems by row: Enter goes to the cell")
        self.list.chosen.connect(self.go_to_problem)
        self.list.setMinimumWidth(PANEL_WIDTH)
        dock.setWidget(self.list)
        self.qt.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(50)
        self.timer.timeout.connect(self.rebuild)

    def schedule(self) -> None:
        """Rebuild once the current burst of changes is over."""
        self.timer.start()

    def count(self) -> int:
        """How many lines the panel shows (the "… and N more" line included)."""
        return self.list.count()

    def texts(self) -> list[str]:
        return self.list.texts()

    def rebuild(self) -> None:
        """List the first problems, in one reset of the list (issue 10). The scan over the rows
        is the plainest loop (faster here than a chain of map/attrgetter, which builds a tuple per
        row) and stops at the first row with problems past PROBLEMS_SHOWN lines, which only says
        whether a "… and N more" line is owed."""
        document, model = self.window.document, self.window.model
        if document is None:
            self.list.replace([])
            return
        if model is not None and model.checking:
            # The cross-row pass will change the problems and bring the counts the last line
            # quotes: list them once, after it, not once before and once after (each scan
            # competing for Python's lock with the pass's worker on a large roster).
            self.timer.start()
            return
        entries: list[Entry] = []
        more = False
        for row in document.rows:
            check = row.check
            if not (check.own or check.cross or check.directory) or check.skip is not None:
                continue  # no problems, or not for Calven (the Skipped filter shows why)
            if len(entries) >= PROBLEMS_SHOWN:
                more = True
                break
            for problem in check.problems:
                label = LABELS[problem.field] if problem.field else "Row"
                mark = "✖" if problem.severity == "error" else "⚠"
                text = f"{mark} Row {check.row} · {label}: {problem.message}"
                entries.append(Entry(text, problem.message, (check.row, problem.field)))
        if more:
            total = model.counts()["problem items"] if model is not None else 0
            left = max(total - len(entries), 1)  # never "0 more", whatever the counts say
            entries.append(
                Entry(f"… and {left:,} more. Choose the Problems filter (Alt+2) to see every row.")
            )
        self.list.replace(entries)

    def go_to_problem(self, entry: Entry) -> None:
        """A problem's line leads to its cell; the "… and N more" line to the Problems filter."""
        if entry.target is None:
            self.window.set_filter("Problems")
            return
        row_number, name = cast(tuple[int, str | None], entry.target)
        self.window.select_cell(row_number, name)
