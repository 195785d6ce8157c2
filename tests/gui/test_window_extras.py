"""The smaller window features: drop a file, recent files, settings, export, legend, no-keyring banner."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from calven_desk.gui.dialogs.connection import ConnectionDialog
from calven_desk.gui.dialogs.legend import LegendDialog
from calven_desk.gui.dialogs.settings import SettingsDialog
from calven_desk.gui.main_window import MainWindow
from calven_desk.store.secrets import NO_KEYRING
from calven_desk.store.settings import Settings, load_settings
from tests.gui.conftest import Answers, open_and_wait


def test_dropping_a_file_opens_it(qtbot: QtBot, window: MainWindow, rosters: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(rosters / "uk-semicolon.csv"))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.model_ready, timeout=20_000):
        window.dropEvent(event)
    assert window.document is not None and window.document.table.file.name == "uk-semicolon.csv"


def test_recent_files_are_remembered(qtbot: QtBot, window: MainWindow, rosters: Path) -> None:
    open_and_wait(qtbot, window, rosters / "seed-example.csv")
    open_and_wait(qtbot, window, rosters / "uk-semicolon.csv")
    names = [a.text() for a in window.recent_menu.actions()]
    assert names == ["&1 uk-semicolon.csv", "&2 seed-example.csv"]
    assert load_settings().recent_files[0].endswith("uk-semicolon.csv")  # saved for the next start
    with qtbot.waitSignal(window.model_ready, timeout=20_000):
        window.recent_menu.actions()[1].trigger()
    assert window.document is not None and window.document.table.file.name == "seed-example.csv"


def test_settings_dialog_checks_values(qtbot: QtBot) -> None:
    settings = Settings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.batch.setValue(50)
    dialog.date_order.setCurrentIndex(2)
    dialog.ca_bundle.setText("/no/such/file.pem")
    dialog.apply()
    assert (
        "does not exist" in dialog.problem.text() and settings.batch_size == 100
    )  # nothing applied
    dialog.ca_bundle.clear()
    dialog.apply()
    assert (settings.batch_size, settings.date_order) == (50, "mdy")


def test_export_results_only(
    qtbot: QtBot, window: MainWindow, answers: Answers, rosters: Path, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, rosters / "hr-export.xlsx")
    answers.save_path = str(tmp_path / "results.xlsx")
    window.export_results()
    sheet = load_workbook(tmp_path / "results.xlsx").active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Row",
        "Event ID",
        "Email or uid",
        "Result",
        "Result code",
        "Message",
        "Sent at",
    ]
    assert rows[1][:3] == [4, "REQ-1001", "ana.lima@example.com"] and len(rows) == 11


def test_legend_names_every_colour(qtbot: QtBot) -> None:
    dialog = LegendDialog()
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("result code 1" in t for t in texts) and any("does not know" in t for t in texts)
    assert any("Not sent" in t for t in texts) and any("outline" in t for t in texts)


def test_no_keyring_banner_and_session_only(qtbot: QtBot) -> None:
    dialog = ConnectionDialog(Settings())  # the test environment has no keyring by default
    qtbot.addWidget(dialog)
    assert not dialog.banner.isHidden() and NO_KEYRING in dialog.banner.text()
    assert dialog.session_only.isChecked() and not dialog.session_only.isEnabled()
    dialog.name.setText("laptop")
    dialog.key_id.setText("key-1")
    dialog.secret.setText("s3cret")
    assert dialog.save()
    from calven_desk.store.profiles import load_profiles, secret_for

    profile = load_profiles()["laptop"]
    secret = secret_for(profile)
    assert secret is not None and secret.reveal() == "s3cret"  # for this session, from memory only
