"""The main window: open a roster, fix it in place, submit rows, see each row's result.

The window lays out the table and composes the parts in `gui/window/` (see its `__init__` for which
part holds what: files, editing, sending, resuming, help, the problems panel, the filter bar, the
counts, background jobs), each one concern with its actions, menu and slots; `_connect_signals`
wires them together in one place. What the window keeps itself is the roster on screen (`document`,
`model`, `proxy`, `table`, `dirty`): showing a new one and telling the parts when it changes. What
scripts and tests call on it (`open_file`, `search`, `sandbox`...) is handed on to the parts by
`window/surface.py`. Questions to the person go through small `ask_*`/`confirm`/`inform` hooks so
tests can answer them without a modal dialog.

A new part: a `WindowPart` subclass in `gui/window/` (see `window/part.py`), one line creating it
in `__init__` and adding it to `self.parts`, and its signals wired in `_connect_signals`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QChildEvent, QCoreApplication, QEvent, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QMainWindow,
    QSizeGrip,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from calven_desk.gui.look.theme import apply_theme
from calven_desk.gui.table.column_order import ColumnOrder
from calven_desk.gui.table.delegates import RosterDelegate
from calven_desk.gui.table.model import Role, RosterTableModel
from calven_desk.gui.table.proxy import RosterFilter
from calven_desk.gui.table.roles import COLOUR_ROLES
from calven_desk.gui.table.sizing import fit_columns
from calven_desk.gui.threads.background import release_memory
from calven_desk.gui.threads.workers import preload_background_modules
from calven_desk.gui.window import questions
from calven_desk.gui.window.announce import Announcer
from calven_desk.gui.window.counts import StatusCounts
from calven_desk.gui.window.detail import RowDetail
from calven_desk.gui.window.directory import DirectoryPart
from calven_desk.gui.window.editing import EditingPart
from calven_desk.gui.window.files import FilesPart, banner_text
from calven_desk.gui.window.filters import FilterBar
from calven_desk.gui.window.help import HelpPart
from calven_desk.gui.window.jobs import BackgroundJobs
from calven_desk.gui.window.part import Confirm, WindowPart, fill
from calven_desk.gui.window.problems import ProblemsPanel
from calven_desk.gui.window.resuming import ResumingPart
from calven_desk.gui.window.sending import SendingPart
from calven_desk.gui.window.status_bar import StatusBar
from calven_desk.gui.window.surface import HandedToParts
from calven_desk.gui.window.sync import SyncPart
from calven_desk.gui.window.timeline import TimelineTabs
from calven_desk.gui.window.view_menu import ViewMenu
from calven_desk.roster import ColumnMap, DateOrder, SourceTable
from calven_desk.roster.document import RosterDocument
from calven_desk.roster.model import TwoReadings
from calven_desk.store.settings import Settings, load_settings, save_settings

log = logging.getLogger("calven_desk.gui")
#: The Status column widens to its words up to this (the longest, "Ready, with a warning (changed
#: since sent)", would crowd the person and the dates off a laptop's screen; the detail line and a
#: hover say it whole).
STATUS_WIDEST = 240


class MainWindow(HandedToParts, QMainWindow):
    #: Emitted when a roster has been read, checked and shown.
    model_ready = Signal()
    #: Emitted with the RunReport when a submit or resume ends.
    run_finished = Signal(object)

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        preload_background_modules()
        self.settings = settings or load_settings()
        apply_theme(self.settings.theme)  # before the widgets, which then start in its colours
        # The roster on screen, shared by every part.
        self.document: RosterDocument | None = None
        self.model: RosterTableModel | None = None
        self.proxy = RosterFilter()
        self.dirty = False
        #: Goes up with each edit and each roster shown: what the recovery file holds changed, so
        #: autosave writes it again (results are not in it: the journal keeps them).
        self.edit_count = 0
        self.save_path: Path | None = None
        # Hooks for questions; tests replace them, the app shows dialogs.
        self.confirm: Confirm = partial(questions.confirm, self)
        self.inform: Callable[[str, str], None] = partial(questions.inform, self)
        self.ask_sheet: Callable[[list[str]], str | None] = partial(questions.ask_sheet, self)
        self.ask_mapping: Callable[[SourceTable, ColumnMap], ColumnMap | None] = partial(
            questions.ask_mapping, self
        )
        self.ask_save_path: Callable[[str], str | None] = partial(questions.ask_save_path, self)
        self.ask_unsaved: Callable[[str], str] = partial(questions.ask_unsaved, self)
        self.ask_replace: Callable[[str], bool] = partial(questions.ask_replace, self)
        self.ask_date_order: Callable[
            [str, Sequence[TwoReadings], DateOrder | None], DateOrder | None
        ] = partial(questions.ask_date_order, self)

        self.setWindowTitle("Calven Desk")
        self.resize(1200, 720)
        self.setAcceptDrops(True)
        self.undo_group = QUndoGroup(self)
        self.setStatusBar(StatusBar(self))
        self.jobs = BackgroundJobs(self)
        self.jobs.announcer = Announcer(self.statusBar())
        self.table = self._make_table()
        self.columns = ColumnOrder(self.table)
        # The parts; their menus appear in this order.
        self.filters = FilterBar(self)
        self.files = FilesPart(self)
        self.editing = EditingPart(self, self.undo_group)
        self.timeline = TimelineTabs(self)
        self.view_menu = ViewMenu(self, self.timeline, self.filters, self._theme_changed)
        self.sending = SendingPart(self)
        self.resuming = ResumingPart(self, self.sending)
        self.help = HelpPart(self)
        self.problems_panel = ProblemsPanel(self)
        self.sync = SyncPart(self, self.sending)
        self.status_counts = StatusCounts(self)
        self.people = DirectoryPart(self, self.filters)
        self.detail = RowDetail(self)
        self.parts: list[WindowPart] = [
            self.filters,
            self.files,
            self.editing,
            self.timeline,
            self.view_menu,
            self.sending,
            self.resuming,
            self.people,
            self.help,
            self.problems_panel,
            self.sync,
            self.status_counts,
            self.detail,
        ]
        self._lay_out()
        self._add_menus_and_toolbar()
        self._connect_signals()
        self.update_actions()

    # --- building -------------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setItemDelegate(RosterDelegate(self._time_off_types))
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        # Tab leaves the table for the next control (arrows move between cells, F2 edits): a
        # table that kept Tab for itself trapped the keyboard in it for good.
        table.setTabKeyNavigation(False)
        # One line a row, cut with "…": the detail line below and a hover say the rest.
        table.setWordWrap(False)
        table.setAccessibleName("Roster")
        table.setAccessibleDescription(
            "The roster's rows; each cell says the row's status. Arrow keys move, F2 edits, "
            "Tab leaves the table."
        )
        table.horizontalHeader().setAccessibleName("Columns")
        return table

    def _lay_out(self) -> None:
        """From the top: filter bar and search, banner, the table and Timeline tabs (or a hint),
        progress row."""
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(self.filters.bar)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setAccessibleName("About this roster")
        layout.addWidget(self.banner)
        self.empty_hint = QLabel(
            "Open this month's leave roster (File > Open, Ctrl+O, or drop the file here).\n"
            "No Calven key yet? Choose Help > Try it with the sandbox."
        )
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.timeline.tabs, 1)
        layout.addWidget(self.detail.label)
        layout.addWidget(self.people.suggestion_bar)
        layout.addLayout(self.jobs.row)
        self.setCentralWidget(central)
        self.table.setVisible(False)
        # The two panels share one tabbed dock on the right: side by side they needed 1,246 px.
        self.tabifyDockWidget(self.problems_panel.dock, self.sync.dock)
        self.problems_panel.dock.raise_()
        self._name_qt_parts()

    def _name_qt_parts(self) -> None:
        """Names for the parts Qt makes by itself, which a screen reader would call "unnamed"."""
        self.timeline.tabs.setAccessibleName("Table or Timeline")
        for grip in self.statusBar().findChildren(QSizeGrip):
            grip.setAccessibleName("Resize the window")

    def _add_menus_and_toolbar(self) -> None:
        for part in self.parts:
            part.add_menu(self.menuBar())
        toolbar = self.addToolBar("Main toolbar")
        toolbar.setObjectName("main-toolbar")
        toolbar.setAccessibleName("Main toolbar")
        fill(
            toolbar,
            [
                *self.files.toolbar_actions(),
                *self.editing.toolbar_actions(),
                None,
                *self.sending.toolbar_actions(),
            ],
        )
        self.toolbar = toolbar
        view = self.view_menu
        view.add_panel(self.problems_panel.dock, "&Problems panel", "Ctrl+Shift+P")
        view.add_panel(self.sync.dock, "&No longer in the roster panel", "Ctrl+Shift+N")
        view.add_toolbar(toolbar, "Main tool&bar", "Ctrl+Shift+B")
        view.fill_menu()

    def _connect_signals(self) -> None:
        """Every tie between parts, in one place."""
        self.jobs.busy_changed.connect(self.update_actions)
        self.jobs.answered.connect(self.sending.answers_arrived)
        self.files.opened.connect(self.model_ready)
        self.files.opened.connect(self.people.roster_opened)
        self.sending.connection_changed.connect(self.people.connection_changed)
        self.editing.mapping_chosen.connect(self.files.check_in_background)
        self.sending.finished.connect(self.run_finished)
        self.resuming.finished.connect(self.run_finished)
        # Keeping Calven in step: compare when a roster opens and after every run.
        self.files.opened.connect(self.sync.refresh)
        self.sending.finished.connect(self.sync.refresh)
        self.resuming.finished.connect(self.sync.refresh)
        self.sending.connection_changed.connect(self.sync.refresh)
        self.sync.finished.connect(self.run_finished)
        # The dates read the other way round: what Calven holds compares anew.
        self.files.dates_reread.connect(self.sync.refresh)
        self.sending.settings_changed.connect(self.files.settings_changed)
        self.timeline.follow_sync(self.sync)
        self.files.opened.connect(self._announce_roster)
        # Calven's answers and the comparison bring longer words (Rejected (code 2), Ready
        # (changed since sent)): their columns widen to them rather than cut them.
        self.sync.compared.connect(self._fit_words)
        self.run_finished.connect(self._fit_words)

    # --- the roster on screen -------------------------------------------------------------------

    def qt_window(self) -> QMainWindow:
        return self

    def _time_off_types(self) -> list[str]:
        return self.document.time_off_types() if self.document else []

    def show_document(
        self, document: RosterDocument, dirty: bool = False, counts: dict[str, int] | None = None
    ) -> None:
        """`counts`: the status bar's counts, when a worker made them with the document."""
        self.document = document
        old = self.model
        self.model = RosterTableModel(document, counts)
        self.undo_group.addStack(self.model.undo_stack)
        self.undo_group.setActiveStack(self.model.undo_stack)
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.close()  # frees the previous roster (issue 20)
            release_memory()
        self.model.undo_stack.indexChanged.connect(self._edited)
        # The proxy first, so it has taken in a change before `_data_changed` refilters it:
        # refiltering in the middle of a reset (deleting rows while filtered) crashed Qt.
        self.proxy.setSourceModel(self.model)
        self.model.dataChanged.connect(self._cells_changed)
        self.model.modelReset.connect(self._rows_changed)
        self.model.rowsInserted.connect(self._rows_changed)
        self.model.rowsRemoved.connect(self._rows_changed)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setVisible(True)
        self.empty_hint.setVisible(False)
        fit_columns(self.table)  # from a sample of rows: resizeColumnsToContents asks them all
        self.columns.arrange(self.model)  # who and when first
        self.dirty = dirty
        self.edit_count += 1
        self.save_path = None
        table = document.table
        where = f", sheet '{table.sheet}'" if table.sheet else ""
        self.setWindowTitle(f"{table.file.name}{where} – Calven Desk")
        self.show_banner(banner_text(document))
        self._data_changed()
        self.timeline.attach()
        self.update_actions()

    def _announce_roster(self) -> None:
        """A roster opened: its name and counts, for a screen reader (the table shows them)."""
        if self.document is not None and self.jobs.announcer is not None:
            counts = self.status_counts.label.text()
            self.jobs.announcer.say(f"{self.document.table.file.name} opened. {counts}.")

    def _fit_words(self, *_: object) -> None:
        if self.model is None:
            return
        kinds = {c: self.model.describe_column(c)[0] for c in range(self.model.columnCount())}
        fit_columns(self.table, columns=[1], grow_only=True, widest=STATUS_WIDEST)
        grown = [c for c, kind in kinds.items() if kind in ("people", "result")]
        fit_columns(self.table, columns=grown, grow_only=True)

    def _theme_changed(self) -> None:
        """Another theme: the rows' colours come again from the new palette."""
        if self.model is not None:
            self.model.palette_changed()
        self.filters.restyle()
        self.timeline.page.view.viewport().update()

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _edited(self) -> None:
        self.dirty = True
        self.edit_count += 1
        self.update_actions()

    @Slot(QModelIndex, QModelIndex, list)
    def _cells_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int]) -> None:
        # The model names RESULT_ROLES when only sending states and results changed; an edit
        # names no roles, as anything (problems included) may have changed; another theme
        # changes the colours only, which neither filter nor count.
        if roles and set(roles) <= set(COLOUR_ROLES):
            return
        self._data_changed(results_only=int(Role.STATE) in roles)

    def _rows_changed(self, *_: object) -> None:
        self._data_changed()

    def _data_changed(self, results_only: bool = False) -> None:
        """Results change colours and counts, never the problems. During a run the filter waits
        for its end (rows would leave the view under the person's eyes); the counts, kept by the
        model and adjusted per answer, follow at once."""
        run_going_on = results_only and self.busy()
        if not run_going_on:
            self.proxy.refresh_filter()
        if not results_only:
            self.problems_panel.schedule()
        self.status_counts.update_counts()

    def update_actions(self) -> None:
        loaded = self.document is not None
        idle = not self.busy()
        for part in self.parts:
            part.update_actions(loaded, idle)

    def save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except OSError as exc:
            log.warning("Settings not saved: %s", exc)

    # --- closing and dropping files -------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy():
            if not self.confirm(
                "Sending in progress",
                "Rows are still being sent. Stop after the rows in flight and quit?",
            ):
                event.ignore()
                return
            self.cancel_run()
            if self.job_thread is not None:
                self.job_thread.wait(30_000)
                # The run's last answers and its end wait in this thread's queue: taken in now,
                # its results count as unsaved before the person is asked about saving.
                QCoreApplication.sendPostedEvents()
        if not self.files.may_close():
            event.ignore()
            return
        self.help.stop_sandbox()
        self.save_settings()
        event.accept()

    def event(self, event: QEvent) -> bool:
        # The docks' tab bar is made (and made again) by the window's layout as the panels are
        # tabbed: named each time it comes.
        if event.type() == QEvent.Type.ChildPolished and isinstance(event, QChildEvent):
            child = event.child()
            if isinstance(child, QTabBar) and not child.accessibleName():
                child.setAccessibleName("Panels")
        return super().event(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.files.drag_enter(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.files.drop(event)
