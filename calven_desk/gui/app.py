"""Starts the window: `calven-desk` with no sub-command, or with a roster file to open."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from calven_desk.gui.start.system_libs import check_window_libraries

    lacking = check_window_libraries(args)  # before any Qt import: a missing library aborts that
    if lacking is not None:
        print(lacking, file=sys.stderr)
        return 2
    from calven_desk.gui.start.allocator import limit_allocator_pools

    limit_allocator_pools()  # before Qt and the window start any thread
    if "--self-test" in args:
        from calven_desk.gui.selftest import run_self_test

        passed: int = run_self_test(args)
        return passed
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from calven_desk import __version__
    from calven_desk.gui.main_window import MainWindow
    from calven_desk.gui.start.crash import install_crash_handler
    from calven_desk.logs import setup_logging
    from calven_desk.store.paths import secure_folders

    secure_folders()  # before the log file opens in one of them
    setup_logging()
    from PySide6.QtGui import QIcon

    from calven_desk.gui.start.assets import asset

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    install_crash_handler(app)
    app.setApplicationName("Calven Desk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Calven Desk")
    app.setWindowIcon(QIcon(str(asset("calven-desk.png"))))
    window = MainWindow()
    window.show()
    files = [a for a in args if not a.startswith("-")]
    if "--timeline" in args:  # `calven-desk timeline FILE`: the window opens on the Timeline
        window.model_ready.connect(window.timeline.show_timeline)

    def after_start() -> None:
        if not window.offer_recovery() and files:
            window.open_file(files[0])
        window.offer_resume()

    if os.environ.get("CALVEN_DESK_FIRST_PAINT"):
        # For bench/bench_startup.py: report the window's first paint and quit at once.
        from calven_desk.gui.start.first_paint import FirstPaint

        window.installEventFilter(FirstPaint(app))
    else:
        QTimer.singleShot(0, after_start)
    status: int = app.exec()
    return status
