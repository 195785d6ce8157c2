"""Dialogs: column mapping, settings and the colour legend; connection profiles are in
`connection_dialog.py` (named here too, where the window and tests have always found it)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from calven_desk.gui.colours import LEGEND, row_colour
from calven_desk.gui.connection_dialog import ConnectionDialog
from calven_desk.roster import (
    FIELDS,
    LABELS,
    ColumnMap,
    DateOrder,
    SourceTable,
    check_table,
)
from calven_desk.store.settings import Settings

__all__ = [
    "ConnectionDialog",
    "LegendDialog",
    "MappingDialog",
    "SettingsDialog",
    "needs_mapping_dialog",
]

NONE = "(not in this file)"


class MappingDialog(QDialog):
    """Source columns on one side, Calven's fields on the other, and the first rows as they would be sent."""

    def __init__(
        self, table: SourceTable, mapping: ColumnMap, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Match the columns")
        self.table = table
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Header found in row {table.header_row} of {table.file.name}. Choose which column holds each "
            "piece of information Calven needs. Email (or uid), start date and end date are required."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.boxes: dict[str, QComboBox] = {}
        for name in FIELDS:
            box = QComboBox()
            box.addItem(NONE)
            box.addItems(table.headers)
            current = mapping.header_of(name)
            if current is not None:
                box.setCurrentText(current)
            if name in mapping.ambiguous:
                box.setToolTip("More than one column looked right; check this one.")
            box.currentIndexChanged.connect(self.update_preview)
            label = QLabel(f"&{LABELS[name]}:" if name != "uid" else "Calven &uid:")
            label.setBuddy(box)
            form.addRow(label, box)
            self.boxes[name] = box
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        layout.addWidget(QLabel("Preview of the first rows as they would be sent:"))
        self.preview = QTableWidget(0, 3)
        self.preview.setHorizontalHeaderLabels(["Row", "Sent to Calven", "Problems"])
        self.preview.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.preview)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(720, 560)
        self.update_preview()

    def forced(self) -> dict[str, str]:
        return {
            name: ("" if box.currentText() == NONE else box.currentText())
            for name, box in self.boxes.items()
        }

    def chosen_mapping(self) -> ColumnMap:
        columns = {}
        for name, box in self.boxes.items():
            if box.currentIndex() > 0:
                columns[name] = box.currentIndex() - 1
        return ColumnMap(list(self.table.headers), columns)  # type: ignore[arg-type]

    def update_preview(self) -> None:
        mapping = self.chosen_mapping()
        missing = mapping.missing_required()
        used = [b.currentIndex() for b in self.boxes.values() if b.currentIndex() > 0]
        twice = len(used) != len(set(used))
        ok = not missing and not twice
        self.problem.setText(
            ("Still needed: " + ", ".join(missing) + ". " if missing else "")
            + ("One column is chosen for two fields." if twice else "")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        sample = SourceTable(
            self.table.file,
            self.table.sheet,
            self.table.header_row,
            self.table.headers,
            self.table.rows[:5],
        )
        check = check_table(sample, mapping)
        self.preview.setRowCount(len(check.rows))
        for i, row in enumerate(check.rows):
            self.preview.setItem(i, 0, QTableWidgetItem(str(row.row)))
            self.preview.setItem(
                i, 1, QTableWidgetItem(", ".join(f"{k}={v}" for k, v in (row.event or {}).items()))
            )
            self.preview.setItem(i, 2, QTableWidgetItem("; ".join(p.message for p in row.problems)))


def needs_mapping_dialog(mapping: ColumnMap) -> bool:
    return bool(mapping.missing_required() or mapping.ambiguous)


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        form = QFormLayout(self)
        self.date_order = QComboBox()
        self.date_order.addItem("Automatic (from the file, else this computer's region)", None)
        self.date_order.addItem("Day first (31/12/2030)", DateOrder.DMY.value)
        self.date_order.addItem("Month first (12/31/2030)", DateOrder.MDY.value)
        self.date_order.setCurrentIndex(max(0, self.date_order.findData(settings.date_order)))
        form.addRow("&Dates like 03/04/2030:", self.date_order)
        self.batch = QSpinBox()
        self.batch.setRange(1, 1000)
        self.batch.setValue(settings.batch_size)
        self.batch.setToolTip("Calven documents no limit; 100 is what its sibling endpoint takes.")
        form.addRow("&Rows per request:", self.batch)
        self.parallel = QSpinBox()
        self.parallel.setRange(1, 16)
        self.parallel.setValue(settings.parallel)
        form.addRow("&Parallel requests:", self.parallel)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 600)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(settings.timeout_seconds)
        form.addRow("&Timeout:", self.timeout)
        self.retries = QSpinBox()
        self.retries.setRange(0, 20)
        self.retries.setValue(settings.max_retries)
        form.addRow("Re&tries:", self.retries)
        self.ca_bundle = QLineEdit(settings.ca_bundle or "")
        self.ca_bundle.setPlaceholderText("Only if your organisation's proxy needs it")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.ca_bundle)
        row.addWidget(browse)
        form.addRow("&Certificate file:", row)
        self.retention = QSpinBox()
        self.retention.setRange(1, 3650)
        self.retention.setSuffix(" days")
        self.retention.setValue(settings.journal_retention_days)
        form.addRow("&Keep run history for:", self.retention)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Certificate file", "", "Certificates (*.pem *.crt *.cer);;All files (*)"
        )
        if path:
            self.ca_bundle.setText(path)

    def apply(self) -> None:
        candidate = Settings(
            date_order=self.date_order.currentData(),
            batch_size=self.batch.value(),
            parallel=self.parallel.value(),
            timeout_seconds=self.timeout.value(),
            max_retries=self.retries.value(),
            ca_bundle=self.ca_bundle.text().strip() or None,
            journal_retention_days=self.retention.value(),
            recent_files=self.settings.recent_files,
            last_profile=self.settings.last_profile,
        )
        problems = candidate.problems()
        if problems:
            self.problem.setText(" ".join(problems))
            return
        for name in (
            "date_order",
            "batch_size",
            "parallel",
            "timeout_seconds",
            "max_retries",
            "ca_bundle",
            "journal_retention_days",
        ):
            setattr(self.settings, name, getattr(candidate, name))
        self.accept()


class LegendDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("What the colours mean")
        layout = QVBoxLayout(self)
        from PySide6.QtWidgets import QApplication

        for key, words in LEGEND:
            label = QLabel(f"  {words}  ")
            colour = row_colour(key, QApplication.palette()) or QColor("transparent")
            label.setStyleSheet(f"QLabel {{ background: {colour.name()}; padding: 4px; }}")
            layout.addWidget(label)
        layout.addWidget(
            QLabel("A red outline marks a cell that must be fixed; a dashed amber one, a warning.")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
