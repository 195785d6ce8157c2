"""What a part of the main window may ask of the window, and the small base every part shares.

A part owns one concern: its widgets, actions, menu and slots. It reaches the rest of the window only
through `Window` (the roster on screen, the table, the settings, the question hooks and a few
window-wide services), so it never imports the window. It tells the others what happened through its
own signals, which `MainWindow._connect_signals` wires; a part that builds on another gets it in its
constructor (resuming gets sending). A new concern is a new part file, one line creating it in
`MainWindow.__init__` (its menu follows from `add_menu`) and its wiring in `_connect_signals`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMainWindow, QMenu, QMenuBar, QTableView, QToolBar

from calven_desk.gui.table.model import RosterTableModel
from calven_desk.gui.table.proxy import RosterFilter
from calven_desk.gui.window.jobs import BackgroundJobs
from calven_desk.roster import ColumnMap, DateOrder, SourceTable
from calven_desk.roster.document import RosterDocument
from calven_desk.roster.model import TwoReadings
from calven_desk.store.settings import Settings


class Confirm(Protocol):
    """A yes-or-no question: its title, the question, and details shown on request (an
    address, say: the question names the connection, the details say where it points)."""

    def __call__(self, title: str, text: str, details: str = "") -> bool: ...


class Window(Protocol):
    """The window as its parts see it (`MainWindow` is the one implementation)."""

    settings: Settings
    document: RosterDocument | None
    model: RosterTableModel | None
    proxy: RosterFilter
    table: QTableView
    jobs: BackgroundJobs
    #: Unsaved edits (a run's results are not: the journal keeps them): what autosave,
    #: recovery and closing care about.
    dirty: bool
    #: Goes up with each edit and each roster shown: what autosave compares with what it wrote.
    edit_count: int
    save_path: Path | None
    # Questions to the person; tests replace them, so parts look them up at each call.
    confirm: Confirm
    inform: Callable[[str, str], None]
    ask_sheet: Callable[[list[str]], str | None]
    ask_mapping: Callable[[SourceTable, ColumnMap], ColumnMap | None]
    ask_save_path: Callable[[str], str | None]
    ask_unsaved: Callable[[str], str]
    ask_replace: Callable[[str], bool]
    #: The file's name, rows read both ways, the order used now (None when opening): the answer.
    ask_date_order: Callable[[str, Sequence[TwoReadings], DateOrder | None], DateOrder | None]

    @property
    def search(self) -> QLineEdit:
        """The Search box above the table."""
        ...

    def qt_window(self) -> QMainWindow:
        """The Qt window itself: the parent of actions and dialogs, and its menus and status bar."""
        ...

    def show_document(
        self, document: RosterDocument, dirty: bool = False, counts: dict[str, int] | None = None
    ) -> None: ...
    def show_banner(self, text: str) -> None: ...
    def open_file(self, path: str | Path, sheet: str | None = None) -> None: ...
    def may_discard(self) -> bool: ...
    def selected_rows(self) -> list[int]: ...
    def select_cell(self, row_number: int, name: str | None) -> None: ...
    def set_filter(self, name: str) -> None: ...
    def save_settings(self) -> None: ...
    def update_actions(self) -> None: ...


class WindowPart(QObject):
    """One concern of the main window. A QObject child of the window, so signals from worker
    threads reach its slots on the GUI thread."""

    def __init__(self, window: Window) -> None:
        super().__init__(window.qt_window())
        self.window = window
        self.qt = window.qt_window()

    def action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        """An action of the window (its shortcut works anywhere in it) that calls `slot`."""
        action = QAction(text, self.qt)
        if shortcut is not None:
            action.setShortcut(keys(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _=False: slot())
        return action

    def add_menu(self, bar: QMenuBar) -> None:
        """Add this part's menu, if it has one; menus appear in the order of the window's parts."""

    def update_actions(self, loaded: bool, idle: bool) -> None:
        """Enable this part's actions for a roster being open (`loaded`) and no job running."""


def fill(target: QMenu | QToolBar, actions: list[QAction | None]) -> None:
    """Add actions in order; None is a separator."""
    for action in actions:
        if action is None:
            target.addSeparator()
        else:
            target.addAction(action)


#: Standard keys some platforms leave without a key (Save As, Quit and Preferences on Windows,
#: Preferences on Linux): every command has a shortcut, so these get the usual one there.
FALLBACK_KEYS = {
    QKeySequence.StandardKey.SaveAs: "Ctrl+Shift+S",
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
    QKeySequence.StandardKey.Preferences: "Ctrl+,",
}


def keys(shortcut: QKeySequence | QKeySequence.StandardKey | str) -> QKeySequence:
    """The key sequence of a shortcut; a standard key this platform leaves empty gets its
    usual key instead (FALLBACK_KEYS)."""
    sequence = QKeySequence(shortcut)
    if sequence.isEmpty() and isinstance(shortcut, QKeySequence.StandardKey):
        return QKeySequence(FALLBACK_KEYS.get(shortcut, ""))
    return sequence
