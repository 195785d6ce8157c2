"""Renders the main window's Timeline after a sandbox submit to docs/timeline.png (and a dark one).

Run: QT_QPA_PLATFORM=offscreen python docs/timeline_screenshot.py. It starts the built-in sandbox,
opens the sample roster, submits every ready row, switches to the Timeline and grabs the window at a
laptop's 1,366 x 768, both panels open, in the Light and the Dark theme.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CALVEN_DESK_HOME", tempfile.mkdtemp(prefix="calven-shots-"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtWidgets import QApplication
from screenshots import LAPTOP, settle, themed, wait_for

from calven_desk.gui.main_window import MainWindow
from calven_desk.store.settings import Settings

HERE = Path(__file__).resolve().parent
#: A fixed "today" inside the sample roster's months, so the picture does not change with the date.
TODAY = date(2030, 3, 20)


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
    window.submit_all_ready()
    wait_for(window.run_finished)
    page = window.timeline.page
    window.timeline.show_timeline()
    wait_for(page.laid_out)
    page.zoom.setCurrentIndex(2)  # two months: the sample roster's spring at a glance
    page.view.today = TODAY
    page.view.horizontalScrollBar().setValue(0)
    page.view.select_row(6)
    settle(app)
    window.grab().save(str(HERE / "timeline.png"))
    themed(window, "dark")
    settle(app)
    window.grab().save(str(HERE / "timeline-dark.png"))
    themed(window, "light")
    if window.sandbox is not None:
        window.sandbox.stop()
    window.dirty = False
    print(f"Wrote {HERE / 'timeline.png'} and {HERE / 'timeline-dark.png'}")


if __name__ == "__main__":
    main()
