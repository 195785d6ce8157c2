"""An unexpected error shows a dialog with the log's location instead of the app vanishing."""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QMetaObject, QObject, Qt, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from calven_desk.logs import log_file

log = logging.getLogger("calven_desk.gui")


class _Reporter(QObject):
    """Lives on the GUI thread, so a crash in any thread is shown from there."""

    @Slot()
    def show(self) -> None:
        QMessageBox.critical(
            None,
            "Calven Desk hit a problem",
            "Something unexpected went wrong. Your edits are autosaved and will be offered back when "
            f"you start again.\n\nThe details are in the log file:\n{log_file()}",
        )


_reporter: _Reporter | None = None


def install_crash_handler(app: QApplication) -> None:
    global _reporter
    _reporter = _Reporter(app)

    def handle(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("Unexpected error", exc_info=(kind, value, tb))
        if _reporter is not None:
            QMetaObject.invokeMethod(_reporter, "show", Qt.ConnectionType.QueuedConnection)

    sys.excepthook = handle
    threading.excepthook = lambda args: handle(
        args.exc_type, args.exc_value or Exception(), args.exc_traceback
    )
