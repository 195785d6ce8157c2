"""The connection dialog's team memory (issue 22): where the memory of what Calven holds lives,
its password (which, like the API secret, only ever goes to the keyring), and a test of it."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit

from calven_desk.store.memory_address import (
    MemoryAddress,
    MemoryAddressError,
    parse_memory_address,
)
from calven_desk.store.profiles import Profile, memory_of
from calven_desk.store.secrets import Secret
from calven_desk.store.team_memory import check_team_memory
from calven_desk.store.unavailable import TeamMemoryUnavailable

PLACEHOLDER = "Empty: this computer only. A team's: postgresql://user@server/database"


class MemoryFields:
    """Address and password rows added to a form. Empty keeps the memory on this computer, as
    before; an address makes it the team's, which every HR computer with it shares."""

    def __init__(self, form: QFormLayout) -> None:
        self.address = QLineEdit()
        self.address.setPlaceholderText(PLACEHOLDER)
        self.address.setToolTip(
            "Where Calven Desk remembers what Calven holds. Several HR computers sending to one "
            "Calven share it in a PostgreSQL database your IT team sets up (README: A team's "
            "memory); leave it empty when only this computer sends."
        )
        self.address.setAccessibleName("Team memory address")
        form.addRow("Team &memory:", self.address)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Team memory password")
        form.addRow("Memory pass&word:", self.password)

    def show(self, profile: Profile | None) -> None:
        self.address.setText(profile.memory if profile else "")
        self.password.clear()
        stored = profile is not None and (found := memory_of(profile)) is not None
        has_password = stored and found is not None and found.password is not None
        self.password.setPlaceholderText(
            "Stored: type a new one to replace it" if has_password else ""
        )

    def text(self) -> str:
        return self.address.text().strip()

    def typed_password(self) -> str | None:
        return self.password.text() or None

    def test(self, profile: Profile | None) -> str:
        """The test's verdict, a sentence with a mark: the address as typed, with the password
        typed or else the one stored for the profile."""
        if not self.text():
            return (
                "✔ The memory is kept on this computer: nothing to test. Give a team memory's "
                "address to share it with the other HR computers."
            )
        try:
            url, in_address = parse_memory_address(self.text(), allow_password=True)
        except MemoryAddressError as exc:
            return f"✖ {exc}"
        stored = memory_of(profile) if profile is not None and profile.memory == url else None
        typed = self.typed_password() or in_address
        password = Secret(typed) if typed else (stored.password if stored else None)
        try:
            return "✔ " + check_team_memory(MemoryAddress(url, password))
        except TeamMemoryUnavailable as exc:
            return f"✖ {exc}"
