"""Files: open (dialog, recent, drop), read and check in the background, save, save as, export,
autosave, recovery after a crash, and what to do with unsaved edits (the File menu)."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenuBar

from calven_desk.calven.outcomes import RowOutcome
from calven_desk.calven.results_file import RESULT_HEADERS, result_cells
from calven_desk.gui.dialogs.mapping import needs_mapping_dialog
from calven_desk.gui.table.cross_pass import Prepared, prepared
from calven_desk.gui.threads.background import BACKGROUND_ROWS, autosave_in_background
from calven_desk.gui.threads.workers import Worker
from calven_desk.gui.window.part import Window, WindowPart, fill
from calven_desk.roster import (
    ColumnMap,
    DateOrder,
    MappingError,
    RosterReadError,
    SourceTable,
    check_table,
    map_columns,
    read_table,
)
from calven_desk.roster.document import RosterDocument, from_snapshot, snapshot
from calven_desk.roster.writing import write_rows
from calven_desk.store.recovery import clear_recovery, load_recovery, save_recovery

log = logging.getLogger("calven_desk.gui")

AUTOSAVE_MS = 5000
ROSTER_FILTER = "Rosters (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt *.tsv);;All files (*)"


class Written:
    """The window's `edit_count` when the recovery file was last written (-1: never). A plain
    object, not the Qt part: an autosave worker marks it from its own thread, maybe after the
    window has closed."""

    def __init__(self) -> None:
        self.count = -1

    def mark(self, count: int) -> None:
        self.count = count


class FilesPart(WindowPart):
    """The roster's file: getting it in, writing it out, and never losing edits in between."""

    #: A roster has been read, checked and shown.
    opened = Signal()

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        standard = QKeySequence.StandardKey
        self.act_open = self.action(
            "&Open roster…", self.open_dialog, standard.Open, "Open a leave roster"
        )
        self.act_save = self.action(
            "&Save", self.save, standard.Save, "Save the roster with its results"
        )
        self.act_save_as = self.action("Save &as…", self.save_as, standard.SaveAs)
        self.act_export = self.action("&Export results only…", self.export_results, "Ctrl+E")
        self.act_quit = self.action("&Quit", self.qt.close, standard.Quit)
        self._written = Written()
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.autosave_now)
        self.autosave.start()

    def add_menu(self, bar: QMenuBar) -> None:
        menu = bar.addMenu("&File")
        menu.addAction(self.act_open)
        self.recent_menu = menu.addMenu("Open &recent")
        self.rebuild_recent()
        fill(menu, [None, self.act_save, self.act_save_as, self.act_export, None, self.act_quit])

    def update_actions(self, loaded: bool, idle: bool) -> None:
        for action in (self.act_save, self.act_save_as, self.act_export):
            action.setEnabled(loaded and idle)
        self.act_open.setEnabled(idle)

    def toolbar_actions(self) -> list[QAction | None]:
        return [self.act_open, self.act_save]

    # --- opening --------------------------------------------------------------------------------

    def open_dialog(self) -> None:
        if not self.may_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self.qt, "Open leave roster", "", ROSTER_FILTER)
        if path:
            self.open_file(path)

    def rebuild_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.window.settings.recent_files
        for number, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(path).name}")
            action.setToolTip(path)
            action.triggered.connect(
                lambda _=False, p=path: self.open_file(p) if self.may_discard() else None
            )
        self.recent_menu.setEnabled(bool(recent))

    def open_file(self, path: str | Path, sheet: str | None = None) -> None:
        """Read in the background; the current roster stays until the new one is ready."""
        jobs = self.window.jobs
        if jobs.busy():
            return
        path = Path(path)
        jobs.show_reading(f"Reading {path.name}…")
        worker = Worker(
            lambda _w: read_table(path, sheet, row_by_row=True), (RosterReadError,), quiet=True
        )
        jobs.run(worker, lambda table: self._table_read(table, sheet is None), self._read_failed)

    def _read_failed(self, message: str) -> None:
        self.window.inform("Cannot open the file", message)

    def _table_read(self, table: SourceTable, may_ask_sheet: bool) -> None:
        if may_ask_sheet and len(table.sheets_with_header) > 1:
            chosen = self.window.ask_sheet(table.sheets_with_header)
            if chosen is None:
                return
            if chosen != table.sheet:
                self.open_file(table.file, chosen)
                return
        mapping = map_columns(table.headers)
        if needs_mapping_dialog(mapping):
            chosen_map = self.window.ask_mapping(table, mapping)
            if chosen_map is None:
                return
            mapping = chosen_map
        self.check_in_background(table, mapping)

    def check_in_background(self, table: SourceTable, mapping: ColumnMap) -> None:
        """Check the rows read with this mapping (at opening, and when columns are matched again)."""
        settings = self.window.settings
        order = DateOrder(settings.date_order) if settings.date_order else None
        worker = Worker(  # the document and its counts made in the worker too (issue 10)
            lambda _w: prepared(RosterDocument(check_table(table, mapping, date_order=order))),
            (MappingError, ValueError),
            quiet=True,
        )
        QTimer.singleShot(0, lambda: self.window.jobs.run(worker, self._checked, self._read_failed))

    def _checked(self, ready: Prepared) -> None:
        self.window.show_document(ready.document, counts=ready.counts)
        self.window.settings.remember_file(str(ready.document.table.file))
        self.window.save_settings()
        self.rebuild_recent()
        self.opened.emit()

    # --- saving ---------------------------------------------------------------------------------

    def _rows_with_results(self) -> tuple[list[str], list[list[Any]]]:
        document = self.window.document
        assert document is not None
        headers = [*document.source_headers(), *RESULT_HEADERS]
        rows = []
        for cells, row in zip(document.rows_for_saving(), document.rows, strict=True):
            result = row.result if isinstance(row.result, RowOutcome) else None
            rows.append([*cells, *result_cells(result)])
        return headers, rows

    def save(self) -> bool:
        if self.window.document is None:
            return False
        target = self.window.save_path
        if target is None:
            return self.save_as()
        return self._write(target)

    def save_as(self) -> bool:
        if self.window.document is None:
            return False
        source = self.window.document.table.file
        suggestion = str(source.with_name(source.stem + " (checked).xlsx"))
        chosen = self.window.ask_save_path(suggestion)
        if not chosen:
            return False
        target = Path(chosen)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".xlsx")
        if target.resolve() == source.resolve() and not self.window.confirm(
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
            self.window.inform(
                "Not saved",
                f"{target.name} could not be saved: {reason}. Try another name or folder.",
            )
            return False
        self.window.save_path = target
        self.window.dirty = False
        clear_recovery()
        self.qt.statusBar().showMessage(f"Saved {target}", 5000)
        return True

    def export_results(self) -> None:
        document = self.window.document
        if document is None:
            return
        chosen = self.window.ask_save_path(str(document.table.file.with_name("results.xlsx")))
        if not chosen:
            return
        rows = []
        for row in document.rows:
            result = row.result if isinstance(row.result, RowOutcome) else None
            event = row.check.event or {}
            who = event.get("email") or event.get("uid") or ""
            rows.append([row.check.row, event.get("eventId", ""), who, *result_cells(result)])
        try:
            write_rows(chosen, ["Row", "Event ID", "Email or uid", *RESULT_HEADERS], rows)
        except (OSError, ValueError) as exc:
            self.window.inform("Not saved", f"The results could not be saved: {exc}")

    # --- autosave, recovery and unsaved edits ---------------------------------------------------

    def autosave_now(self) -> None:
        """Write the recovery file when an edit was made since it was last written.

        Unsaved edits used to be written again every five seconds until saved, changed or not: on
        50,000 rows each write is a worker's second of Python, which slowed the window through a
        whole run. A run's results are not in the file (the journal keeps them), so they do not
        make it due.
        """
        window = self.window
        if window.document is None or not window.dirty or window.edit_count == self._written.count:
            return
        count = window.edit_count
        if len(window.document.rows) >= BACKGROUND_ROWS:
            # Seconds here on 50,000 rows. The worker marks what it wrote once it has: a write
            # that fails (a full disk) is tried again at the next tick.
            autosave_in_background(window.document, partial(self._written.mark, count))
            return
        try:
            save_recovery(snapshot(window.document))
        except OSError as exc:
            log.warning("Autosave failed: %s", exc)
            return
        self._written.mark(count)

    def offer_recovery(self) -> bool:
        data = load_recovery()
        if data is None:
            return False
        name = Path(str(data.get("file", "a roster"))).name
        if self.window.confirm(
            "Restore unsaved edits?",
            f"Calven Desk closed without saving your edits to {name}. Restore them?",
        ):
            try:
                self.window.show_document(from_snapshot(data), dirty=True)
                return True
            except ValueError:
                self.window.inform("Cannot restore", "The saved edits could not be read, sorry.")
        clear_recovery()
        return False

    def may_discard(self) -> bool:
        """Whether the roster on screen may go: saved, or the person said save or discard."""
        document = self.window.document
        if not self.window.dirty or document is None:
            return True
        answer = self.window.ask_unsaved(document.table.file.name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def may_close(self) -> bool:
        """At closing: ask about unsaved edits; with none left, the recovery copy goes too."""
        if not self.may_discard():
            return False
        if not self.window.dirty:
            clear_recovery()
        return True

    # --- drag and drop --------------------------------------------------------------------------

    def drag_enter(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def drop(self, event: QDropEvent) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files and self.may_discard():
            self.open_file(files[0])
