"""What parts, scripts and tests call on the main window, each handed on to the part that holds it.

`MainWindow` inherits these, so `window.open_file(...)`, `window.search`, `window.sandbox` and the
rest keep working as the window grows parts; the window's own file stays a table of contents.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThread
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QLineEdit, QMenu, QProgressBar, QPushButton

from calven_desk.calven.run import Connection, RunSettings
from calven_desk.calven.sandbox import Sandbox
from calven_desk.gui.window.counts import StatusCounts
from calven_desk.gui.window.editing import EditingPart
from calven_desk.gui.window.files import FilesPart
from calven_desk.gui.window.filters import FilterBar
from calven_desk.gui.window.help import HelpPart
from calven_desk.gui.window.jobs import BackgroundJobs
from calven_desk.gui.window.problems import ProblemsPanel
from calven_desk.gui.window.resuming import ResumingPart
from calven_desk.gui.window.sending import SendingPart
from calven_desk.gui.window.text_list import TextListView


class HandedToParts:
    """The window's long-standing methods and widgets; the window sets the parts."""

    jobs: BackgroundJobs
    filters: FilterBar
    files: FilesPart
    editing: EditingPart
    sending: SendingPart
    resuming: ResumingPart
    help: HelpPart
    problems_panel: ProblemsPanel
    status_counts: StatusCounts

    def busy(self) -> bool:
        return self.jobs.busy()

    @property
    def job_thread(self) -> QThread | None:
        return self.jobs.job_thread

    def cancel_run(self) -> None:
        self.jobs.cancel()

    @property
    def progress(self) -> QProgressBar:
        return self.jobs.progress

    @property
    def cancel_button(self) -> QPushButton:
        return self.jobs.cancel_button

    @property
    def search(self) -> QLineEdit:
        return self.filters.search

    def set_filter(self, name: str) -> None:
        self.filters.set_filter(name)

    def select_cell(self, row_number: int, name: str | None) -> None:
        self.filters.select_cell(row_number, name)

    def open_file(self, path: str | Path, sheet: str | None = None) -> None:
        self.files.open_file(path, sheet)

    @property
    def recent_menu(self) -> QMenu:
        return self.files.recent_menu

    def may_discard(self) -> bool:
        return self.files.may_discard()

    def save(self) -> bool:
        return self.files.save()

    def save_as(self) -> bool:
        return self.files.save_as()

    def export_results(self) -> None:
        self.files.export_results()

    def autosave_now(self) -> None:
        self.files.autosave_now()

    def offer_recovery(self) -> bool:
        return self.files.offer_recovery()

    @property
    def act_undo(self) -> QAction:
        return self.editing.act_undo

    @property
    def act_redo(self) -> QAction:
        return self.editing.act_redo

    def selected_rows(self) -> list[int]:
        return self.editing.selected_rows()

    def copy_selection(self) -> None:
        self.editing.copy_selection()

    def paste(self) -> None:
        self.editing.paste()

    def fill_down(self) -> None:
        self.editing.fill_down()

    def add_row(self) -> None:
        self.editing.add_row()

    def delete_rows(self) -> None:
        self.editing.delete_rows()

    def connection(self) -> Connection | None:
        return self.sending.connection()

    def run_settings(self) -> RunSettings:
        return self.sending.run_settings()

    def submit_selected(self) -> None:
        self.sending.submit_selected()

    def submit_all_ready(self) -> None:
        self.sending.submit_all_ready()

    def retry_failed(self) -> None:
        self.sending.retry_failed()

    def offer_resume(self) -> None:
        self.resuming.offer_resume()

    def try_sandbox(self) -> None:
        self.help.try_sandbox()

    @property
    def sandbox(self) -> Sandbox | None:
        return self.help.sandbox

    @sandbox.setter
    def sandbox(self, sandbox: Sandbox | None) -> None:
        self.help.sandbox = sandbox
        self.help.sandbox_url = sandbox.url if sandbox is not None else None

    def sandbox_url(self) -> str | None:
        """Where the demo's sandbox answers (this window's own, or another window's)."""
        return self.help.sandbox_url

    @property
    def problems(self) -> TextListView:
        return self.problems_panel.list

    @property
    def counts(self) -> QLabel:
        return self.status_counts.label
