"""The Timeline linked to a table: it follows the table's model, filter, Search and selection.

The window's Timeline part (gui/window/timeline.py) puts `page` beside the table and calls
`attach` with each roster's model; everything else is wired here. The Timeline lays out again (in
a worker) a moment after the rows, their results or the filter change, and only while it is on
screen: a hidden Timeline just remembers that it is out of date.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView

from calven_desk.gui.table.model import Role, RosterTableModel
from calven_desk.gui.timeline.page import TimelinePage
from calven_desk.gui.timeline.rows import document_name_column

#: How long after a change the Timeline lays out again: edits and answers come in bursts (a run
#: answers four times a second), and one layout after the burst is all a person sees.
SETTLE_MS = 300
#: How often a run's answers lay the Timeline out again while they keep coming.
RESULTS_MS = 1_500
#: Rows of the table's filter read per turn of the event loop: about 15 ms on this machine.
SLICE = 2_500


class LinkedTimeline(QObject):
    """`go_to_row` asks the window to show a row in the table (Enter or a double-click on a bar)."""

    go_to_row = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page = TimelinePage()
        self.model: RosterTableModel | None = None
        self.proxy: QAbstractProxyModel | None = None
        self.table: QAbstractItemView | None = None
        self._rows_stale = self._filter_stale = False
        self._syncing = False
        self._generation = 0
        self._connected: list[tuple[Any, Callable[..., None]]] = []
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self.refresh)
        self.page.view.row_selected.connect(self._bar_chosen)
        self.page.view.row_activated.connect(self.go_to_row)
        self.page.laid_out.connect(self._show_current)
        self.page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The Timeline came on screen (its tab chosen): catch up with what changed meanwhile."""
        if watched is self.page and event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, self, self.refresh)
        return False

    def attach(
        self, model: RosterTableModel, proxy: QAbstractProxyModel, table: QAbstractItemView
    ) -> None:
        """Follow a newly opened roster (its model), the filter (proxy) and the table's selection."""
        self.model, self.proxy, self.table = model, proxy, table
        # The window keeps its proxy and table for every roster: connected once each, not once
        # per roster opened (and the previous roster's model let go).
        for signal, slot in self._connected:
            signal.disconnect(slot)
        self._connected = [
            *(
                (signal, self._rows_changed)
                for signal in (
                    model.dataChanged,
                    model.modelReset,
                    model.rowsInserted,
                    model.rowsRemoved,
                )
            ),
            *(
                (signal, self._filter_changed)
                for signal in (
                    proxy.modelReset,
                    proxy.layoutChanged,
                    proxy.rowsInserted,
                    proxy.rowsRemoved,
                )
            ),
        ]
        selection = table.selectionModel()
        if selection is not None:
            self._connected.append((selection.currentChanged, self._current_changed))
        for signal, slot in self._connected:
            signal.connect(slot)
        self._rows_stale = self._filter_stale = True
        self.refresh()

    def on_screen(self) -> bool:
        return self.page.isVisible()

    def refresh(self) -> None:
        """Lay out again what changed, now if the Timeline is on screen (else when it is shown)."""
        if self.model is None or not self.on_screen():
            return
        document = self.model.document
        if self._rows_stale:
            self._rows_stale = False
            self.page.show_rows(
                document.rows, document_name_column(document), self.model.sending, self.model.people
            )
        if self._filter_stale:
            self._filter_stale = False
            self._collect_visible()

    def visible_rows(self) -> set[int] | None:
        """Row numbers the filter and Search let through; None when they let every row through.

        All at once: for tests and small rosters. The window collects them a slice at a time.
        """
        self._generation += 1
        proxy, model = self.proxy, self.model
        if proxy is None or model is None or proxy.rowCount() == model.rowCount():
            return None
        return self._visible_slice(0, proxy.rowCount())

    def _visible_slice(self, first: int, stop: int) -> set[int]:
        assert self.proxy is not None and self.model is not None
        rows = self.model.document.rows
        map_to_source, index = self.proxy.mapToSource, self.proxy.index
        return {rows[map_to_source(index(r, 0)).row()].check.row for r in range(first, stop)}

    def _collect_visible(self) -> None:
        """Ask the proxy which rows it shows, SLICE rows per turn of the event loop.

        The proxy answers one row per call; 41,000 rows shown took 270 ms in one go, a freeze.
        A change of the filter meanwhile starts a new collection and this one stops.
        """
        self._generation += 1
        proxy, model = self.proxy, self.model
        if proxy is None or model is None or proxy.rowCount() == model.rowCount():
            self.page.set_visible_rows(None)
            return
        generation, found = self._generation, set[int]()

        def step(first: int) -> None:
            if generation != self._generation or self.proxy is None:
                return
            stop = min(first + SLICE, self.proxy.rowCount())
            found.update(self._visible_slice(first, stop))
            if stop < self.proxy.rowCount():
                QTimer.singleShot(0, self, lambda: step(stop))
            else:
                self.page.set_visible_rows(found)

        step(0)

    # --- following the table --------------------------------------------------------------------

    def _rows_changed(self, *args: object) -> None:
        """An edit lays out again once the edits pause; a run's answers (which name the result
        roles) at most every RESULTS_MS while they keep coming, so the bars take their colours
        as the run goes on without laying out 50,000 rows four times a second beside it."""
        self._rows_stale = True
        roles = args[2] if len(args) > 2 and isinstance(args[2], list) else []
        if int(Role.STATE) in roles:
            if not self.settle.isActive():
                self.settle.start(RESULTS_MS)
        else:
            self.settle.start(SETTLE_MS)

    def _filter_changed(self, *_: object) -> None:
        self._generation += 1  # a collection going on is out of date: stop it
        self._filter_stale = True
        self.settle.start(SETTLE_MS)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._syncing:
            self._show_current()

    def _show_current(self) -> None:
        """Outline the bar of the table's current row."""
        row = self._current_row()
        if row != self.page.view.selected:
            self.page.view.select_row(row)

    def _current_row(self) -> int | None:
        if self.table is None or self.proxy is None or self.model is None:
            return None
        current = self.table.currentIndex()
        if not current.isValid():
            return None
        source = self.proxy.mapToSource(current)
        rows = self.model.document.rows
        return rows[source.row()].check.row if 0 <= source.row() < len(rows) else None

    def _bar_chosen(self, row_number: int) -> None:
        """A bar was clicked or reached by the keyboard: make its row the table's current row."""
        if self.model is None or self.proxy is None or self.table is None:
            return
        index = self.model.document.index_of(row_number)
        if index is None:
            return
        target = self.proxy.mapFromSource(self.model.index(index, 1))
        selection = self.table.selectionModel()
        if not target.isValid() or selection is None:
            return
        self._syncing = True
        try:
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            selection.setCurrentIndex(target, flags)
            self.table.scrollTo(target)
        finally:
            self._syncing = False
