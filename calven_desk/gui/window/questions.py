"""The dialogs behind the window's question hooks (`confirm`, `inform`, `ask_*`).

The window calls its hooks, never these directly, so tests can answer without a modal dialog.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from calven_desk.gui.dialogs.date_order import DateOrderDialog
from calven_desk.gui.dialogs.mapping import MappingDialog
from calven_desk.roster import ColumnMap, DateOrder, SourceTable
from calven_desk.roster.model import TwoReadings


def question_box(parent: QWidget | None, title: str, text: str, details: str = "") -> QMessageBox:
    """A yes-or-no question; `details` behind a "Show Details…" button, for who wants them."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    if details:
        box.setDetailedText(details)
    return box


def confirm(parent: QWidget, title: str, text: str, details: str = "") -> bool:
    return question_box(parent, title, text, details).exec() == QMessageBox.StandardButton.Yes


def information_box(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    return QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )


def inform(parent: QWidget, title: str, text: str) -> None:
    information_box(parent, title, text).exec()


def sheet_dialog(parent: QWidget | None, sheets: list[str]) -> QInputDialog:
    """Which sheet of a workbook with several to open, from a list."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Which sheet?")
    dialog.setLabelText("This workbook has several sheets with leave. &Open:")
    dialog.setComboBoxItems(sheets)
    dialog.setComboBoxEditable(False)
    dialog.setTextValue(sheets[0] if sheets else "")
    return dialog


def ask_sheet(parent: QWidget, sheets: list[str]) -> str | None:
    dialog = sheet_dialog(parent, sheets)
    return dialog.textValue() if dialog.exec() else None


def ask_mapping(parent: QWidget, table: SourceTable, mapping: ColumnMap) -> ColumnMap | None:
    dialog = MappingDialog(table, mapping, parent)
    return dialog.chosen_mapping() if dialog.exec() else None


def ask_save_path(parent: QWidget, suggestion: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(
        parent, "Save roster", suggestion, "Excel (*.xlsx);;CSV (*.csv)"
    )
    return path or None


def replace_box(parent: QWidget | None, name: str) -> QMessageBox:
    """Whether to write over HR's original file; No unless the person picks Yes on purpose."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Replace the original?",
        f"Replace the original file {name} with the edited roster? "
        "The file as HR exported it will be gone.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box


def ask_replace(parent: QWidget, name: str) -> bool:
    return replace_box(parent, name).exec() == QMessageBox.StandardButton.Yes


def ask_date_order(
    parent: QWidget, name: str, examples: Sequence[TwoReadings], current: DateOrder | None
) -> DateOrder | None:
    dialog = DateOrderDialog(name, examples, current, parent)
    return dialog.chosen if dialog.exec() else None


def unsaved_box(parent: QWidget | None, name: str) -> QMessageBox:
    """Save is the default: it asks for a name to save a copy under (`FilesPart.may_discard`),
    so one Enter never writes over the original file."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Unsaved edits",
        f"You edited cells of {name}. Save a copy with your edits first?",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    return box


def ask_unsaved(parent: QWidget, name: str) -> str:
    """ "save", "discard" or "cancel"."""
    answer = unsaved_box(parent, name).exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"
