"""The filter buttons and Search above the table, and showing one cell even when they hide it.

Each filter is an action (View > Show rows lists them all, with Alt+1, Alt+2...): the ones a person
uses at every roster are buttons, the others wait in the "More" menu beside them, which shows the
one chosen. Ten buttons in a row made the window 1,246 px wide at the least and squeezed Search to
28 px; the bar now fits a 1,024 px screen with Search at 160 px or more. A new filter is one more
name in `calven.row_status.ALL_FILTERS`, and lands in "More" with the next Alt shortcut by itself.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
)

from calven_desk.calven.row_status import ALL_FILTERS, NOT_IN_CALVEN, SKIPPED
from calven_desk.gui.look.access_keys import with_access_keys
from calven_desk.gui.window.part import Window, WindowPart

#: The filters shown as buttons; every other one is in the "More" menu.
BUTTONS = ("All", "Problems", "Ready", "Not sent", "Accepted", "Rejected")
#: Search is never narrower than this.
SEARCH_WIDTH = 160
#: The filter chosen is filled with the highlight (its words in the highlight's text colour, read
#: at 4.5:1 in both themes): Fusion's pressed look for a checked button barely showed in Dark. The
#: colours are written out from the palette at each theme: a style sheet's palette(...) kept the
#: colours of the theme it was first applied in.
BUTTON_LOOK = """
QToolButton {{ border: 1px solid {mid}; border-radius: 3px; padding: 2px 5px;
              background: {button}; color: {button_text}; }}
QToolButton:checked {{ background: {highlight}; color: {highlighted_text};
                      border-color: {highlight}; }}
QToolButton:hover {{ border-color: {highlight}; }}
"""


def button_look(palette: QPalette) -> str:
    role = QPalette.ColorRole
    return BUTTON_LOOK.format(
        mid=palette.color(role.Mid).name(),
        button=palette.color(role.Button).name(),
        button_text=palette.color(role.ButtonText).name(),
        highlight=palette.color(role.Highlight).name(),
        highlighted_text=palette.color(role.HighlightedText).name(),
    )


#: What the filters do, for their tooltips and a screen reader's description.
WHAT = {
    "All": "Show every row",
    "Problems": "Show the rows with an error or a warning",
    "Ready": "Show the rows that can be sent and have no answer from Calven yet",
    "Not sent": "Show the rows a run could not send",
    "Accepted": "Show the rows Calven accepted",
    "Rejected": "Show the rows Calven rejected",
    "New": "Show the rows Calven has never had from this computer",
    "Changed since sent": "Show the rows changed since they were sent",
    "Already in Calven": "Show the rows Calven already holds as they are",
    NOT_IN_CALVEN: "Show the rows whose person Calven's user list does not have",
    SKIPPED: "Show the rows that are not for Calven and are never sent: requests waiting for "
    "approval, refused ones, and absences shorter than half a day",
}


def filter_shortcut(position: int) -> str:
    """Alt+1 to Alt+9 for the first nine filters, Alt+0 for the tenth, then Alt+Shift+1..."""
    if position <= 9:
        return f"Alt+{position}"
    return "Alt+0" if position == 10 else f"Alt+Shift+{position - 10}"


class FilterBar(WindowPart):
    """Which rows the table shows: All, Problems, Ready... (Alt+1..), More, and a search box."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self.bar = QHBoxLayout()
        self.group = QActionGroup(self.qt)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        #: The filter buttons (the bar's first ones), each showing its filter's name.
        self.buttons = QButtonGroup(self.qt)
        self.buttons.setExclusive(False)  # the actions' group is: two exclusive groups fought
        self.more_menu = QMenu("&More filters", self.qt)
        self.more = QToolButton()
        self.more.setText("&More")
        self.more.setMenu(self.more_menu)
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setCheckable(True)
        self.more.setAccessibleName("More filters")
        self.more.setToolTip("More filters: New, Changed since sent, Already in Calven…")
        names = list(ALL_FILTERS)
        for name, text in zip(names, with_access_keys(names), strict=True):
            self.add_filter(name, text, WHAT.get(name, f"Show the rows: {name.lower()}"))
        self.show_filter(NOT_IN_CALVEN, False)  # until Calven's user list is read
        self.more.setStyleSheet(button_look(QApplication.palette()))
        self.bar.addWidget(self.more)
        self.bar.addStretch()
        search_label = QLabel("Se&arch:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("names, emails, dates, messages…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(SEARCH_WIDTH)
        self.search.setAccessibleName("Search rows")
        self.search.setAccessibleDescription(
            "Shows only the rows with this text in any column (Ctrl+F comes here)"
        )
        self.search.textChanged.connect(window.proxy.set_search)
        search_label.setBuddy(self.search)
        self.bar.addWidget(search_label)
        self.bar.addWidget(self.search, 1)
        self.actions["All"].setChecked(True)

    def add_filter(self, name: str, text: str, tip: str) -> QAction:
        """One more filter: a button if it is one of BUTTONS, else an entry of "More". `text` is
        the name with its access letter in the menus (the button shows the name alone)."""
        position = len(self.actions) + 1
        shortcut = filter_shortcut(position)
        action = QAction(text, self.qt)
        action.setIconText(name)
        action.setCheckable(True)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({shortcut})")
        action.setStatusTip(tip)
        action.triggered.connect(lambda _=False, n=name: self.set_filter(n))
        self.group.addAction(action)
        self.actions[name] = action
        if name in BUTTONS:
            button = QToolButton()
            button.setStyleSheet(button_look(QApplication.palette()))
            button.setDefaultAction(action)
            button.setAccessibleDescription(tip)
            self.buttons.addButton(button)
            self.bar.insertWidget(len(self.buttons.buttons()) - 1, button)
        else:
            self.more_menu.addAction(action)
        return action

    def restyle(self) -> None:
        """Another theme: the buttons' colours from its palette."""
        look = button_look(QApplication.palette())
        for button in [*self.buttons.buttons(), self.more]:
            button.setStyleSheet(look)

    def show_filter(self, name: str, shown: bool) -> None:
        """Offer a filter or not (Not in Calven only once Calven's user list is read)."""
        self.actions[name].setVisible(shown)
        if not shown and self.actions[name].isChecked():
            self.set_filter("All")

    def set_filter(self, name: str) -> None:
        self.window.proxy.set_mode(name)
        self.actions[name].setChecked(True)
        folded = name not in BUTTONS
        self.more.setChecked(folded)
        self.more.setText(f"&More: {name}" if folded else "&More")
        self.more.setAccessibleName(f"More filters, showing {name}" if folded else "More filters")

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
