"""The View menu: Table or Timeline, which rows to show, every panel and toolbar, and the theme.

A panel closed to make room used to come back only through a right-click on the toolbar, which
nobody finds; here each has its entry and shortcut. The theme (System, Light, Dark) is applied to the
whole application at once and remembered in the settings.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar, QToolBar

from calven_desk.gui.look.theme import THEMES, apply_theme
from calven_desk.gui.window.filters import FilterBar
from calven_desk.gui.window.part import Window, WindowPart, fill
from calven_desk.gui.window.timeline import TimelineTabs


class ViewMenu(WindowPart):
    """Built once the other parts exist: it lists their panels, toolbars and filters."""

    def __init__(
        self,
        window: Window,
        timeline: TimelineTabs,
        filters: FilterBar,
        theme_changed: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.timeline = timeline
        self.filters = filters
        self.theme_changed = theme_changed
        self.panel_actions: list[QAction] = []
        self.themes = QActionGroup(self.qt)
        self.themes.setExclusive(True)
        self.theme_actions: dict[str, QAction] = {}
        for key, text in THEMES.items():
            action = QAction(text, self.qt)
            action.setCheckable(True)
            action.setData(key)
            action.setStatusTip(f"{text.replace('&', '')} colours for the whole window")
            action.triggered.connect(lambda _=False, k=key: self.choose_theme(k))
            self.themes.addAction(action)
            self.theme_actions[key] = action
        chosen = window.settings.theme if window.settings.theme in THEMES else "system"
        self.theme_actions[chosen].setChecked(True)

    def add_panel(self, dock: QDockWidget, text: str, shortcut: str) -> QAction:
        """A panel to show or hide: shown, it is also brought to the front of its tabs."""
        action = dock.toggleViewAction()
        action.setText(text)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(f"Show or hide the {dock.windowTitle()} panel")
        action.triggered.connect(lambda shown: dock.raise_() if shown else None)
        self.panel_actions.append(action)
        return action

    def add_toolbar(self, toolbar: QToolBar, text: str, shortcut: str) -> QAction:
        action = toolbar.toggleViewAction()
        action.setText(text)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(f"Show or hide the {toolbar.windowTitle()}")
        self.panel_actions.append(action)
        return action

    def add_menu(self, bar: QMenuBar) -> None:
        self.menu = bar.addMenu("&View")

    def fill_menu(self) -> None:
        """Called once every panel and toolbar is added (they are made after the menus start)."""
        self.menu.clear()
        fill(self.menu, [self.timeline.act_table, self.timeline.act_timeline, None])
        rows = self.menu.addMenu("Show &rows")
        fill(rows, list(self.filters.actions.values()))
        self.menu.addSeparator()
        fill(self.menu, [*self.panel_actions, None])
        theme = self.menu.addMenu("The&me")
        fill(theme, list(self.theme_actions.values()))
        self.theme_menu: QMenu = theme

    def choose_theme(self, theme: str) -> None:
        """Apply a theme now and remember it."""
        applied = apply_theme(theme)
        self.theme_actions[applied].setChecked(True)
        if self.window.settings.theme != applied:
            self.window.settings.theme = applied
            self.window.save_settings()
        self.theme_changed()
