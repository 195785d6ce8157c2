"""The Table / Timeline tabs (and their View menu entries): the roster as rows, or as a leave calendar.

The Timeline itself lives in gui/timeline/; this part puts it in a tab beside the table, links it
to the roster on screen (its rows, the filter and Search, the selection), draws what the sync part
finds sent earlier and no longer in the roster as ghosts, and goes back to the table on Enter or a
double-click on a bar.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QTabWidget

from calven_desk.gui.timeline.linked import LinkedTimeline
from calven_desk.gui.window.part import Window, WindowPart
from calven_desk.gui.window.sync import SyncPart


class TimelineTabs(WindowPart):
    """The table and the Timeline as two tabs (View > Table, Ctrl+1; View > Timeline, Ctrl+2)."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self.linked = LinkedTimeline(self)
        self.page = self.linked.page
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(window.table, "Table")
        self.tabs.addTab(self.page, "Timeline")
        self.tabs.setTabToolTip(0, "The roster as rows (Ctrl+1)")
        self.tabs.setTabToolTip(1, "The roster as a leave calendar (Ctrl+2)")
        self.tabs.tabBar().setAccessibleName("Table or Timeline")
        self.tabs.tabBar().setAccessibleDescription("Ctrl+1 shows the table, Ctrl+2 the Timeline")
        self.tabs.setVisible(False)  # until a roster is open; the window shows a hint instead
        self.act_table = self.action("&Table", self.show_table, "Ctrl+1", "Show the roster as rows")
        self.act_timeline = self.action(
            "T&imeline", self.show_timeline, "Ctrl+2", "Show the roster as a leave calendar"
        )
        self.linked.go_to_row.connect(self.go_to_row)
        self._sync: SyncPart | None = None

    def update_actions(self, loaded: bool, idle: bool) -> None:
        self.act_table.setEnabled(loaded)
        self.act_timeline.setEnabled(loaded)

    def attach(self) -> None:
        """A roster is on screen (opened, recovered or re-matched): follow its model."""
        window = self.window
        if window.model is None:
            return
        self.tabs.setVisible(True)
        self.linked.attach(window.model, window.proxy, window.table)

    def follow_sync(self, sync: SyncPart) -> None:
        """Draw what the sync part finds sent earlier and no longer in the roster as ghosts."""
        self._sync = sync
        sync.compared.connect(self._compared)

    @Slot()
    def _compared(self) -> None:
        comparison = self._sync.comparison if self._sync is not None else None
        self.page.show_removed(comparison.removed if comparison is not None else [])

    def show_table(self) -> None:
        self.tabs.setCurrentWidget(self.window.table)
        self.window.table.setFocus()

    def show_timeline(self) -> None:
        self.tabs.setCurrentWidget(self.page)
        self.page.view.setFocus()

    def go_to_row(self, row_number: int) -> None:
        """Enter on a bar: the table, with the row's cell current (the filter cleared if needed)."""
        self.show_table()
        self.window.select_cell(row_number, None)
