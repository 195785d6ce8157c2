"""The Problems panel: every error and warning by row, a click away from its cell."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem

from calven_desk.gui.window.part import Window, WindowPart
from calven_desk.roster import LABELS

#: The problems panel lists this many; a 50,000-row export with 40,000 problems took over a second
#: to list whole (bench/bench_gui_responsiveness.py), and the Problems filter shows every row anyway.
PROBLEMS_SHOWN = 500
ITEMS_PER_TURN = 100


class ProblemsPanel(WindowPart):
    """A dock on the right; rebuilt shortly after the roster changes, not at every change."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        dock = QDockWidget("Problems", self.qt)
        dock.setObjectName("problems")
        self.list = QListWidget()
        # One line each: measuring every one of a thousand items (each through Python's lock)
        # held the window (issue 10); the widest line still sets the scroll range.
        self.list.setUniformItemSizes(True)
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
        self.waiting: list[tuple[str, tuple[int, str | None] | None, str | None]] = []
        self.adder = QTimer(self)
        self.adder.setSingleShot(True)
        self.adder.setInterval(0)
        self.adder.timeout.connect(self._add_some)

    def schedule(self) -> None:
        """Rebuild once the current burst of changes is over."""
        self.timer.start()

    def rebuild(self) -> None:
        """List the first problems; the items go in a hundred at a time, one event-loop turn
        each, so a panel of hundreds never holds the window (issue 10)."""
        self.list.clear()
        self.waiting = []
        self.adder.stop()
        document = self.window.document
        if document is None:
            return
        model = self.window.model
        total = model.counts()["problem items"] if model is not None else 0
        entries: list[tuple[str, tuple[int, str | None] | None, str | None]] = []
        for row in document.rows:
            check = row.check
            if not (check.own or check.cross or check.directory):
                continue
            if len(entries) >= PROBLEMS_SHOWN:
                more = f"… and {total - len(entries):,} more. Choose the Problems filter (Alt+2) to see every row."
                entries.append((more, None, None))
                break
            for problem in check.problems:
                label = LABELS[problem.field] if problem.field else "Row"
                mark = "✖" if problem.severity == "error" else "⚠"
                text = f"{mark} Row {check.row} · {label}: {problem.message}"
                entries.append((text, (check.row, problem.field), problem.message))
        self.waiting = entries
        self._add_some()

    def _add_some(self) -> None:
        batch, self.waiting = self.waiting[:ITEMS_PER_TURN], self.waiting[ITEMS_PER_TURN:]
        for text, target, tooltip in batch:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, target)
            if tooltip is not None:
                item.setToolTip(tooltip)
            self.list.addItem(item)
        if self.waiting:
            self.adder.start()

    def go_to_problem(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target is None:
            self.window.set_filter("Problems")
            return
        row_number, name = target
        self.window.select_cell(row_number, name)
