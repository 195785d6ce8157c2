"""The connection dialog's optional second key, for reading Calven's user list (issue 12)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit

from calven_desk.store.profiles import Profile, directory_secret_for


class DirectoryKeyFields:
    """Key id and secret rows added to a form; the secret, like the first, only ever goes to the keyring.

    Organisations whose sending key has only the Submitting Events role give a second key with the
    Data Warehouse role here, so the roster can be checked against Calven's user list.
    """

    def __init__(self, form: QFormLayout) -> None:
        self.key_id = QLineEdit()
        self.key_id.setPlaceholderText("Optional: a key with the Data Warehouse role")
        self.key_id.setToolTip(
            "Used only to read Calven's user list, to check addresses before sending. Leave it "
            "empty when the key above has the Data Warehouse or All permissions role."
        )
        form.addRow("&User list key id:", self.key_id)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("User &list key secret:", self.secret)

    def show(self, profile: Profile | None) -> None:
        self.key_id.setText(profile.directory_key_id if profile else "")
        self.secret.clear()
        stored = profile is not None and directory_secret_for(profile) is not None
        self.secret.setPlaceholderText("Stored: type a new one to replace it" if stored else "")

    def key(self) -> str:
        return self.key_id.text().strip()

    def typed_secret(self) -> str | None:
        return self.secret.text() or None
