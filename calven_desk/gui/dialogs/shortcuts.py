"""Help > Keyboard shortcuts: every menu command with its shortcut, read from the menus themselves
(so the list never falls behind them), then the keys of the table and the Timeline."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from calven_desk.gui.look.access_keys import access_letter, plain

#: Keys that belong to a control rather than to a menu command.
KEYS = (
    ("Table", "Move between cells", "Arrow keys, Home, End, Page Up, Page Down"),
    (
        "Table",
        "Edit the current cell (Enter saves, Esc leaves it as it was)",
        "F2, or start typing",
    ),
    ("Table", "Select rows", "Shift+arrow keys, Ctrl+A for all"),
    ("Table", "Leave the table for the next or previous control", "Tab, Shift+Tab"),
    ("Table", "Sort by a column", "click its title"),
    ("Timeline", "Move between bars (the table follows)", "Arrow keys"),
    ("Timeline", "Go to the bar's row in the table", "Enter"),
    ("Timeline", "Zoom in, zoom out", "+ and -, or Ctrl+mouse wheel"),
    ("Timeline", "Choose the zoom", "Alt+Z"),
    ("Timeline", "Go to today", "Alt+D"),
    ("Panels", "Choose a problem and go to its cell", "Arrow keys, then Enter"),
    ("Anywhere", "Open a menu", "Alt and the underlined letter, or F10"),
    ("Anywhere", "Move to the next or previous control", "Tab, Shift+Tab"),
)


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A menu command: where it is, what it says, its shortcut, and its access letters."""

    where: str
    text: str
    shortcut: str
    #: The keys that reach it through the menus, like "Alt+V, M, L" ("" if a letter is missing).
    path: str

    @property
    def keys(self) -> str:
        return self.shortcut or self.path


def menu_entries(bar: QMenuBar) -> list[MenuEntry]:
    """Every visible command of the menu bar's menus and submenus, in menu order."""
    found: list[MenuEntry] = []
    for top in bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu) and top.isVisible():
            letter = access_letter(top.text())
            _walk(menu, plain(top.text()), [f"Alt+{letter.upper()}"] if letter else None, found)
    return found


def _walk(menu: QMenu, where: str, keys: list[str] | None, found: list[MenuEntry]) -> None:
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        letter = access_letter(action.text())
        reach = [*keys, letter.upper()] if keys is not None and letter else None
        sub = action.menu()
        if isinstance(sub, QMenu):
            _walk(sub, f"{where} › {plain(action.text())}", reach, found)
            continue
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        found.append(
            MenuEntry(where, plain(action.text()), shortcut, ", ".join(reach) if reach else "")
        )


class ShortcutsDialog(QDialog):
    """A read-only table: where, what, keys."""

    def __init__(self, bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Every command of the menus with its keys, then the keys of the table and the "
            "Timeline. A command without a shortcut of its own is reached with Alt and the "
            "underlined letters shown."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        rows = [(e.where, e.text, e.keys) for e in menu_entries(bar)] + list(KEYS)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Where", "What", "Keys"])
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        for number, row in enumerate(rows):
            for column, text in enumerate(row):
                self.table.setItem(number, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(760, 560)
        self.table.setFocus()

    def entries(self) -> list[tuple[str, str, str]]:
        """What the table lists, row by row (for tests)."""
        out = []
        for row in range(self.table.rowCount()):
            where, what, keys = (self.table.item(row, c) for c in range(3))
            if where is not None and what is not None and keys is not None:
                out.append((where.text(), what.text(), keys.text()))
        return out
