"""The dialogs behind the window's question hooks (`confirm`, `inform`, `ask_*`).

The window calls its hooks, never these directly, so tests can answer without a modal dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from calven_desk.gui.dialogs.mapping import MappingDialog
from calven_desk.roster import ColumnMap, SourceTable


def confirm(parent: QWidget, title: str, text: str) -> bool:
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


def inform(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def ask_sheet(parent: QWidget, sheets: list[str]) -> str | None:
    name, ok = QInputDialog.getItem(
        parent,
        "Which sheet?",
        "This workbook has several sheets with leave. Open:",
        sheets,
        0,
        False,
    )
    return name if ok else None


def ask_mapping(parent: QWidget, table: SourceTable, mapping: ColumnMap) -> ColumnMap | None:
    dialog = MappingDialog(table, mapping, parent)
    return dialog.chosen_mapping() if dialog.exec() else None


def ask_save_path(parent: QWidget, suggestion: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(
        parent, "Save roster", suggestion, "Excel (*.xlsx);;CSV (*.csv)"
    )
    return path or None


def ask_unsaved(parent: QWidget, name: str) -> str:
    """ "save", "discard" or "cancel"."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Unsaved edits",
        f"Save your edits to {name} first?",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        parent,
    )
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"
