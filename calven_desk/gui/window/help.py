"""The Help menu: the sandbox (a pretend Calven on this computer), the colour legend, the keyboard
shortcuts, the log folder and About."""

from __future__ import annotations

from PySide6.QtWidgets import QMenuBar

from calven_desk.calven.sandbox import ALL_PERMISSIONS, DEMO_SECRET, Sandbox
from calven_desk.gui.dialogs.about import open_log_folder, show_about
from calven_desk.gui.dialogs.legend import LegendDialog
from calven_desk.gui.dialogs.shortcuts import ShortcutsDialog
from calven_desk.gui.start import assets
from calven_desk.gui.window.part import Window, WindowPart, fill
from calven_desk.store.profiles import Profile, save_profile, use_for_session

SANDBOX_PROFILE = "Sandbox (this computer)"


class HelpPart(WindowPart):
    """Help for a first try and for finding out what the window shows."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self.sandbox: Sandbox | None = None
        self.act_sandbox = self.action(
            "&Try it with the sandbox",
            self.try_sandbox,
            "Shift+F1",
            "Start a pretend Calven on this computer and open a sample roster",
        )
        self.act_legend = self.action(
            "What the &colours mean", self.show_legend, "F1", "Each row colour with its words"
        )
        self.act_keys = self.action(
            "&Keyboard shortcuts",
            self.show_shortcuts,
            "Ctrl+F1",
            "Every command's keys, and the keys of the table and the Timeline",
        )
        self.act_about = self.action(
            "&About Calven Desk",
            lambda: show_about(self.qt),
            "Ctrl+Shift+F1",
            "The version, and the folders where Calven Desk keeps its files",
        )
        self.act_logs = self.action(
            "Open &log folder", open_log_folder, "Ctrl+Shift+L", "Open the folder of the log files"
        )

    def add_menu(self, bar: QMenuBar) -> None:
        self.menu = bar.addMenu("&Help")
        fill(
            self.menu,
            [
                self.act_sandbox,
                self.act_legend,
                self.act_keys,
                None,
                self.act_logs,
                self.act_about,
            ],
        )

    def update_actions(self, loaded: bool, idle: bool) -> None:
        self.act_sandbox.setEnabled(idle)

    def try_sandbox(self) -> None:
        """Start a pretend Calven here, point a profile at it and open the sample roster."""
        window = self.window
        if not window.may_discard():
            return
        if self.sandbox is None:
            # All permissions: the demo shows Calven's names and the directory check too.
            self.sandbox = Sandbox(users=assets.sample_users(), role=ALL_PERMISSIONS).start()
        profile = Profile(SANDBOX_PROFILE, "sandbox-key", self.sandbox.url, "hmac")
        save_profile(profile, None)
        use_for_session(SANDBOX_PROFILE, DEMO_SECRET)  # a public demo key: no keyring needed
        window.settings.last_profile = SANDBOX_PROFILE
        window.save_settings()
        window.open_file(assets.sample_roster())
        self.qt.statusBar().showMessage(
            f"Sandbox running at {self.sandbox.url}: nothing reaches the real Calven.", 10000
        )

    def show_legend(self) -> None:
        LegendDialog(self.qt).exec()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.qt.menuBar(), self.qt).exec()

    def stop_sandbox(self) -> None:
        """At closing: the pretend Calven stops with the window."""
        if self.sandbox is not None:
            self.sandbox.stop()
