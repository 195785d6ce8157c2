"""The connection dialog: Calven profiles (address, sign-in method, key id, where the memory of
what Calven holds is) and their secrets, which go to the keyring only, with buttons that test the
connection and the team memory."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from calven_desk.calven.client import check_connection
from calven_desk.calven.urls import DEFAULT_BASE_URL, BaseUrlError, check_base_url
from calven_desk.gui.dialogs.directory_key_fields import DirectoryKeyFields
from calven_desk.gui.dialogs.memory_fields import MemoryFields
from calven_desk.store.profiles import (
    Profile,
    ProfileError,
    load_profiles,
    remove_profile,
    save_profile,
    secret_for,
    use_directory_secret_for_session,
    use_for_session,
    use_memory_password_for_session,
)
from calven_desk.store.secrets import KeyringUnavailable, keyring_problem
from calven_desk.store.settings import Settings


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
        self.banner.setAccessibleName("Password store")
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
            "Use the secret for this session &only (it is not saved anywhere)"
        )
        self.session_only.setChecked(problem is not None)
        self.session_only.setEnabled(problem is None)
        form.addRow("", self.session_only)
        self.directory_key = DirectoryKeyFields(form)
        self.memory = MemoryFields(form)
        layout.addLayout(form)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict.setAccessibleName("What the connection test found")
        layout.addWidget(self.verdict)
        row = QHBoxLayout()
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test)
        self.test_memory_button = QPushButton("Test team memor&y")
        self.test_memory_button.clicked.connect(self.test_memory)
        self.save_button = QPushButton("Sa&ve profile")
        self.save_button.clicked.connect(self.save)
        self.remove_button = QPushButton("&Remove profile")
        self.remove_button.clicked.connect(self.remove)
        for button in (
            self.test_button,
            self.test_memory_button,
            self.save_button,
            self.remove_button,
        ):
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
        self.memory.show(profile)
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
            self.memory.text(),
        )

    def save(self) -> bool:
        try:
            profile = self._profile()
            secret, second = self.secret.text(), self.directory_key.typed_secret()
            memory_password = self.memory.typed_password()
            if self.session_only.isChecked():
                save_profile(profile, None)
                if secret:
                    use_for_session(profile.name, secret)
                if second:
                    use_directory_secret_for_session(profile.name, second)
                if memory_password:
                    use_memory_password_for_session(profile.name, memory_password)
            else:
                save_profile(profile, secret or None, second, memory_password)
        except (ProfileError, KeyringUnavailable) as exc:
            self.verdict.setText(str(exc))
            return False
        self.secret.clear()
        self.directory_key.secret.clear()
        self.memory.password.clear()
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

    def test_memory(self) -> None:
        """Sign in to the team memory as typed (or with the stored password), on this thread:
        the address's own connect_timeout, else 5 s, bounds the wait."""
        name = self.profiles.currentData()
        self.verdict.setText("Testing the team memory…")
        self.repaint()
        self.verdict.setText(self.memory.test(load_profiles().get(name) if name else None))

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
