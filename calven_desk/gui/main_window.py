"""The main window: open a roster, fix it in place, submit rows, see each row's result.

Everything here is glue: reading and checking come from `roster`, sending from `calven.run`, state
from `store`. Questions to the person go through small `ask_*`/`confirm`/`inform` hooks so tests can
answer them without a modal dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from calven_desk.calven.outcomes import Outcome, RowOutcome
from calven_desk.calven.results_file import RESULT_HEADERS, result_cells
from calven_desk.calven.run import (
    Connection,
    RunReport,
    RunSettings,
    execute_run,
    journal_sent_events,
    plan_run,
    resume_run,
)
from calven_desk.calven.sandbox import DEMO_SECRET, Sandbox
from calven_desk.gui import assets
from calven_desk.gui.about import open_log_folder, show_about
from calven_desk.gui.background import BACKGROUND_ROWS, Prepared, autosave_in_background, prepared
from calven_desk.gui.delegates import RosterDelegate
from calven_desk.gui.dialogs import (
    ConnectionDialog,
    LegendDialog,
    MappingDialog,
    SettingsDialog,
    needs_mapping_dialog,
)
from calven_desk.gui.filter_proxy import RosterFilter
from calven_desk.gui.rowstate import FILTERS
from calven_desk.gui.table_model import InsertRow, RemoveRows, Role, RosterTableModel
from calven_desk.gui.table_sizing import fit_columns, selected_row_count
from calven_desk.gui.workers import Worker, start
from calven_desk.roster import (
    LABELS,
    ColumnMap,
    DateOrder,
    MappingError,
    RosterReadError,
    SourceTable,
    Status,
    check_table,
    map_columns,
    read_table,
)
from calven_desk.roster.document import RosterDocument, from_snapshot, snapshot
from calven_desk.roster.writing import write_rows
from calven_desk.store.journal import Journal, JournalError, RunInfo
from calven_desk.store.profiles import (
    Profile,
    ProfileError,
    resolve_connection,
    save_profile,
    use_for_session,
)
from calven_desk.store.recovery import clear_recovery, load_recovery, save_recovery
from calven_desk.store.settings import Settings, load_settings, save_settings

log = logging.getLogger("calven_desk.gui")

AUTOSAVE_MS = 5000
#: The problems panel lists this many; a 50,000-row export with 40,000 problems took over a second
#: to list whole (bench/bench_gui_responsiveness.py), and the Problems filter shows every row anyway.
PROBLEMS_SHOWN = 500
SANDBOX_PROFILE = "Sandbox (this computer)"
ROSTER_FILTER = "Rosters (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt *.tsv);;All files (*)"


class MainWindow(QMainWindow):
    #: Emitted when a roster has been read, checked and shown.
    model_ready = Signal()
    #: Emitted with the RunReport when a submit or resume ends.
    run_finished = Signal(object)

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or load_settings()
        self.document: RosterDocument | None = None
        self.model: RosterTableModel | None = None
        self.proxy = RosterFilter()
        self.dirty = False
        self.save_path: Path | None = None
        self.sandbox: Sandbox | None = None
        self.worker: Worker | None = None
        self.job_thread: QThread | None = None
        self.last_report: RunReport | None = None
        # Answers arriving during a run, shown together at most four times a second so that a
        # fast run on 50,000 rows does not repaint for every batch. The counts and an active
        # filter catch up when the run ends: refiltering 50,000 rows at every tick froze the window.
        self._answers: list[RowOutcome] = []
        self._answers_shown = False
        # The events as the current run sent them, by row: what "changed since sent" compares.
        self._sent_events: dict[int, dict[str, str]] | None = None
        self.answers_timer = QTimer(self)
        self.answers_timer.setSingleShot(True)
        self.answers_timer.setInterval(250)
        self.answers_timer.timeout.connect(self._show_answers)
        self._outcome: tuple[Callable[[Any], None], Any] | None = None
        self._handlers: tuple[Callable[[Any], None], Callable[[str], None]] = (print, print)
        # Hooks for questions; tests replace them, the app shows dialogs.
        self.confirm: Callable[[str, str], bool] = self._confirm_dialog
        self.inform: Callable[[str, str], None] = self._inform_dialog
        self.ask_sheet: Callable[[list[str]], str | None] = self._ask_sheet_dialog
        self.ask_mapping: Callable[[SourceTable, ColumnMap], ColumnMap | None] = (
            self._ask_mapping_dialog
        )
        self.ask_save_path: Callable[[str], str | None] = self._ask_save_path_dialog
        self.ask_unsaved: Callable[[str], str] = self._ask_unsaved_dialog

        self.setWindowTitle("Calven Desk")
        self.resize(1200, 720)
        self.setAcceptDrops(True)
        self.undo_group = QUndoGroup(self)
        self._build_table()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_problems_panel()
        self._build_status_bar()
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.autosave_now)
        self.autosave.start()
        self.update_actions()

    # --- building -------------------------------------------------------------------------------

    def _build_table(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        bar = QHBoxLayout()
        self.filter_buttons = QButtonGroup(self)
        for number, name in enumerate(FILTERS, start=1):
            button = QToolButton()
            button.setText(f"{name}")
            button.setCheckable(True)
            button.setToolTip(f"Show {name.lower()} rows (Alt+{number})")
            button.setShortcut(QKeySequence(f"Alt+{number}"))
            button.setChecked(name == "All")
            button.clicked.connect(lambda _=False, n=name: self.set_filter(n))
            self.filter_buttons.addButton(button)
            bar.addWidget(button)
        bar.addStretch()
        search_label = QLabel("&Search:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("names, emails, dates, messages…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        search_label.setBuddy(self.search)
        bar.addWidget(search_label)
        bar.addWidget(self.search)
        layout.addLayout(bar)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        layout.addWidget(self.banner)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setItemDelegate(RosterDelegate(self._time_off_types))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty_hint = QLabel(
            "Open this month's leave roster (File > Open, Ctrl+O, or drop the file here).\n"
            "No Calven key yet? Choose Help > Try it with the sandbox."
        )
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table)
        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setFormat("%v / %m rows")
        self.progress_label = QLabel()
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_run)
        progress_row.addWidget(self.progress)
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.cancel_button)
        layout.addLayout(progress_row)
        self.setCentralWidget(central)
        self.table.setVisible(False)

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _=False: slot())
        return action

    def _build_actions(self) -> None:
        standard = QKeySequence.StandardKey
        self.act_open = self._action(
            "&Open roster…", self.open_dialog, standard.Open, "Open a leave roster"
        )
        self.act_save = self._action(
            "&Save", self.save, standard.Save, "Save the roster with its results"
        )
        self.act_save_as = self._action("Save &as…", self.save_as, standard.SaveAs)
        self.act_export = self._action("&Export results only…", self.export_results, "Ctrl+E")
        self.act_quit = self._action("&Quit", self.close, standard.Quit)
        self.act_undo = self.undo_group.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(standard.Undo))
        self.act_redo = self.undo_group.createRedoAction(self, "&Redo")
        self.act_redo.setShortcut(QKeySequence(standard.Redo))
        self.act_copy = self._action("&Copy", self.copy_selection, standard.Copy)
        self.act_paste = self._action("&Paste", self.paste, standard.Paste)
        self.act_fill = self._action(
            "&Fill down", self.fill_down, "Ctrl+D", "Copy the top selected value down"
        )
        self.act_add = self._action("&Add row", self.add_row, "Ctrl+Shift+=", "Add a blank row")
        self.act_delete = self._action(
            "&Delete rows", self.delete_rows, "Ctrl+-", "Delete the selected rows"
        )
        self.act_mapping = self._action("Match &columns…", self.remap, "Ctrl+M")
        self.act_submit_selected = self._action(
            "Submit &selected",
            self.submit_selected,
            "Ctrl+Return",
            "Send the selected rows to Calven",
        )
        self.act_submit_ready = self._action(
            "Submit all &ready",
            self.submit_all_ready,
            "Ctrl+Shift+Return",
            "Send every row that is ready",
        )
        self.act_retry = self._action(
            "Retry &failed", self.retry_failed, "Ctrl+R", "Send rejected and not-sent rows again"
        )
        self.act_cancel = self._action("&Cancel sending", self.cancel_run, "Esc")
        self.act_connection = self._action("&Connection…", self.edit_connection, "Ctrl+K")
        self.act_settings = self._action("&Settings…", self.edit_settings, standard.Preferences)
        self.act_sandbox = self._action(
            "&Try it with the sandbox",
            self.try_sandbox,
            None,
            "Start a pretend Calven on this computer and open a sample roster",
        )
        self.act_legend = self._action("What the &colours mean", self.show_legend, "F1")
        self.act_about = self._action("&About Calven Desk", lambda: show_about(self))
        self.act_logs = self._action("Open &log folder", open_log_folder)

    def _build_menus_and_toolbar(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.act_open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.rebuild_recent()
        _fill(
            file_menu, [None, self.act_save, self.act_save_as, self.act_export, None, self.act_quit]
        )
        edit = menu.addMenu("&Edit")
        _fill(
            edit,
            [
                self.act_undo,
                self.act_redo,
                None,
                self.act_copy,
                self.act_paste,
                self.act_fill,
                None,
                self.act_add,
                self.act_delete,
                None,
                self.act_mapping,
            ],
        )
        send = menu.addMenu("S&end")
        _fill(
            send,
            [
                self.act_submit_selected,
                self.act_submit_ready,
                self.act_retry,
                self.act_cancel,
                None,
                self.act_connection,
                self.act_settings,
            ],
        )
        self.help_menu = menu.addMenu("&Help")
        _fill(
            self.help_menu, [self.act_sandbox, self.act_legend, None, self.act_logs, self.act_about]
        )
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        _fill(
            toolbar,
            [
                self.act_open,
                self.act_save,
                self.act_undo,
                self.act_redo,
                None,
                self.act_submit_selected,
                self.act_submit_ready,
                self.act_retry,
                None,
                self.act_connection,
            ],
        )

    def _build_problems_panel(self) -> None:
        dock = QDockWidget("Problems", self)
        dock.setObjectName("problems")
        self.problems = QListWidget()
        self.problems.itemActivated.connect(self.go_to_problem)
        self.problems.itemClicked.connect(self.go_to_problem)
        self.problems.setWordWrap(True)
        self.problems.setMinimumWidth(320)
        dock.setWidget(self.problems)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.problems_timer = QTimer(self)
        self.problems_timer.setSingleShot(True)
        self.problems_timer.setInterval(50)
        self.problems_timer.timeout.connect(self.rebuild_problems)

    def _build_status_bar(self) -> None:
        self.counts = QLabel()
        self.statusBar().addPermanentWidget(self.counts)

    # --- small helpers --------------------------------------------------------------------------

    def _confirm_dialog(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def _inform_dialog(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    def _ask_sheet_dialog(self, sheets: list[str]) -> str | None:
        name, ok = QInputDialog.getItem(
            self,
            "Which sheet?",
            "This workbook has several sheets with leave. Open:",
            sheets,
            0,
            False,
        )
        return name if ok else None

    def _ask_mapping_dialog(self, table: SourceTable, mapping: ColumnMap) -> ColumnMap | None:
        dialog = MappingDialog(table, mapping, self)
        return dialog.chosen_mapping() if dialog.exec() else None

    def _ask_save_path_dialog(self, suggestion: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save roster", suggestion, "Excel (*.xlsx);;CSV (*.csv)"
        )
        return path or None

    def _time_off_types(self) -> list[str]:
        return self.document.time_off_types() if self.document else []

    def busy(self) -> bool:
        return self.job_thread is not None

    def set_filter(self, name: str) -> None:
        self.proxy.set_mode(name)
        for button in self.filter_buttons.buttons():
            button.setChecked(button.text() == name)

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except OSError as exc:
            log.warning("Settings not saved: %s", exc)

    # --- opening --------------------------------------------------------------------------------

    def open_dialog(self) -> None:
        if not self.may_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open leave roster", "", ROSTER_FILTER)
        if path:
            self.open_file(path)

    def rebuild_recent(self) -> None:
        self.recent_menu.clear()
        for number, path in enumerate(self.settings.recent_files, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(path).name}")
            action.setToolTip(path)
            action.triggered.connect(
                lambda _=False, p=path: self.open_file(p) if self.may_discard() else None
            )
        self.recent_menu.setEnabled(bool(self.settings.recent_files))

    def _run_in_background(
        self, worker: Worker, done: Callable[[Any], None], failed: Callable[[str], None]
    ) -> None:
        """Run a worker; its outcome is handled on the GUI thread once its thread has finished.

        Signals go to bound slots of this window (queued across threads), never to lambdas, which
        PySide would call in the worker's thread. Handling the outcome only after the thread ends
        lets a handler start the next job (read, then check) without two jobs overlapping.
        """
        self.worker = worker
        self._outcome = None
        self._handlers = (done, failed)
        worker.done.connect(self._worker_done)
        worker.failed.connect(self._worker_failed)
        worker.progress.connect(self.show_progress)
        worker.answered.connect(self._answers_arrived)
        self.job_thread = start(worker, self)
        self.job_thread.finished.connect(self._background_finished)
        self.update_actions()

    @Slot(object)
    def _answers_arrived(self, outcomes: list[RowOutcome]) -> None:
        self._answers.extend(outcomes)
        if not self.answers_timer.isActive():
            self.answers_timer.start()

    def _show_answers(self) -> None:
        answers, self._answers = self._answers, []
        if answers and self.model is not None:
            self.model.record_answers(answers, self._sent_events)
            self._answers_shown = True

    def _drop_pending_answers(self) -> None:
        """The run's report holds every answer; the ones still waiting for the timer are in it."""
        self.answers_timer.stop()
        self._answers = []

    @Slot(object)
    def _worker_done(self, result: object) -> None:
        self._outcome = (self._handlers[0], result)

    @Slot(str)
    def _worker_failed(self, message: str) -> None:
        self._outcome = (self._handlers[1], message)

    @Slot()
    def _background_finished(self) -> None:
        self.job_thread = None
        self.worker = None
        self.progress.setVisible(False)
        self.progress_label.clear()
        self.cancel_button.setVisible(False)
        self.update_actions()
        outcome, self._outcome = self._outcome, None
        if outcome is not None:
            handler, value = outcome
            handler(value)

    def open_file(self, path: str | Path, sheet: str | None = None) -> None:
        """Read in the background; the current roster stays until the new one is ready."""
        if self.busy():
            return
        path = Path(path)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.progress_label.setText(f"Reading {path.name}…")
        worker = Worker(lambda _w: read_table(path, sheet), (RosterReadError,))
        self._run_in_background(
            worker, lambda table: self._table_read(table, sheet is None), self._read_failed
        )

    def _read_failed(self, message: str) -> None:
        self.inform("Cannot open the file", message)

    def _table_read(self, table: SourceTable, may_ask_sheet: bool) -> None:
        if may_ask_sheet and len(table.sheets_with_header) > 1:
            chosen = self.ask_sheet(table.sheets_with_header)
            if chosen is None:
                return
            if chosen != table.sheet:
                self.open_file(table.file, chosen)
                return
        mapping = map_columns(table.headers)
        if needs_mapping_dialog(mapping):
            chosen_map = self.ask_mapping(table, mapping)
            if chosen_map is None:
                return
            mapping = chosen_map
        self._check_in_background(table, mapping)

    def _check_in_background(self, table: SourceTable, mapping: ColumnMap) -> None:
        order = DateOrder(self.settings.date_order) if self.settings.date_order else None
        worker = Worker(
            lambda _w: prepared(RosterDocument(check_table(table, mapping, date_order=order))),
            (MappingError, ValueError),
        )
        QTimer.singleShot(
            0, lambda: self._run_in_background(worker, self._checked, self._read_failed)
        )

    def _checked(self, ready: Prepared) -> None:
        self.show_document(ready.document, counts=ready.counts)
        self.settings.remember_file(str(ready.document.table.file))
        self.save_settings()
        self.rebuild_recent()
        self.model_ready.emit()

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
        self.dirty = dirty
        self.save_path = None
        table = document.table
        where = f", sheet '{table.sheet}'" if table.sheet else ""
        self.setWindowTitle(f"{table.file.name}{where} – Calven Desk")
        self.show_banner(
            f"Header in row {table.header_row}. {document.date_order.describe()} "
            "Columns dimmed on the right are kept but never sent."
        )
        self._data_changed()
        self.update_actions()

    def _edited(self) -> None:
        self.dirty = True
        self.update_actions()

    @Slot(QModelIndex, QModelIndex, list)
    def _cells_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int]) -> None:
        # The model names RESULT_ROLES when only sending states and results changed; an edit
        # names no roles, as anything (problems included) may have changed.
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
            self.problems_timer.start()
        self.update_counts()

    # --- problems panel and counts --------------------------------------------------------------

    def rebuild_problems(self) -> None:
        self.problems.clear()
        if self.document is None:
            return
        total = self.model.counts()["problem items"] if self.model is not None else 0
        shown = 0
        for row in self.document.rows:
            if shown >= PROBLEMS_SHOWN:
                more = QListWidgetItem(
                    f"… and {total - shown:,} more. Choose the Problems filter (Alt+2) to see every row."
                )
                more.setData(Qt.ItemDataRole.UserRole, None)
                self.problems.addItem(more)
                break
            for problem in row.check.problems:
                shown += 1
                label = LABELS[problem.field] if problem.field else "Row"
                mark = "✖" if problem.severity == "error" else "⚠"
                item = QListWidgetItem(f"{mark} Row {row.check.row} · {label}: {problem.message}")
                item.setData(Qt.ItemDataRole.UserRole, (row.check.row, problem.field))
                item.setToolTip(problem.message)
                self.problems.addItem(item)

    def go_to_problem(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target is None:
            self.set_filter("Problems")
            return
        row_number, name = target
        self.select_cell(row_number, name)

    def select_cell(self, row_number: int, name: str | None) -> None:
        if self.document is None or self.model is None:
            return
        index = self.document.index_of(row_number)
        if index is None:
            return
        column = self.model.field_column(name) if name in self.document.fields else 1
        if self.proxy.mapFromSource(self.model.index(index, column)).row() < 0:
            self.set_filter("All")
            self.search.clear()
        target = self.proxy.mapFromSource(self.model.index(index, column))
        self.table.setCurrentIndex(target)
        self.table.scrollTo(target)
        self.table.setFocus()

    def update_counts(self) -> None:
        if self.model is None or self.document is None:
            self.counts.setText("No roster open")
            return
        by = self.model.counts()
        selected = selected_row_count(self.table)
        self.counts.setText(
            f"Rows {by['rows']} · ready {by['ready']} · with problems {by['problems']} · "
            f"accepted {by['Accepted']} · rejected {by['Rejected']} · not sent {by['Not sent']} · "
            f"selected {selected}"
        )

    def update_actions(self) -> None:
        loaded = self.document is not None
        idle = not self.busy()
        for action in (
            self.act_save,
            self.act_save_as,
            self.act_export,
            self.act_copy,
            self.act_paste,
            self.act_fill,
            self.act_add,
            self.act_delete,
            self.act_mapping,
            self.act_submit_selected,
            self.act_submit_ready,
            self.act_retry,
        ):
            action.setEnabled(loaded and idle)
        self.act_open.setEnabled(idle)
        self.act_sandbox.setEnabled(idle)
        self.act_cancel.setEnabled(not idle)

    # --- editing --------------------------------------------------------------------------------

    def selected_source_indexes(self) -> list[QModelIndex]:
        return [self.proxy.mapToSource(i) for i in self.table.selectionModel().selectedIndexes()]

    def selected_rows(self) -> list[int]:
        """Sheet row numbers of the selected rows."""
        if self.document is None:
            return []
        rows = self.proxy.source_rows_in(self.table.selectionModel().selection())
        return [self.document.rows[r].check.row for r in rows]

    def copy_selection(self) -> None:
        indexes = sorted(
            self.table.selectionModel().selectedIndexes(), key=lambda i: (i.row(), i.column())
        )
        if not indexes:
            return
        rows: dict[int, dict[int, str]] = {}
        for index in indexes:
            rows.setdefault(index.row(), {})[index.column()] = str(
                index.data(Qt.ItemDataRole.DisplayRole) or ""
            )
        columns = sorted({i.column() for i in indexes})
        text = "\n".join(
            "\t".join(cells.get(c, "") for c in columns) for _, cells in sorted(rows.items())
        )
        QGuiApplication.clipboard().setText(text)

    def paste(self) -> None:
        """Tab-separated text from Excel, starting at the current cell; one undo step for all of it."""
        if self.model is None:
            return
        text = QGuiApplication.clipboard().text()
        start_index = self.table.currentIndex()
        if not text or not start_index.isValid():
            return
        lines = text.rstrip("\r\n").replace("\r\n", "\n").split("\n")
        changes = []
        for dy, line in enumerate(lines):
            proxy_row = start_index.row() + dy
            if proxy_row >= self.proxy.rowCount():
                break
            for dx, value in enumerate(line.split("\t")):
                source = self.proxy.mapToSource(
                    self.proxy.index(proxy_row, start_index.column() + dx)
                )
                name = self.model.column_field(source.column())
                if source.isValid() and name is not None:
                    changes.append((source.row(), name, value.strip()))
        self.model.edit_cells(changes, "Paste")

    def fill_down(self) -> None:
        if self.model is None:
            return
        by_column: dict[int, list[QModelIndex]] = {}
        for index in self.table.selectionModel().selectedIndexes():
            by_column.setdefault(index.column(), []).append(index)
        changes = []
        for indexes in by_column.values():
            indexes.sort(key=lambda i: i.row())
            top = self.proxy.mapToSource(indexes[0])
            name = self.model.column_field(top.column())
            if name is None:
                continue
            value = str(top.data(Qt.ItemDataRole.EditRole) or "")
            changes += [(self.proxy.mapToSource(i).row(), name, value) for i in indexes[1:]]
        self.model.edit_cells(changes, "Fill down")

    def add_row(self) -> None:
        if self.model is None:
            return
        position = len(self.model.document.rows)
        self.model.undo_stack.push(InsertRow(self.model, position))
        self.select_cell(
            self.model.document.rows[position].check.row, self.model.document.fields[0]
        )

    def delete_rows(self) -> None:
        if self.model is None:
            return
        rows = self.proxy.source_rows_in(self.table.selectionModel().selection())
        if rows and self.confirm(
            "Delete rows", f"Delete {len(rows)} row(s) from the roster? (Undo brings them back.)"
        ):
            self.model.undo_stack.push(RemoveRows(self.model, rows))

    def remap(self) -> None:
        if self.document is None or self.busy():
            return
        table = self.document.table
        if self.dirty and not self.confirm(
            "Match columns again",
            "Matching the columns again re-reads the rows from the file; edits made here are lost. Go on?",
        ):
            return
        chosen = self.ask_mapping(table, self.document.mapping)
        if chosen is not None:
            self._check_in_background(table, chosen)

    # --- saving and recovery --------------------------------------------------------------------

    def _rows_with_results(self) -> tuple[list[str], list[list[Any]]]:
        assert self.document is not None
        headers = [*self.document.source_headers(), *RESULT_HEADERS]
        rows = []
        for cells, row in zip(self.document.rows_for_saving(), self.document.rows, strict=True):
            result = row.result if isinstance(row.result, RowOutcome) else None
            rows.append([*cells, *result_cells(result)])
        return headers, rows

    def save(self) -> bool:
        if self.document is None:
            return False
        target = self.save_path
        if target is None:
            return self.save_as()
        return self._write(target)

    def save_as(self) -> bool:
        if self.document is None:
            return False
        source = self.document.table.file
        suggestion = str(source.with_name(source.stem + " (checked).xlsx"))
        chosen = self.ask_save_path(suggestion)
        if not chosen:
            return False
        target = Path(chosen)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".xlsx")
        if target.resolve() == source.resolve() and not self.confirm(
            "Replace the original?",
            f"Replace the original file {source.name} with the edited roster?",
        ):
            return False
        return self._write(target)

    def _write(self, target: Path) -> bool:
        headers, rows = self._rows_with_results()
        try:
            write_rows(target, headers, rows)
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.inform(
                "Not saved",
                f"{target.name} could not be saved: {reason}. Try another name or folder.",
            )
            return False
        self.save_path = target
        self.dirty = False
        clear_recovery()
        self.statusBar().showMessage(f"Saved {target}", 5000)
        return True

    def export_results(self) -> None:
        if self.document is None:
            return
        chosen = self.ask_save_path(str(self.document.table.file.with_name("results.xlsx")))
        if not chosen:
            return
        rows = []
        for row in self.document.rows:
            result = row.result if isinstance(row.result, RowOutcome) else None
            event = row.check.event or {}
            who = event.get("email") or event.get("uid") or ""
            rows.append([row.check.row, event.get("eventId", ""), who, *result_cells(result)])
        try:
            write_rows(chosen, ["Row", "Event ID", "Email or uid", *RESULT_HEADERS], rows)
        except (OSError, ValueError) as exc:
            self.inform("Not saved", f"The results could not be saved: {exc}")

    def autosave_now(self) -> None:
        if self.document is not None and self.dirty:
            if len(self.document.rows) >= BACKGROUND_ROWS:
                autosave_in_background(self.document)  # seconds on the GUI thread at 50,000 rows
                return
            try:
                save_recovery(snapshot(self.document))
            except OSError as exc:
                log.warning("Autosave failed: %s", exc)

    def offer_recovery(self) -> bool:
        data = load_recovery()
        if data is None:
            return False
        name = Path(str(data.get("file", "a roster"))).name
        if self.confirm(
            "Restore unsaved edits?",
            f"Calven Desk closed without saving your edits to {name}. Restore them?",
        ):
            try:
                self.show_document(from_snapshot(data), dirty=True)
                return True
            except ValueError:
                self.inform("Cannot restore", "The saved edits could not be read, sorry.")
        clear_recovery()
        return False

    def may_discard(self) -> bool:
        if not self.dirty or self.document is None:
            return True
        answer = self.ask_unsaved(self.document.table.file.name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def _ask_unsaved_dialog(self, name: str) -> str:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved edits",
            f"Save your edits to {name} first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"

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
        if not self.may_discard():
            event.ignore()
            return
        if not self.dirty:
            clear_recovery()
        if self.sandbox is not None:
            self.sandbox.stop()
        self.save_settings()
        event.accept()

    # --- drag and drop --------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files and self.may_discard():
            self.open_file(files[0])

    # --- connection and settings ----------------------------------------------------------------

    def edit_connection(self) -> None:
        ConnectionDialog(self.settings, self).exec()
        self.save_settings()

    def edit_settings(self) -> None:
        if SettingsDialog(self.settings, self).exec():
            self.save_settings()

    def show_legend(self) -> None:
        LegendDialog(self).exec()

    def connection(self) -> Connection | None:
        try:
            resolved = resolve_connection(self.settings.last_profile)
        except ProfileError as exc:
            self.inform(
                "Connect to Calven first", f"{exc} Choose Send > Connection… to set one up."
            )
            return None
        return Connection(
            resolved.base_url,
            resolved.auth,
            resolved.key_id,
            resolved.secret.reveal(),
            resolved.profile,
        )

    def run_settings(self) -> RunSettings:
        return RunSettings(
            batch_size=self.settings.batch_size,
            parallel=self.settings.parallel,
            timeout_seconds=self.settings.timeout_seconds,
            ca_bundle=self.settings.ca_bundle,
            max_retries=self.settings.max_retries,
        )

    # --- submitting -----------------------------------------------------------------------------

    def submit_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            self.inform(
                "Nothing selected", "Select the rows to send first (click, Shift+click or Ctrl+A)."
            )
            return
        self.submit(rows)

    def submit_all_ready(self) -> None:
        if self.document is None:
            return
        rows = []
        for row in self.document.rows:
            if _answered(row.result, row.changed_since_sent):
                continue
            if row.check.status is not Status.INVALID:
                rows.append(row.check.row)
        self.submit(rows)

    def retry_failed(self) -> None:
        if self.document is None:
            return
        failed = [
            r.check.row
            for r in self.document.rows
            if isinstance(r.result, RowOutcome)
            and r.result.outcome in (Outcome.REJECTED, Outcome.NOT_SENT)
        ]
        if not failed:
            self.inform("Nothing to retry", "No row was rejected or left unsent.")
            return
        self.submit(failed)

    def submit(self, rows: list[int]) -> None:
        if self.document is None or self.busy():
            return
        connection = self.connection()
        if connection is None:
            return
        if self.model is not None:
            self.model.settle_checks()  # a run must see every clash between rows
        plan = plan_run(self.document.as_check(), rows)
        if not plan.events:
            self.inform(
                "Nothing to send",
                "None of these rows can be sent: fix the rows marked in red first.",
            )
            return
        skipped = (
            f"\n{len(plan.skipped)} of the selected rows need fixing and will be skipped."
            if plan.skipped
            else ""
        )
        profile = connection.profile or "(no profile)"
        if not self.confirm(
            "Send to Calven?",
            f"Send {len(plan.events)} row(s) to {connection.base_url} using profile '{profile}'?{skipped}",
        ):
            return
        assert self.model is not None
        self.model.set_sending(e.row for e in plan.events)
        self._sent_events = {e.row: dict(e.event) for e in plan.events}
        self._answers_shown = False
        settings = self.run_settings()
        document = self.document

        def job(worker: Worker) -> RunReport:
            with Journal() as journal:
                return execute_run(
                    plan,
                    connection,
                    settings=settings,
                    journal=journal,
                    source=str(document.table.file.resolve()),
                    sheet=document.table.sheet,
                    progress=worker.report,
                    cancel=worker.cancel,
                    answered=worker.feed,
                )

        self.progress.setRange(0, len(plan.events))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self._run_in_background(Worker(job, ()), self._submitted, self._submit_failed)

    def show_progress(self, done: int, total: int, state: str) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progress_label.setText(state)

    def cancel_run(self) -> None:
        if self.worker is not None:
            self.worker.cancel.set()
            self.progress_label.setText("Stopping: waiting for the answers already on their way…")

    def _submit_failed(self, message: str) -> None:
        # No report comes: the answers that did arrive are all there is to show (the journal
        # has them too), and they are results worth saving.
        self.answers_timer.stop()
        self._show_answers()
        if self._answers_shown:
            self.dirty = True
        self._sent_events = None
        if self.model is not None:
            self.model.set_sending([])
        self.inform("Sending failed", message)

    def _submitted(self, report: RunReport) -> None:
        self._drop_pending_answers()
        self.last_report = report
        if self.model is not None:
            self.model.record_results(report.outcomes, self._sent_events)
        self._sent_events = None
        summary = report.summary()
        text = (
            f"{summary['accepted']} accepted, {summary['rejected']} rejected, "
            f"{summary['not_sent']} not sent, {summary['skipped']} skipped."
        )
        self.statusBar().showMessage(f"Run {report.run_id}: {text}", 15000)
        if report.fatal:
            self.inform("Sending stopped", f"{report.fatal}\n\n{text}")
        self.dirty = True
        self.run_finished.emit(report)

    # --- interrupted runs -----------------------------------------------------------------------

    def offer_resume(self) -> None:
        try:
            with Journal() as journal:
                # Journal retention (Settings): old runs go at start-up, before anything is offered.
                journal.purge_older_than(timedelta(days=self.settings.journal_retention_days))
                runs = journal.interrupted_runs()
        except Exception:  # a damaged journal must not keep the app from starting
            log.exception("Journal could not be read")
            return
        if not runs:
            return
        run = runs[0]
        name = Path(run.source).name
        if not self.confirm(
            "Finish an interrupted run?",
            f"Sending {name} to {run.host} stopped before Calven answered {run.unanswered} row(s). "
            "Send those rows now? (Rows Calven already answered are not sent again.)",
        ):
            with Journal() as journal:
                journal.dismiss(run.id)
            return
        self.resume(run)

    def resume(self, run: RunInfo) -> None:
        if run.profile:
            self.settings.last_profile = run.profile
        connection = self.connection()
        if connection is None:
            return
        settings = self.run_settings()
        live = self._on_screen(run)  # answers colour rows only of the run's own roster
        try:
            with Journal() as journal:
                self._sent_events = journal_sent_events(journal, run.id)
        except JournalError:
            self._sent_events = None  # resume_run meets the same journal and says what is wrong
        self._answers_shown = False

        def job(worker: Worker) -> RunReport:
            with Journal() as journal:
                return resume_run(
                    run.id,
                    connection,
                    settings=settings,
                    journal=journal,
                    progress=worker.report,
                    cancel=worker.cancel,
                    answered=worker.feed if live else None,
                )

        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self._run_in_background(
            Worker(job, ()), lambda report: self._resumed(run, report), self._submit_failed
        )

    def _on_screen(self, run: RunInfo) -> bool:
        """Whether the roster open in the window is the one the run was sent from."""
        return self.document is not None and str(self.document.table.file.resolve()) == run.source

    def _resumed(self, run: RunInfo, report: RunReport) -> None:
        if self._on_screen(run):
            self._submitted(report)
            return
        summary = report.summary()
        self.inform(
            "Run finished",
            f"{Path(run.source).name}: {summary['accepted']} accepted, "
            f"{summary['rejected']} rejected, {summary['not_sent']} not sent.",
        )
        self.run_finished.emit(report)

    # --- the sandbox ----------------------------------------------------------------------------

    def try_sandbox(self) -> None:
        """Start a pretend Calven here, point a profile at it and open the sample roster."""
        if not self.may_discard():
            return
        if self.sandbox is None:
            self.sandbox = Sandbox(users=assets.sample_users()).start()
        profile = Profile(SANDBOX_PROFILE, "sandbox-key", self.sandbox.url, "hmac")
        save_profile(profile, None)
        use_for_session(SANDBOX_PROFILE, DEMO_SECRET)  # a public demo key: no keyring needed
        self.settings.last_profile = SANDBOX_PROFILE
        self.save_settings()
        self.open_file(assets.sample_roster())
        self.statusBar().showMessage(
            f"Sandbox running at {self.sandbox.url}: nothing reaches the real Calven.", 10000
        )


def _answered(result: object, changed: bool) -> bool:
    return isinstance(result, RowOutcome) and result.outcome is Outcome.ACCEPTED and not changed


def _fill(target: QMenu | QToolBar, actions: list[QAction | None]) -> None:
    for action in actions:
        if action is None:
            target.addSeparator()
        else:
            target.addAction(action)
