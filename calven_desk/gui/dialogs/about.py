"""Help > About and Help > Open log folder: versions and where the app keeps its files."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from calven_desk import __version__
from calven_desk.store.paths import config_dir, data_dir, log_dir


def about_text() -> str:
    return (
        f"Calven Desk {__version__}\n\n"
        f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}\n\n"
        f"Settings and profiles: {config_dir()}\n"
        f"Run journal and autosaves: {data_dir()}\n"
        f"Log files: {log_dir()}\n\n"
        "API secrets are kept in this computer's password store (keyring), never in these folders."
    )


def about_box(parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "About Calven Desk",
        about_text(),
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # folders to copy
    return box


def show_about(parent: QWidget | None) -> None:
    about_box(parent).exec()


def open_log_folder() -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))
