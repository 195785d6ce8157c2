"""Renders the main window after a sandbox submit to PNG files in docs/, for the README.

Run: QT_QPA_PLATFORM=offscreen python docs/screenshots.py. It starts the built-in sandbox, opens the
sample roster, submits every ready row and grabs the window at a laptop's 1,366 x 768, both panels
open, a rejected row current (its detail line under the table), in the Light and the Dark theme.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CALVEN_DESK_HOME", tempfile.mkdtemp(prefix="calven-shots-"))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from calven_desk.gui.look.theme import apply_theme
from calven_desk.gui.main_window import MainWindow
from calven_desk.store.settings import Settings

HERE = Path(__file__).resolve().parent
#: A laptop's screen: the size the window is shown at in the README.
LAPTOP = (1366, 768)


def wait_for(signal: object, timeout_ms: int = 30_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def settle(app: QApplication, ms: int = 400) -> None:
    """Let the panels, the Timeline and the detail line catch up before a picture."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def themed(window: MainWindow, theme: str) -> None:
    """The window in a theme, as View > Theme sets it (without remembering it)."""
    apply_theme(theme)
    window._theme_changed()


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    window = MainWindow(Settings(theme="light"))
    window.confirm = lambda title, text, details="": True
    window.inform = lambda title, text: None
    window.resize(*LAPTOP)
    window.show()
    window.try_sandbox()
    wait_for(window.model_ready)
    wait_for(window.people.checked)
    window.submit_all_ready()
    wait_for(window.run_finished)
    window.select_cell(10, "email")  # a rejected row: its message in full below the table
    settle(app)
    window.grab().save(str(HERE / "main-window.png"))
    themed(window, "dark")
    settle(app)
    window.grab().save(str(HERE / "main-window-dark.png"))
    themed(window, "light")
    if window.sandbox is not None:
        window.sandbox.stop()
    window.dirty = False
    print(f"Wrote {HERE / 'main-window.png'} and {HERE / 'main-window-dark.png'}")


if __name__ == "__main__":
    main()
