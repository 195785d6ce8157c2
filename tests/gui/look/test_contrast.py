"""Every text the window draws reads at 4.5:1 (WCAG 2.2 AA) in the Light and the Dark theme, measured
from the colours the palettes, the table's model and the Timeline's painter actually give."""

from __future__ import annotations

import colorsys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from calven_desk.calven.outcomes import Outcome, RowOutcome
from calven_desk.gui.look.contrast import NON_TEXT, TEXT, contrast, luminance, mix, readable
from calven_desk.gui.look.palettes import MARKS, PAIRS, palette, repair
from calven_desk.gui.look.theme import applied_theme, apply_theme
from calven_desk.gui.main_window import MainWindow
from calven_desk.gui.table.colours import DARK, LIGHT, background, dimmed_text, outline, row_colour
from calven_desk.gui.table.model import Role
from calven_desk.gui.timeline.paint import away_colour, bar_colours
from calven_desk.roster.timeline import Bar, TimelineRow
from tests.gui.conftest import open_and_wait
from tests.roster.files import write_csv

THEMES = ("light", "dark")
Role_ = QPalette.ColorRole


@pytest.fixture
def themed() -> Iterator[None]:
    """Tests that switch the application's theme put the one before back."""
    before = applied_theme() or "system"
    yield
    apply_theme(before)


def test_contrast_is_wcags_ratio() -> None:
    assert contrast(QColor("black"), QColor("white")) == pytest.approx(21)
    assert contrast(QColor("#777777"), QColor("#777777")) == pytest.approx(1)
    # WCAG's own example pair: #767676 on white is the lightest grey that passes AA.
    assert contrast(QColor("#767676"), QColor("white")) == pytest.approx(4.54, abs=0.01)
    assert luminance(QColor("white")) == pytest.approx(1)


def test_readable_nudges_a_colour_only_as_far_as_it_must() -> None:
    white = QColor("white")
    pale = QColor("#c0c0c0")  # 1.8:1 on white
    fixed = readable(pale, white)
    assert TEXT <= contrast(fixed, white) < TEXT + 0.2  # just enough
    dark = QColor("#111111")
    assert readable(dark, white) == dark  # already reads: unchanged
    assert contrast(readable(QColor("#333333"), QColor("#222222")), QColor("#222222")) >= TEXT


@pytest.mark.parametrize("theme", THEMES)
def test_every_text_of_both_palettes_reads_on_its_background(theme: str) -> None:
    made = palette(theme)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for text, behind in PAIRS:
            ratio = contrast(made.color(group, text), made.color(group, behind))
            assert ratio >= TEXT, (theme, group, text, behind, ratio)
        for mark, beside in MARKS:  # the focus ring and the selection stand out: 3:1
            assert contrast(made.color(group, mark), made.color(group, beside)) >= NON_TEXT


def test_a_platform_palette_that_fails_is_repaired() -> None:
    given = QPalette()
    given.setColor(Role_.Highlight, QColor("#308cc6"))  # Qt's own default blue
    given.setColor(Role_.HighlightedText, QColor("white"))  # 3.6:1 on it
    given.setColor(Role_.Base, QColor("white"))
    given.setColor(Role_.PlaceholderText, QColor("#bfbfbf"))  # 1.8:1 on white
    fixed = repair(given)
    for text, behind in PAIRS:
        assert contrast(fixed.color(text), fixed.color(behind)) >= TEXT, (text, behind)


@pytest.mark.parametrize("theme", THEMES)
def test_every_row_colour_reads_with_the_themes_text_and_shows_its_outlines(theme: str) -> None:
    made = palette(theme)
    text = made.color(Role_.Text)
    table = DARK if theme == "dark" else LIGHT
    for key in table:
        behind = background(key, made)
        assert contrast(text, behind) >= TEXT, (theme, key)
        assert contrast(dimmed_text(made, key), behind) >= TEXT, (theme, key, "dimmed")
        for severity in ("error", "warning"):  # the outlines that mark a cell's problem
            assert contrast(outline(severity, made), behind) >= NON_TEXT, (theme, key, severity)


def _hue_and_saturation(colour: QColor) -> tuple[float, float]:
    hue, _, saturation = colorsys.rgb_to_hls(colour.redF(), colour.greenF(), colour.blueF())
    return hue * 360, saturation


@pytest.mark.parametrize("theme", THEMES)
def test_results_differ_in_hue_as_well_as_lightness(theme: str) -> None:
    """Code 2's pink and another code's salmon looked the same: each result has its own hue,
    at least 30 degrees from every other (not sent is the one grey)."""
    table = DARK if theme == "dark" else LIGHT
    colours = {key: QColor(value) for key, value in table.items() if value}
    grey = [k for k, c in colours.items() if _hue_and_saturation(c)[1] < 0.1]
    assert grey == ["not_sent"]
    hued = {k: _hue_and_saturation(c)[0] for k, c in colours.items() if k not in grey}
    for (one, a), (other, b) in combinations(hued.items(), 2):
        distance = min(abs(a - b), 360 - abs(a - b))
        assert distance >= 30, (theme, one, other, distance)


@pytest.mark.parametrize("theme", THEMES)
def test_the_timelines_words_read_on_its_bars_and_count_strip(theme: str) -> None:
    made = palette(theme)
    for key in [*LIGHT, "no colour"]:
        for faded, ghost in [(False, False), (True, False), (False, True)]:
            row = TimelineRow(1, "ana@example.com", date(2030, 3, 4), date(2030, 3, 5), False,
                              "Ready", key, ghost=ghost)  # fmt: skip
            bar = Bar(row, 0, 0, 1, cancelled_by=2 if faded else None)
            fill, words = bar_colours(bar, made)
            assert contrast(words, fill) >= TEXT, (theme, key, faded, ghost)
    assert contrast(made.color(Role_.WindowText), away_colour(made)) >= TEXT


@pytest.mark.parametrize("theme", THEMES)
def test_every_cell_the_model_gives_reads_in_both_themes(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, theme: str, themed: None
) -> None:
    """Every cell of a roster with every result, its colour from the model (BackgroundRole) and
    its text from the model (ForegroundRole) or else the palette: 4.5:1 at least, the roster's
    own columns (never sent) included."""
    header = ["Employee Name", "Email", "Start", "End", "Note"]
    rows = [
        [f"Person {n}", f"p{n}@example.com", "2030-03-02", "2030-03-03", "kept"] for n in range(9)
    ]
    rows.append(["Bad", "not-an-email", "2030-03-02", "2030-03-01", ""])
    open_and_wait(qtbot, window, write_csv(tmp_path / "all.csv", [header, *rows]))
    model = window.model
    assert model is not None
    when = datetime(2030, 1, 1, tzinfo=UTC)
    answers = [
        RowOutcome(2, "a", Outcome.ACCEPTED, 0, "Event processed", when),
        RowOutcome(3, "b", Outcome.REJECTED, 1, "Wrong dates", when),
        RowOutcome(4, "c", Outcome.REJECTED, 2, "No such user", when),
        RowOutcome(5, "d", Outcome.REJECTED, 3, "Locked", when),
        RowOutcome(6, "e", Outcome.REJECTED, 7, "Something else", when),
        RowOutcome(7, "f", Outcome.NOT_SENT, None, "Network down", None),
    ]
    model.record_results(answers)
    model.set_sending([8])
    window.view_menu.choose_theme(theme)
    made = QApplication.palette()
    assert made.color(Role_.Window) == QColor(palette(theme).color(Role_.Window))
    keys = set()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            brush = index.data(Qt.ItemDataRole.BackgroundRole)
            behind = brush.color() if brush is not None else made.color(Role_.Base)
            pen = index.data(Qt.ItemDataRole.ForegroundRole)
            text = pen.color() if pen is not None else made.color(Role_.Text)
            assert contrast(text, behind) >= TEXT, (theme, row, column, index.data())
            keys.add(index.data(Role.COLOUR_KEY))
    assert {"accepted", "code1", "code2", "code3", "unknown_code", "not_sent", "sending"} <= keys
    assert "invalid" in keys and "ready" in keys


def test_the_roster_columns_never_sent_are_marked_in_their_title_not_by_pale_text(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    header = ["Employee Name", "Email", "Start", "End", "Note"]
    path = write_csv(
        tmp_path / "r.csv", [header, ["Ana", "a@example.com", "2030-03-02", "2030-03-03", "x"]]
    )
    open_and_wait(qtbot, window, path)
    model = window.model
    assert model is not None
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Employee Name (not sent)" in titles and "Note (not sent)" in titles
    assert "Email" in titles  # sent: no mark
    for column in range(model.columnCount()):
        assert model.index(0, column).data(Qt.ItemDataRole.ForegroundRole) is None


def test_the_theme_is_applied_to_the_whole_application_and_remembered(
    qtbot: QtBot, window: MainWindow, themed: None
) -> None:
    from calven_desk.store.settings import load_settings

    window.view_menu.theme_actions["dark"].trigger()
    assert QApplication.palette().color(Role_.Window) == palette("dark").color(Role_.Window)
    assert window.settings.theme == "dark" and load_settings().theme == "dark"
    assert row_colour("accepted", QApplication.palette()) == QColor(DARK["accepted"])
    window.view_menu.theme_actions["light"].trigger()
    assert QApplication.palette().color(Role_.Window) == palette("light").color(Role_.Window)
    assert load_settings().theme == "light"
    window.view_menu.theme_actions["system"].trigger()
    system = QApplication.palette()
    for text, behind in PAIRS:  # the platform's own, held to the same rule
        assert contrast(system.color(text), system.color(behind)) >= TEXT
    assert load_settings().theme == "system"


def test_a_theme_the_settings_file_does_not_know_gives_the_defaults(tmp_path: Path) -> None:
    import json

    from calven_desk.store.settings import load_settings, settings_path

    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(json.dumps({"theme": "neon", "batch_size": 50}), encoding="utf-8")
    assert load_settings().theme == "system" and load_settings().batch_size == 100


def test_mix_is_what_drawing_at_that_opacity_shows() -> None:
    assert mix(QColor("black"), QColor("white"), 0.5).name() in ("#808080", "#7f7f7f")
