"""Issue 24 in the window: rows that are not for Calven are dimmed, say why, have their own filter
and stay out of the Problems panel; the column-matching dialog and Settings know the new parts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from calven_desk.calven.sandbox import Sandbox
from calven_desk.gui.dialogs.mapping import MappingDialog
from calven_desk.gui.dialogs.settings import SettingsDialog
from calven_desk.gui.look.contrast import TEXT, contrast
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.table.colours import background, dimmed_text
from calven_desk.gui.table.model import Role
from calven_desk.roster import map_columns, read_table
from calven_desk.store.settings import Settings, load_settings
from tests.gui.conftest import Answers, open_and_wait
from tests.gui.test_window import cell, connect, statuses

GERMAN = (
    "Vorname;Nachname;E-Mail;Abwesenheitstyp;Startdatum;Enddatum;Startzeit;Endzeit;Status\n"
    "Anna;Berg;anna@example.de;Urlaub;02.03.2031;06.03.2031;;;genehmigt\n"
    "Bernd;Weiß;bernd@example.de;Urlaub;17.03.2031;18.03.2031;;;beantragt\n"
    "Clara;Vogel;clara@example.de;Urlaub;24.03.2031;25.03.2031;;;abgelehnt\n"
    "Dora;Kern;dora@example.de;Arzttermin;19.05.2031;19.05.2031;14:00;16:00;genehmigt\n"
    "Emil;Roth;emil-at-example.de;Urlaub;02.03.2031;06.03.2031;;;genehmigt\n"
)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def german(tmp_path: Path) -> Path:
    path = tmp_path / "Abwesenheiten.csv"
    path.write_text(GERMAN, encoding="utf-8")
    return path


def test_skipped_rows_dimmed_with_their_reason_under_their_own_filter(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, german(tmp_path))
    model = window.model
    assert model is not None
    assert statuses(window) == {2: "ready", 3: "skipped", 4: "skipped", 5: "skipped", 6: "invalid"}
    words = {model.document.rows[i].check.row: model.index(i, 1).data() for i in range(5)}
    assert words[3] == "Skipped: waiting for approval (beantragt)"
    assert words[4] == "Skipped: refused (abgelehnt)"
    assert words[5] == "Skipped: less than half a day"
    assert model.index(3, 1).data(Qt.ItemDataRole.ToolTipRole) == (
        "Away from 14:00 to 16:00 on 19 May, less than half a day: not sent "
        "(Calven has whole days only)."
    )
    tip = model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Waiting for approval (beantragt): not sent."
    # Quieter: every cell of a skipped row in a text colour between the text and the background,
    # still reading at 4.5:1 (never the disabled colour's 1.5:1); a ready row's text as it is.
    palette = QApplication.palette()
    email = cell(window, 3, "email")
    dim = email.data(Qt.ItemDataRole.ForegroundRole).color()  # type: ignore[attr-defined]
    assert dim == dimmed_text(palette, "skipped") != palette.color(QPalette.ColorRole.Text)
    assert contrast(dim, background("skipped", palette)) >= TEXT
    assert email.data(Role.SEVERITY) is None  # type: ignore[attr-defined]
    # No amber outline for the reason: nothing about the row needs fixing.
    assert cell(window, 3, "eventType").data(Role.SEVERITY) is None  # type: ignore[attr-defined]
    assert cell(window, 2, "email").data(Qt.ItemDataRole.ForegroundRole) is None  # type: ignore[attr-defined]
    # Their own filter (in More, Alt+Shift+1), and nowhere among the problems.
    window.set_filter("Skipped")
    assert sorted(window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())) == [
        3,
        4,
        5,
    ]
    window.set_filter("Problems")
    assert [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())] == [6]
    window.set_filter("Ready")
    assert [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())] == [2]
    qtbot.waitUntil(lambda: window.problems.count() == 1)
    assert window.problems.texts()[0].startswith("✖ Row 6")
    assert window.counts.text().startswith(
        "5 rows: 1 ready, 0 ready with warnings, 1 needs fixing, 3 skipped (not for Calven)"
    )
    action = window.filters.actions["Skipped"]
    assert action in window.filters.more_menu.actions()
    assert action.shortcut().toString() == "Alt+Shift+1"
    assert "not for Calven" in action.toolTip()


def test_approving_a_pending_row_in_the_window_makes_it_ready(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, german(tmp_path))
    model = window.model
    assert model is not None
    assert model.setData(cell(window, 3, "eventType"), "genehmigt")  # type: ignore[arg-type]
    assert statuses(window)[3] == "ready"
    window.act_undo.trigger()
    assert statuses(window)[3] == "skipped"
    # Clearing the end time leaves a start time alone: part of the day, sent whole with a warning.
    assert model.setData(cell(window, 5, "endTime"), "")  # type: ignore[arg-type]
    assert statuses(window)[5] == "warning"


def test_short_absences_as_whole_days_is_a_setting(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = SettingsDialog(window.settings)
    qtbot.addWidget(dialog)
    assert not dialog.short_absences.isChecked()
    dialog.short_absences.setChecked(True)
    dialog.apply()
    assert window.settings.send_short_absences
    window.save_settings()
    assert load_settings().send_short_absences
    open_and_wait(qtbot, window, german(tmp_path))
    assert statuses(window)[5] == "warning"  # the appointment is sent as a whole day
    assert statuses(window)[3] == "skipped"  # a pending request still is not


def test_matching_dialog_groups_half_day_and_time_columns(qtbot: QtBot, tmp_path: Path) -> None:
    table = read_table(german(tmp_path))
    dialog = MappingDialog(table, map_columns(table.headers))
    qtbot.addWidget(dialog)
    assert dialog.boxes["startTime"].currentText() == "Startzeit"
    assert dialog.boxes["endTime"].currentText() == "Endzeit"
    assert dialog.boxes["halfDay"].currentIndex() == 0  # not in this file
    assert dialog.chosen_mapping().header_of("startTime") == "Startzeit"
    skipped_reasons = [dialog.preview.item(r, 2).text() for r in range(dialog.preview.rowCount())]
    assert "Waiting for approval (beantragt): not sent." in skipped_reasons


def test_settings_file_keeps_the_choice_and_refuses_nonsense(tmp_path: Path) -> None:
    from calven_desk.store.settings import save_settings, settings_path

    save_settings(Settings(send_short_absences=True))
    assert load_settings().send_short_absences is True
    settings_path().write_text('{"send_short_absences": "yes"}', encoding="utf-8")
    assert load_settings() == Settings()


def test_timeline_rows_mark_skipped_rows(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from calven_desk.gui.timeline.rows import document_name_column, timeline_rows
    from calven_desk.roster.timeline import lay_out

    open_and_wait(qtbot, window, german(tmp_path))
    document = window.document
    assert document is not None
    rows, undated = timeline_rows(document.rows, document_name_column(document))
    assert undated == 0
    marked = {r.row: (r.skipped, r.cancelled, r.name) for r in rows}
    assert marked[2] == (False, False, "Berg, Anna")
    assert marked[3] == (True, False, "Weiß, Bernd")
    assert marked[4] == (True, False, "Vogel, Clara")  # refused: no cancellation drawn
    layout = lay_out(rows)
    # Only Anna (row 2) and Emil (row 6, to be fixed, still drawn) are away on 2 March.
    assert layout.away[layout.offset(rows[0].start)] == 2
    assert layout.away[layout.offset(rows[3].start)] == 0  # Dora's appointment: nobody away


def test_the_detail_line_and_a_screen_reader_say_why_a_row_is_skipped(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, german(tmp_path))
    shown = window.proxy.mapFromSource(cell(window, 3, "email"))  # type: ignore[arg-type]
    window.table.setCurrentIndex(shown)
    text = window.detail.text()
    assert text.startswith("Row 3: Skipped: waiting for approval (beantragt)")
    assert "ℹ Not for Calven: Event type: Waiting for approval (beantragt): not sent." in text
    role = Qt.ItemDataRole.AccessibleDescriptionRole
    email = cell(window, 3, "email").data(role)  # type: ignore[attr-defined]
    assert email == "Skipped: waiting for approval (beantragt)"
    status = cell(window, 3, "eventType").data(role)  # type: ignore[attr-defined]
    assert status == (
        "Skipped: waiting for approval (beantragt). "
        "Not for Calven: Waiting for approval (beantragt): not sent."
    )


def test_a_run_counts_skipped_rows_as_the_window_does_and_an_approval_after_it_is_ready(
    qtbot: QtBot, window: MainWindow, answers: Answers, sandbox: Sandbox, tmp_path: Path
) -> None:
    """The run's end says "skipped" only of rows not for Calven (the Skipped filter's), and a
    pending row approved after the run is ready: no "Not for Calven" answer sticks to it, so
    Save as writes it as a row not sent yet."""
    sandbox.state.users = None
    connect(window, sandbox)
    open_and_wait(qtbot, window, german(tmp_path))
    with qtbot.waitSignal(window.run_finished, timeout=30_000):
        window.submit_all_ready()
    assert [e["email"] for e in sandbox.accepted] == ["anna@example.de"]
    said = window.statusBar().currentMessage()
    assert said.endswith(
        ": 1 accepted, 0 rejected, 0 not sent, 1 needs fixing, 3 skipped (not for Calven)."
    ), said
    model = window.model
    assert model is not None
    assert model.setData(cell(window, 3, "eventType"), "genehmigt")  # type: ignore[arg-type]
    assert statuses(window)[3] == "ready"
    answers.save_path = str(tmp_path / "saved.csv")
    assert window.save_as()
    saved = (tmp_path / "saved.csv").read_text(encoding="utf-8").splitlines()
    assert saved[2].split(";")[9:11] == ["Not sent", ""], saved[2]
    assert saved[2].split(";")[11].startswith("Ready"), saved[2]
    assert saved[2].split(";")[11].endswith("not sent yet."), saved[2]
    assert saved[3].split(";")[9] == "Not for Calven", saved[3]
