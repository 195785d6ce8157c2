"""The filter buttons and Search above the table, and showing one cell even when they hide it."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QLineEdit, QToolButton

from calven_desk.calven.row_status import FILTERS
from calven_desk.gui.window.part import Window, WindowPart


class FilterBar(WindowPart):
    """Which rows the table shows: All, Problems, Ready... (Alt+1..) and a search box."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self.bar = QHBoxLayout()
        self.buttons = QButtonGroup(self.qt)
        for number, name in enumerate(FILTERS, start=1):
            button = QToolButton()
            button.setText(f"{name}")
            button.setCheckable(True)
            button.setToolTip(f"Show {name.lower()} rows (Alt+{number})")
            button.setShortcut(QKeySequence(f"Alt+{number}"))
            button.setChecked(name == "All")
            button.clicked.connect(lambda _=False, n=name: self.set_filter(n))
            self.buttons.addButton(button)
            self.bar.addWidget(button)
        self.bar.addStretch()
        search_label = QLabel("&Search:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("names, emails, dates, messages…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(window.proxy.set_search)
        search_label.setBuddy(self.search)
        self.bar.addWidget(search_label)
        self.bar.addWidget(self.search)

    def set_filter(self, name: str) -> None:
        self.window.proxy.set_mode(name)
        for button in self.buttons.buttons():
            button.setChecked(button.text() == name)

    def select_cell(self, row_number: int, name: str | None) -> None:
        """Select a cell by sheet row and field; a filter or search that hides it is cleared first."""
        window = self.window
        if window.document is None or window.model is None:
            return
        index = window.document.index_of(row_number)
        if index is None:
            return
        column = window.model.field_column(name) if name in window.document.fields else 1
        if window.proxy.mapFromSource(window.model.index(index, column)).row() < 0:
            self.set_filter("All")
            self.search.clear()
        target = window.proxy.mapFromSource(window.model.index(index, column))
        window.table.setCurrentIndex(target)
        window.table.scrollTo(target)
        window.table.setFocus()
