"""The table's rows in a precomputed order: which source rows are shown, and in what order.

Why not QSortFilterProxyModel: it asks Python once per row to filter (`filterAcceptsRow`) and once
per comparison to sort (`lessThan`): 50,000 rows froze the window for seconds at every keystroke in
Search (issue 10). Here the order is a list worked out from keys prepared once per change of the
roster (gui/table/keys.py), in a worker thread when the roster is large; Qt is handed the finished
list with one `layoutChanged`, and maps rows through it in O(1). Qt only asks `data()` for the
rows on screen.

Sorting keeps the semantics of the table before: text collated in the person's language, numbers
as numbers, equal values in file order. Edits do not move rows (as with dynamic sorting off): the
rows are re-sorted when a header is clicked or the rows are replaced; a filter or search is
re-applied after edits, and after a run (not at each answer while it goes on).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from itertools import compress
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QCollator,
    QItemSelection,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)

from calven_desk.gui.table.key_jobs import marks_job, rank_job
from calven_desk.gui.table.keys import RowMarks
from calven_desk.gui.table.model import RosterTableModel
from calven_desk.gui.threads.background import BACKGROUND_ROWS, START_AFTER_MS
from calven_desk.gui.threads.workers import Worker, start_detached

log = logging.getLogger("calven_desk.gui")
Index = QModelIndex | QPersistentModelIndex


class ViewOrderProxy(QAbstractProxyModel):
    """A flat proxy whose rows are `order`: proxy row -> source row, and back through a dict."""

    #: The order has taken in every change asked for so far (for tests and the benchmark).
    caught_up = Signal()

    def __init__(self, collator: QCollator) -> None:
        super().__init__()
        self.collator = collator
        #: Rosters with at least this many rows have their keys prepared in a worker thread.
        self.background_rows = BACKGROUND_ROWS
        self.mode = "All"
        self.search = ""
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._all: list[int] = []  # every source row, in sort order
        self._order: list[int] = []  # the rows shown
        self._where: dict[int, int] | None = {}  # source row -> shown row; None: not made yet
        self._marks: RowMarks | None = None
        self._ranks: dict[int, list[int]] = {}
        self._version = 0  # bumped at each change of the source's data
        self._pending: set[str] = set()  # kinds of job started and not yet back
        self._connected: list[Any] = []
        self._sort_wanted = False  # a sort asked for and not yet done

    # --- the source -----------------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        for signal, slot in self._connected:
            signal.disconnect(slot)
        self.beginResetModel()
        super().setSourceModel(model)
        self._connected = [
            (model.dataChanged, self._source_data_changed),
            (model.modelAboutToBeReset, self._source_about_to_reset),
            (model.modelReset, self._source_reset),
            (model.rowsAboutToBeInserted, self._source_about_to_change),
            (model.rowsInserted, self._source_inserted),
            (model.rowsAboutToBeRemoved, self._source_about_to_change),
            (model.rowsRemoved, self._source_removed),
            (model.layoutAboutToBeChanged, self._source_about_to_change),
            (model.layoutChanged, self._source_reset_layout),
            (model.headerDataChanged, self.headerDataChanged),
            (model.columnsAboutToBeInserted, self._source_columns_coming),
            (model.columnsInserted, self._source_columns_came),
            (model.columnsAboutToBeRemoved, self._source_columns_going),
            (model.columnsRemoved, self._source_columns_went),
        ]
        for signal, slot in self._connected:
            signal.connect(slot)
        self._forget()
        self._set_identity()
        self.endResetModel()
        self._refresh(sort=True)

    def _forget(self) -> None:
        self._version += 1
        self._marks = None
        self._ranks = {}

    def _set_identity(self) -> None:
        model = self.sourceModel()
        count = model.rowCount() if model is not None else 0
        self._all = list(range(count))
        self._order = self._all
        # Made when first needed (`_positions`): 50,000 entries made on opening held the window
        # while the worker checking the roster ran Python.
        self._where = None

    @Slot(QModelIndex, QModelIndex, list)
    def _source_data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int]) -> None:
        self._forget()
        first, last = self.mapFromSource(top), self.mapFromSource(bottom)
        if first.isValid() and last.isValid() and first.row() == last.row():
            self.dataChanged.emit(first, last, roles)
        elif self._order:
            low, high = 0, len(self._order) - 1
            if bottom.row() - top.row() < len(self._order) // 4:
                # Some rows (a batch of answers): from the first to the last place they are
                # shown, so the view repaints only if one of them is on screen.
                where = self._positions()
                shown = [where[r] for r in range(top.row(), bottom.row() + 1) if r in where]
                if not shown:
                    return
                low, high = min(shown), max(shown)
            self.dataChanged.emit(
                self.index(low, top.column()), self.index(high, bottom.column()), roles
            )

    def _source_columns_coming(self, _parent: QModelIndex, first: int, last: int) -> None:
        """The "In Calven" column comes, among the others: the sort column (the header's sort
        indicator moves with it too) is the same column at its new number."""
        self._forget()
        if self.sort_column >= first:
            self.sort_column += last - first + 1
        self.beginInsertColumns(QModelIndex(), first, last)

    def _source_columns_going(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._forget()
        if first <= self.sort_column <= last:
            self.sort_column, self._sort_wanted = -1, False
        elif self.sort_column > last:
            self.sort_column -= last - first + 1
        self.beginRemoveColumns(QModelIndex(), first, last)

    def _source_columns_came(self, *_: object) -> None:
        """The "In Calven" column came: the rows stay where they are."""
        self.endInsertColumns()

    def _source_columns_went(self, *_: object) -> None:
        self.endRemoveColumns()

    def _source_about_to_reset(self) -> None:
        self.beginResetModel()

    def _source_reset(self) -> None:
        self._forget()
        self._set_identity()
        self.endResetModel()
        self._refresh(sort=True)

    def _source_about_to_change(self, *_: object) -> None:
        self._forget()

    def _source_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        """New rows go at the end of the view, shown even under a filter, until the next sort."""
        count = last - first + 1

        def moved(row: int) -> int:
            return row + count if row >= first else row

        added = list(range(first, last + 1))
        self._relayout([*map(moved, self._all), *added], [*map(moved, self._order), *added], moved)
        self._refresh(sort=False)

    def _source_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        count = last - first + 1

        def moved(row: int) -> int:
            return -1 if first <= row <= last else row - count if row > last else row

        def kept(rows: list[int]) -> list[int]:
            return [r for r in map(moved, rows) if r >= 0]

        self._relayout(kept(self._all), kept(self._order), moved)
        self._refresh(sort=False)

    def _source_reset_layout(self, *_: object) -> None:
        self.beginResetModel()
        self._set_identity()
        self.endResetModel()
        self._refresh(sort=True)

    # --- what the view asks ---------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not 0 <= row < len(self._order) or column < 0:
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def mapToSource(self, proxy: Index) -> QModelIndex:
        model = self.sourceModel()
        if model is None or not proxy.isValid() or proxy.row() >= len(self._order):
            return QModelIndex()
        return model.index(self._order[proxy.row()], proxy.column())

    def mapFromSource(self, source: Index) -> QModelIndex:
        if not source.isValid():
            return QModelIndex()
        row = self._positions().get(source.row(), -1)
        return self.createIndex(row, source.column()) if row >= 0 else QModelIndex()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Straight to the roster model's cell (one Python call per cell and role, no index made)."""
        model = self.sourceModel()
        if not index.isValid() or index.row() >= len(self._order):
            return None
        if isinstance(model, RosterTableModel):
            return model.cell(self._order[index.row()], index.column(), role)
        return model.index(self._order[index.row()], index.column()).data(role)

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        """Every role Qt's delegate asks a painted cell for (seven), in one Python call: while a
        worker runs Python, each call from Qt into Python waits its turn for the interpreter."""
        model = self.sourceModel()
        if not isinstance(model, RosterTableModel) or not self._shows(index):
            super().multiData(index, roleDataSpan)
            return
        row, column = self._order[index.row()], index.column()
        for wanted in cast(Iterable[QModelRoleData], roleDataSpan):
            wanted.setData(model.cell(row, column, wanted.role()))

    def _shows(self, index: Index) -> bool:
        return index.isValid() and index.row() < len(self._order)

    def flags(self, index: Index) -> Qt.ItemFlag:
        model = self.sourceModel()
        if isinstance(model, RosterTableModel) and index.isValid():
            return model.column_flags(index.column())
        return model.flags(self.mapToSource(index))

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return bool(self.sourceModel().setData(self.mapToSource(index), value, role))

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self._order):
                return None
            section = self._order[section]
        return model.headerData(section, orientation, role)

    def source_rows_in(self, selection: QItemSelection) -> list[int]:
        """The source rows with a selected cell, in source order, from the selection's ranges
        (listing a selection's cells asks Python about each of them)."""
        rows: set[int] = set()
        for span in map(selection.at, range(selection.count())):
            if span.model() is self:
                rows.update(self._order[span.top() : span.bottom() + 1])
        return sorted(rows)

    def source_rows(self) -> list[int]:
        """The source rows shown, top to bottom (a copy)."""
        return list(self._order)

    def source_rows_from(self, first: int, count: int) -> list[int]:
        """The source rows of `count` shown rows from `first` down (fewer at the bottom): a paste
        of 1,000 lines maps them in one call, not in two calls into Qt per cell."""
        return self._order[max(first, 0) : max(first, 0) + max(count, 0)]

    # --- what the person asks -------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self._refresh(sort=True)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._refresh(sort=False)

    def set_search(self, text: str) -> None:
        self.search = text.strip().casefold()
        self._refresh(sort=False)

    def refresh_filter(self) -> None:
        """After edits or results: rows may now belong to another filter (only work when filtering)."""
        if self.filtering():
            self._refresh(sort=False)

    def filtering(self) -> bool:
        return self.mode != "All" or bool(self.search)

    def busy(self) -> bool:
        """True while a worker prepares keys the order is waiting for."""
        return bool(self._pending)

    # --- working the order out ------------------------------------------------------------------

    def _refresh(self, sort: bool) -> None:
        """Bring the order up to date, now if its keys are ready, else once a job has made them."""
        model = self.sourceModel()
        if model is None:
            return
        self._sort_wanted = self._sort_wanted or (sort and self.sort_column >= 0)
        waiting = False
        if self._sort_wanted and self.sort_column not in self._ranks:
            self._prepare("ranks", rank_job(self.sourceModel(), self.sort_column, self.collator))
            waiting = True
        if self.filtering() and self._marks is None:
            self._prepare("marks", marks_job(self.sourceModel()))
            waiting = True
        if waiting or self._pending:
            return
        all_rows = self._all
        if self._sort_wanted:
            ranks = self._ranks[self.sort_column]
            descending = self.sort_order == Qt.SortOrder.DescendingOrder
            all_rows = sorted(range(len(ranks)), key=ranks.__getitem__, reverse=descending)
        self._sort_wanted = False
        mask = self._marks.mask(self.mode, self.search) if self._marks is not None else None
        shown = (
            all_rows if mask is None else list(compress(all_rows, map(mask.__getitem__, all_rows)))
        )
        if shown != self._order or all_rows != self._all:
            self._relayout(all_rows, shown, None)
        self.caught_up.emit()

    def _positions(self) -> dict[int, int]:
        """Where each shown source row is shown."""
        if self._where is None:
            self._where = dict(zip(self._order, range(len(self._order)), strict=True))
        return self._where

    def _relayout(
        self, all_rows: list[int], shown: list[int], moved: Callable[[int], int] | None
    ) -> None:
        """Hand Qt the new order in one layout change; selections and the current cell follow
        their rows (`moved` says where source rows went when rows came or went)."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        order = self._order
        rows = [order[i.row()] if 0 <= i.row() < len(order) else -1 for i in before]
        if moved is not None:
            rows = [moved(r) if r >= 0 else -1 for r in rows]
        self._all = all_rows
        self._order = shown
        self._where = None
        where = self._positions() if before else {}
        after = [
            self.createIndex(where[row], old.column()) if row in where else QModelIndex()
            for old, row in zip(before, rows, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # --- jobs -----------------------------------------------------------------------------------

    def _prepare(self, kind: str, job: Callable[[], tuple[str, object]]) -> None:
        """Run a job now on a small roster, in a worker on a large one. The answer carries the
        version of the rows it was made from: one overtaken by a change is dropped and made again."""
        if kind in self._pending:
            return
        version = self._version
        if self.sourceModel().rowCount() < self.background_rows:
            self._take((version, job()))
            return
        self._pending.add(kind)
        worker = Worker(lambda _w: (version, job()), ())
        worker.done.connect(self._job_done)
        worker.failed.connect(self._job_failed)
        # A moment after the change, once the window has repainted: painting while a worker
        # runs Python waits for the interpreter at every cell (gui/table/cross_pass.py does the same).
        QTimer.singleShot(START_AFTER_MS, worker, lambda: start_detached(worker))

    @Slot(object)
    def _job_done(self, answer: tuple[int, tuple[str, Any]]) -> None:
        self._pending.discard(answer[1][0])
        self._take(answer)

    @Slot(str)
    def _job_failed(self, message: str) -> None:
        """Keys could not be made (a bug): the order stays as it is rather than half-made."""
        log.error("The table's order could not be worked out: %s", message)
        self._pending.clear()
        self._sort_wanted = False

    def _take(self, answer: tuple[int, tuple[str, Any]]) -> None:
        version, (kind, value) = answer
        if version == self._version:
            if kind == "ranks":
                column, ranks = value
                self._ranks[column] = ranks
            else:
                self._marks = value
        self._refresh(sort=False)
