"""Renders the main window after a sandbox submit to PNG files in docs/, for the README.

Run: QT_QPA_PLATFORM=offscreen python docs/screenshots.py. It starts the built-in sandbox, opens the
sample roster, submits every ready row and grabs the window in the light and the dark palette.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CALVEN_DESK_HOME", tempfile.mkdtemp(prefix="calven-shots-"))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from calven_desk.gui.main_window import MainWindow
from calven_desk.store.settings import Settings

HERE = Path(__file__).resolve().parent


def wait_for(signal: object, timeout_ms: int = 30_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in [
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#eeeeee"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#2b2b2b"),
        (QPalette.ColorRole.Text, "#eeeeee"),
        (QPalette.ColorRole.Button, "#3a3a3a"),
        (QPalette.ColorRole.ButtonText, "#eeeeee"),
        (QPalette.ColorRole.Highlight, "#2f65ca"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
    ]:
        palette.setColor(role, QColor(colour))
    return palette


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    window = MainWindow(Settings())
    window.confirm = lambda title, text, details="": True
    window.inform = lambda title, text: None
    window.resize(1500, 640)
    window.show()
    window.try_sandbox()
    wait_for(window.model_ready)
    window.submit_all_ready()
    wait_for(window.run_finished)
    window.table.resizeColumnsToContents()
    app.processEvents()
    window.grab().save(str(HERE / "main-window.png"))
    app.setPalette(dark_palette())
    window.model.refresh() if window.model else None
    app.processEvents()
    window.grab().save(str(HERE / "main-window-dark.png"))
    if window.sandbox is not None:
        window.sandbox.stop()
    window.dirty = False
    print(f"Wrote {HERE / 'main-window.png'} and {HERE / 'main-window-dark.png'}")


if __name__ == "__main__":
    main()
