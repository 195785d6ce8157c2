"""Dialogs: column mapping, connection profiles, settings, and the colour legend."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
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
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from calven_desk.calven.client import check_connection
from calven_desk.calven.urls import DEFAULT_BASE_URL, BaseUrlError, check_base_url
from calven_desk.gui.colours import LEGEND, row_colour
from calven_desk.gui.directory_key_fields import DirectoryKeyFields
from calven_desk.roster import (
    FIELDS,
    LABELS,
    ColumnMap,
    DateOrder,
    SourceTable,
    check_table,
)
from calven_desk.store.profiles import (
    Profile,
    ProfileError,
    load_profiles,
    remove_profile,
    save_profile,
    secret_for,
    use_directory_secret_for_session,
    use_for_session,
)
from calven_desk.store.secrets import KeyringUnavailable, keyring_problem
from calven_desk.store.settings import Settings

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


class ConnectionDialog(QDialog):
    """Profiles: name, address, sign-in method, key id, and a secret that goes to the keyring only."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connection to Calven")
        self.settings = settings
        layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { border: 1px solid palette(mid); padding: 6px; }")
        problem = keyring_problem()
        self.banner.setText(f"⚠ {problem}" if problem else "")
        self.banner.setVisible(problem is not None)
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.profiles = QComboBox()
        self.profiles.setEditable(False)
        self.profiles.currentTextChanged.connect(self.show_profile)
        form.addRow("&Profile:", self.profiles)
        self.name = QLineEdit()
        form.addRow("&Name:", self.name)
        self.base_url = QLineEdit(DEFAULT_BASE_URL)
        form.addRow("Calven &address:", self.base_url)
        self.auth = QComboBox()
        self.auth.addItem("HMAC signature (recommended)", "hmac")
        self.auth.addItem("Client secret", "client_secret")
        form.addRow("&Sign-in method:", self.auth)
        self.key_id = QLineEdit()
        form.addRow("API &key id:", self.key_id)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("API s&ecret:", self.secret)
        self.session_only = QCheckBox(
            "Use the secret for this session only (it is not saved anywhere)"
        )
        self.session_only.setChecked(problem is not None)
        self.session_only.setEnabled(problem is None)
        form.addRow("", self.session_only)
        self.directory_key = DirectoryKeyFields(form)
        layout.addLayout(form)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.verdict)
        row = QHBoxLayout()
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test)
        self.save_button = QPushButton("Sa&ve profile")
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton("&Remove profile")
        self.remove_button.clicked.connect(self.remove)
        for button in (self.test_button, self.save_button, self.remove_button):
            row.addWidget(button)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        layout.addWidget(close)
        self.reload(settings.last_profile)

    def reload(self, select: str | None) -> None:
        self.profiles.blockSignals(True)
        self.profiles.clear()
        self.profiles.addItem("New profile…", None)
        for name in load_profiles():
            self.profiles.addItem(name, name)
        self.profiles.blockSignals(False)
        index = self.profiles.findData(select) if select else 0
        self.profiles.setCurrentIndex(max(0, index))
        self.show_profile()

    def show_profile(self) -> None:
        name = self.profiles.currentData()
        profile = load_profiles().get(name) if name else None
        self.name.setText(profile.name if profile else "")
        self.base_url.setText(profile.base_url if profile else DEFAULT_BASE_URL)
        self.auth.setCurrentIndex(max(0, self.auth.findData(profile.auth if profile else "hmac")))
        self.key_id.setText(profile.key_id if profile else "")
        self.secret.clear()
        stored = profile is not None and secret_for(profile) is not None
        # A stored secret is never shown again; the field only replaces it.
        self.secret.setPlaceholderText("Stored: type a new one to replace it" if stored else "")
        self.directory_key.show(profile)
        self.remove_button.setEnabled(profile is not None)
        self.verdict.clear()

    def _profile(self) -> Profile:
        try:
            url = check_base_url(self.base_url.text())
        except BaseUrlError as exc:
            raise ProfileError(str(exc)) from None
        return Profile(
            self.name.text().strip(),
            self.key_id.text().strip(),
            url,
            str(self.auth.currentData()),
            self.directory_key.key(),
        )

    def save(self) -> bool:
        try:
            profile = self._profile()
            secret, second = self.secret.text(), self.directory_key.typed_secret()
            if self.session_only.isChecked():
                save_profile(profile, None)
                if secret:
                    use_for_session(profile.name, secret)
                if second:
                    use_directory_secret_for_session(profile.name, second)
            else:
                save_profile(profile, secret or None, second)
        except (ProfileError, KeyringUnavailable) as exc:
            self.verdict.setText(str(exc))
            return False
        self.secret.clear()
        self.directory_key.secret.clear()
        self.settings.last_profile = profile.name
        self.reload(profile.name)
        self.verdict.setText(f"Saved profile '{profile.name}'.")
        return True

    def remove(self) -> None:
        name = self.profiles.currentData()
        if not name:
            return
        answer = QMessageBox.question(
            self, "Remove profile", f"Remove '{name}' and its stored secret?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            remove_profile(name)
            self.reload(None)

    def test(self) -> None:
        try:
            profile = self._profile()
        except ProfileError as exc:
            self.verdict.setText(str(exc))
            return
        stored = secret_for(profile)
        secret = self.secret.text() or (stored.reveal() if stored else "")
        if not secret:
            self.verdict.setText("Type the API secret first.")
            return
        self.verdict.setText("Testing…")
        self.repaint()
        verdict = check_connection(
            profile.base_url,
            profile.auth,
            profile.key_id,
            secret,
            ca_bundle=self.settings.ca_bundle,
            timeout=min(self.settings.timeout_seconds, 15),
        )
        self.verdict.setText(("✔ " if verdict.ok else "✖ ") + verdict.message)


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
