"""Files: open (dialog, recent, drop), read and check in the background, save, save as, export,
autosave, recovery after a crash, and what to do with unsaved edits (the File menu)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenuBar

from calven_desk.calven.outcomes import RowOutcome
from calven_desk.calven.results_file import (
    RESULT_HEADERS,
    PreparedSave,
    prepare_save,
    result_cells,
    write_prepared,
)
from calven_desk.gui.dialogs.mapping import needs_mapping_dialog
from calven_desk.gui.table.cross_pass import Prepared, prepared
from calven_desk.gui.table.roles import NOT_SENT_MARK
from calven_desk.gui.threads.background import BACKGROUND_ROWS, autosave_in_background
from calven_desk.gui.threads.workers import Worker
from calven_desk.gui.window.part import Window, WindowPart, fill
from calven_desk.roster import (
    ColumnMap,
    DateOrder,
    DateOrderDecision,
    DateOrderUnknown,
    MappingError,
    RosterReadError,
    SourceTable,
    check_table,
    decide_order,
    map_columns,
    read_table,
    shape_key,
)
from calven_desk.roster.date_order import examples, two_readings
from calven_desk.roster.document import Reread, RosterDocument, from_snapshot, snapshot
from calven_desk.roster.saving import SaveError
from calven_desk.roster.writing import write_rows
from calven_desk.store.atomic import replacing
from calven_desk.store.recovery import clear_recovery, load_recovery, save_recovery

log = logging.getLogger("calven_desk.gui")

AUTOSAVE_MS = 5000
ROSTER_FILTER = "Rosters (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt *.tsv);;All files (*)"
#: Save as offers the file's own kind where it can write it; other kinds save as .xlsx.
SAVE_SUFFIXES = (".xlsx", ".csv")


def banner_text(document: RosterDocument) -> str:
    """The line above the table: where the header is, how the dates were read and why."""
    decision = document.date_order
    change = (
        " (File > Read dates as… changes it.)"
        if decision.mattered and decision.source != "file"
        else ""
    )
    return (
        f"Header in row {document.table.header_row}. {decision.describe()}{change} "
        f"Columns marked {NOT_SENT_MARK} are kept from the file but never sent."
    )


def _write_or_say_why(target: Path, prepared: PreparedSave) -> None:
    """Write a prepared save; a failure of the disk becomes the sentence the person reads."""
    try:
        write_prepared(target, prepared)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).rstrip(".")  # Windows' own words end with one
        raise SaveError(
            f"{target.name} could not be saved: {reason}. Try another name or folder."
        ) from None


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
    #: The open roster's dates were read again the other way round.
    dates_reread = Signal()

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        standard = QKeySequence.StandardKey
        self.act_open = self.action(
            "&Open roster…", self.open_dialog, standard.Open, "Open a leave roster"
        )
        self.act_save = self.action(
            "&Save", self.save, standard.Save, "Save the roster with its results"
        )
        self.act_save_as = self.action(
            "Save &as…", self.save_as, standard.SaveAs, "Save the roster under another name"
        )
        self.act_export = self.action(
            "&Export results only…",
            self.export_results,
            "Ctrl+E",
            "Save each row's result, without the roster",
        )
        self.act_date_order = self.action(
            "Read &dates as…",
            self.change_date_order,
            "Ctrl+Shift+D",
            "Choose whether dates such as 02/03/2031 are day-first or month-first",
        )
        self.act_quit = self.action("&Quit", self.qt.close, standard.Quit, "Close Calven Desk")
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
        fill(
            menu,
            [
                self.act_date_order,
                None,
                self.act_save,
                self.act_save_as,
                self.act_export,
                None,
                self.act_quit,
            ],
        )
        self._date_setting = self.window.settings.date_order

    def update_actions(self, loaded: bool, idle: bool) -> None:
        for action in (self.act_save, self.act_save_as, self.act_export, self.act_date_order):
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

    def check_in_background(
        self, table: SourceTable, mapping: ColumnMap, answer: DateOrder | None = None
    ) -> None:
        """Check the rows read with this mapping (at opening, and when columns are matched again).

        When nothing tells which way round the dates go, the person is asked (`_checked`) and the
        rows are checked again with `answer`.
        """
        choices = self.window.settings.order_choices()
        if answer is not None:
            choices = replace(choices, option=answer, option_source="asked")
        short = self.window.settings.send_short_absences

        def job(_worker: Worker) -> Prepared | DateOrderUnknown:
            try:  # the document and its counts made in the worker too (issue 10)
                return prepared(
                    RosterDocument(
                        check_table(table, mapping, date_order=choices, short_as_whole=short)
                    )
                )
            except DateOrderUnknown as unknown:
                return unknown

        worker = Worker(job, (MappingError, ValueError), quiet=True)
        QTimer.singleShot(
            0,
            lambda: self.window.jobs.run(
                worker, partial(self._checked, table, mapping), self._read_failed
            ),
        )

    def _checked(
        self, table: SourceTable, mapping: ColumnMap, ready: Prepared | DateOrderUnknown
    ) -> None:
        if isinstance(ready, DateOrderUnknown):
            answer = self.window.ask_date_order(table.file.name, ready.examples, None)
            if answer is None:
                return  # not opened: the roster on screen stays
            self._remember(table, answer)
            self.check_in_background(table, mapping, answer)
            return
        self.window.show_document(ready.document, counts=ready.counts)
        self.window.settings.remember_file(str(ready.document.table.file))
        self.window.save_settings()
        self.rebuild_recent()
        self.opened.emit()

    # --- the day/month order -----------------------------------------------------------------

    def _remember(self, table: SourceTable, order: DateOrder) -> None:
        """The person's answer holds for files with these columns from now on."""
        self.window.settings.remember_date_order(shape_key(table.headers), order.value)
        self.window.save_settings()

    def change_date_order(self) -> None:
        """File > Read dates as…: ask again, with the open file's rows read both ways."""
        document = self.window.document
        if document is None or self.window.jobs.busy():
            return
        decision, name = document.date_order, document.table.file.name
        if not decision.mattered:
            self.window.inform(
                "Nothing to choose",
                f"Every date in {name} reads the same either way, so the order changes nothing.",
            )
            return
        if decision.source == "file":
            self.window.inform(
                "The file shows it",
                f"{decision.describe()} A date such as 25/03 can only be read one way, so the "
                f"other dates of {name} are read the same way.",
            )
            return
        shown = examples(two_readings(document.table, document.mapping))
        answer = self.window.ask_date_order(name, shown, decision.order)
        if answer is None:
            return
        self._remember(document.table, answer)
        if answer is not decision.order:
            self.reread(DateOrderDecision(answer, "asked"))

    def settings_changed(self) -> None:
        """Settings were saved: a new day/month order there applies to the open roster at once.

        Choosing day-first or month-first in Settings is a statement about every file, so the
        answers remembered for particular files are forgotten.
        """
        settings = self.window.settings
        if settings.date_order == self._date_setting:
            return
        self._date_setting = settings.date_order
        if settings.date_order is not None:
            settings.date_orders = {}
            self.window.save_settings()
        document = self.window.document
        if document is None or not document.date_order.mattered:
            return
        if document.date_order.source == "file" or self.window.jobs.busy():
            return
        try:
            decision = decide_order(document.table, document.mapping, settings.order_choices())
        except DateOrderUnknown as unknown:
            answer = self.window.ask_date_order(
                document.table.file.name, unknown.examples, document.date_order.order
            )
            if answer is None:
                return
            self._remember(document.table, answer)
            decision = DateOrderDecision(answer, "asked")
        if decision.order is document.date_order.order:
            document.date_order = decision
            self.window.show_banner(banner_text(document))
        else:
            self.reread(decision)

    def reread(self, decision: DateOrderDecision) -> None:
        """Read the open roster's dates again `decision`'s way, at once: in a worker, then every
        row's new check goes in together. Edited cells keep their edits; results stay."""
        document = self.window.document
        if document is None or self.window.jobs.busy():
            return
        self.window.jobs.show_reading("Reading the dates again…")
        worker = Worker(lambda _w: document.reread_dates(decision), (), quiet=True)
        self.window.jobs.run(worker, partial(self._reread, document, decision), self._read_failed)

    def _reread(self, document: RosterDocument, decision: DateOrderDecision, done: Reread) -> None:
        model = self.window.model
        if self.window.document is not document or model is None:
            return
        document.put_reread(decision, done)
        model.refresh()
        self.window.show_banner(banner_text(document))
        self.dates_reread.emit()

    # --- saving ---------------------------------------------------------------------------------

    def save(self) -> bool:
        if self.window.document is None:
            return False
        target = self.window.save_path
        if target is None:
            return self.save_as()
        return self._write(target)

    def save_as(self) -> bool:
        """Save under a name the person chooses: a copy beside the original by default, in the
        original's own kind where it can be written (.csv stays .csv; .xls and .ods become .xlsx).
        Writing over the original takes a second Yes."""
        if self.window.document is None:
            return False
        source = self.window.document.table.file
        kind = source.suffix.lower() if source.suffix.lower() in SAVE_SUFFIXES else ".xlsx"
        suggestion = str(source.with_name(f"{source.stem} (checked){kind}"))
        chosen = self.window.ask_save_path(suggestion)
        if not chosen:
            return False
        target = Path(chosen)
        if target.suffix.lower() not in SAVE_SUFFIXES:
            target = target.with_suffix(".xlsx")
        if self._is_original(target) and not self.window.ask_replace(source.name):
            return False
        return self._write(target)

    def _is_original(self, target: Path) -> bool:
        document = self.window.document
        if document is None:
            return False
        try:
            return target.resolve() == document.table.file.resolve()
        except OSError:
            return False

    def _write(self, target: Path) -> bool:
        """Save to `target`; True once written. The file is built in a worker (a large workbook
        takes seconds) while the window goes on painting; this returns when it is done."""
        document = self.window.document
        assert document is not None
        model = self.window.model
        if model is not None:
            model.settle_checks()  # results and reasons from every row's latest check
        prepared = prepare_save(document)
        edits = self.window.edit_count
        failure = self._in_worker(
            f"Saving {target.name}…", partial(_write_or_say_why, target, prepared)
        )
        if failure is not None:
            self.window.inform("Not saved", failure)
            return False
        self.window.save_path = target
        if self.window.edit_count == edits:  # an edit made while saving is still unsaved
            self.window.dirty = False
            clear_recovery()
        self.qt.statusBar().showMessage(f"Saved {target}", 5000)
        return True

    def _in_worker(self, text: str, job: Callable[[], None]) -> str | None:
        """Run `job` in the window's worker and wait for it, the window painting meanwhile; the
        sentence it failed with, or None."""
        jobs = self.window.jobs
        if jobs.busy():  # cannot happen through the menus (they wait); done here, then
            try:
                job()
            except SaveError as exc:
                return str(exc)
            return None
        waiting = QEventLoop()
        ended: list[str | None] = []

        def finished(failure: str | None) -> None:
            ended.append(failure)
            waiting.quit()

        jobs.show_reading(text)
        jobs.run(
            Worker(lambda _w: job(), (SaveError,)),
            lambda _none: finished(None),
            finished,
        )
        if not ended:
            waiting.exec()
        return ended[0]

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
            with replacing(chosen) as temporary:
                write_rows(temporary, ["Row", "Event ID", "Email or uid", *RESULT_HEADERS], rows)
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
        """Whether the roster on screen may go: no edited cell unsaved, or the person said save or
        discard. A run's results are no reason to ask: the journal keeps them. Save never writes
        over the original without its own question: it saves a copy (asking for a name) unless
        the edits were saved to another file already."""
        document = self.window.document
        if not self.window.dirty or document is None or not document.has_edits():
            return True
        answer = self.window.ask_unsaved(document.table.file.name)
        if answer == "save":
            target = self.window.save_path
            if target is not None and not self._is_original(target):
                return self._write(target)
            return self.save_as()
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
