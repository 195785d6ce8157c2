"""The Settings dialog: date order, batch size, parallel requests, timeout, retries, certificate file,
how long run history is kept and whether absences shorter than half a day are sent, checked as a
whole before any is applied."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
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
    QWidget,
)

from calven_desk.roster import DateOrder
from calven_desk.store.settings import Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        form = QFormLayout(self)
        self.date_order = QComboBox()
        self.date_order.addItem("From the file and its rows; ask when they don't tell", None)
        self.date_order.addItem("Day first (31/12/2030)", DateOrder.DMY.value)
        self.date_order.addItem("Month first (12/31/2030)", DateOrder.MDY.value)
        self.date_order.setCurrentIndex(max(0, self.date_order.findData(settings.date_order)))
        self.date_order.setToolTip(
            "For files whose own dates do not show the order. A date such as 25/03/2030 in the "
            "file always wins. Choosing day or month first here replaces the answers given for "
            "particular files."
        )
        form.addRow(_label("&Dates like 03/04/2030:", self.date_order), self.date_order)
        self.batch = QSpinBox()
        self.batch.setRange(1, 1000)
        self.batch.setValue(settings.batch_size)
        self.batch.setToolTip("Calven documents no limit; 100 is what its sibling endpoint takes.")
        form.addRow(_label("&Rows per request:", self.batch), self.batch)
        self.parallel = QSpinBox()
        self.parallel.setRange(1, 16)
        self.parallel.setValue(settings.parallel)
        form.addRow(_label("&Parallel requests:", self.parallel), self.parallel)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 600)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(settings.timeout_seconds)
        form.addRow(_label("&Timeout:", self.timeout), self.timeout)
        self.retries = QSpinBox()
        self.retries.setRange(0, 20)
        self.retries.setValue(settings.max_retries)
        form.addRow(_label("Retr&ies:", self.retries), self.retries)
        self.ca_bundle = QLineEdit(settings.ca_bundle or "")
        self.ca_bundle.setPlaceholderText("Only if your organisation's proxy needs it")
        self.ca_bundle.setAccessibleName("Certificate file")
        browse = QPushButton("&Browse…")
        browse.setAccessibleDescription("Choose the certificate file")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.ca_bundle)
        row.addWidget(browse)
        form.addRow(_label("Certificate &file:", self.ca_bundle), row)
        self.retention = QSpinBox()
        self.retention.setRange(1, 3650)
        self.retention.setSuffix(" days")
        self.retention.setValue(settings.journal_retention_days)
        form.addRow(_label("&Keep run history for:", self.retention), self.retention)
        self.short_absences = QCheckBox(
            "Send absences shorter than &half a day (such as a 2-hour appointment) as whole days"
        )
        self.short_absences.setToolTip(
            "Calven has whole days only. Unticked, such rows are skipped and never sent; ticked, "
            "they are sent as whole days with a warning. Applies to rosters opened from now on."
        )
        self.short_absences.setChecked(settings.send_short_absences)
        form.addRow(self.short_absences)
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
            send_short_absences=self.short_absences.isChecked(),
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
            "send_short_absences",
        ):
            setattr(self.settings, name, getattr(candidate, name))
        self.accept()


def _label(text: str, buddy: QWidget) -> QLabel:
    """A form's label with its access letter: Alt and the letter go to `buddy` (a label without
    a buddy showed its "&" as it is: "&Certificate file:")."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
