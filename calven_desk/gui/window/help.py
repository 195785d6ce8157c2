"""The Help menu: the sandbox (a pretend Calven on this computer), the colour legend, the keyboard
shortcuts, the log folder and About."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QMenuBar

from calven_desk.calven.sandbox import ALL_PERMISSIONS, DEMO_SECRET, Sandbox, is_sandbox
from calven_desk.gui.dialogs.about import open_log_folder, show_about
from calven_desk.gui.dialogs.legend import LegendDialog
from calven_desk.gui.dialogs.shortcuts import ShortcutsDialog
from calven_desk.gui.start import assets
from calven_desk.gui.window.part import Window, WindowPart, fill
from calven_desk.store.paths import data_dir
from calven_desk.store.profiles import Profile, save_profile, use_for_session

SANDBOX_PROFILE = "Sandbox (this computer)"
#: The demo sandbox's port: always the same, so what Calven Desk remembers sending to it (kept per
#: address) is found again the next day. CALVEN_DESK_SANDBOX_PORT moves it (tests, a busy port).
SANDBOX_PORT = 47823
SANDBOX_CALENDAR = "sandbox-calendar.json"


def sandbox_port() -> int:
    try:
        return int(os.environ.get("CALVEN_DESK_SANDBOX_PORT") or SANDBOX_PORT)
    except ValueError:
        return SANDBOX_PORT


class HelpPart(WindowPart):
    """Help for a first try and for finding out what the window shows."""

    def __init__(self, window: Window) -> None:
        super().__init__(window)
        self.sandbox: Sandbox | None = None
        self.sandbox_url: str | None = None
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
        url = self.sandbox_url or self._start_sandbox()
        profile = Profile(SANDBOX_PROFILE, "sandbox-key", url, "hmac")
        save_profile(profile, None)
        use_for_session(SANDBOX_PROFILE, DEMO_SECRET)  # a public demo key: no keyring needed
        window.settings.last_profile = SANDBOX_PROFILE
        window.save_settings()
        window.open_file(assets.sample_roster())
        self.qt.statusBar().showMessage(
            f"Sandbox running at {url}: nothing reaches the real Calven.", 10000
        )

    def _start_sandbox(self) -> str:
        """The demo's pretend Calven, on its own port with its calendar kept between runs; if
        another window runs it already, that one; if the port is someone else's, any free port
        (the demo then starts afresh)."""
        port = sandbox_port()
        # All permissions: the demo shows Calven's names and the directory check too.
        users = assets.sample_users()
        calendar = data_dir() / SANDBOX_CALENDAR
        try:
            self.sandbox = Sandbox(port, users=users, role=ALL_PERMISSIONS, calendar_file=calendar)
        except OSError:
            if is_sandbox(f"http://127.0.0.1:{port}"):
                self.sandbox_url = f"http://127.0.0.1:{port}"
                return self.sandbox_url
            self.sandbox = Sandbox(users=users, role=ALL_PERMISSIONS, calendar_file=calendar)
        self.sandbox.start()
        self.sandbox_url = self.sandbox.url
        return self.sandbox_url

    def show_legend(self) -> None:
        LegendDialog(self.qt).exec()

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.qt.menuBar(), self.qt).exec()

    def stop_sandbox(self) -> None:
        """At closing: the pretend Calven stops with the window."""
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox, self.sandbox_url = None, None
