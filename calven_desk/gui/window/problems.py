"""The Problems panel: every error and warning by row, a click away from its cell."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem

from calven_desk.gui.window.part import Window, WindowPart
from calven_desk.roster import LABELS

#: The problems panel lists this many; a 50,000-row export with 40,000 problems took over a second
#: to list whole (bench/bench_gui_responsiveness.py), and the Problems filter shows every row anyway.
PROBLEMS_SHOWN = 500


class ProblemsPanel(WindowPart):
    """A dock on the right; rebuilt shortly after the roster changes, not at every change."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        dock = QDockWidget("Problems", self.qt)
        dock.setObjectName("problems")
        self.list = QListWidget()
        self.list.itemActivated.connect(self.go_to_problem)
        self.list.itemClicked.connect(self.go_to_problem)
        self.list.setWordWrap(True)
        self.list.setMinimumWidth(320)
        dock.setWidget(self.list)
        self.qt.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(50)
        self.timer.timeout.connect(self.rebuild)

    def schedule(self) -> None:
        """Rebuild once the current burst of changes is over."""
        self.timer.start()

    def rebuild(self) -> None:
        self.list.clear()
        document = self.window.document
        if document is None:
            return
        total = sum(
            len(r.check.own) + len(r.check.cross) + len(r.check.directory) for r in document.rows
        )
        shown = 0
        for row in document.rows:
            if shown >= PROBLEMS_SHOWN:
                more = QListWidgetItem(
                    f"… and {total - shown:,} more. Choose the Problems filter (Alt+2) to see every row."
                )
                more.setData(Qt.ItemDataRole.UserRole, None)
                self.list.addItem(more)
                break
            for problem in row.check.problems:
                shown += 1
                label = LABELS[problem.field] if problem.field else "Row"
                mark = "✖" if problem.severity == "error" else "⚠"
                item = QListWidgetItem(f"{mark} Row {row.check.row} · {label}: {problem.message}")
                item.setData(Qt.ItemDataRole.UserRole, (row.check.row, problem.field))
                item.setToolTip(problem.message)
                self.list.addItem(item)

    def go_to_problem(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target is None:
            self.window.set_filter("Problems")
            return
        row_number, name = target
        self.window.select_cell(row_number, name)
