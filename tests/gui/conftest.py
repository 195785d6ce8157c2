"""A real main window, offscreen, with its questions answered by the test instead of dialogs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from calven_desk.gui.main_window import MainWindow
from calven_desk.roster import DateOrder
from calven_desk.store.settings import Settings


class Answers:
    """What the test says when the window asks something, and what it was told."""

    def __init__(self) -> None:
        self.confirm = True
        self.sheet: str | None = None
        self.save_path: str | None = None
        self.told: list[tuple[str, str]] = []
        self.asked: list[tuple[str, str]] = []
        #: The details each question offered behind "Show Details…", in the order asked.
        self.details: list[str] = []
        #: The answer to "which way round are the dates?" (None: Cancel), and each time it was
        #: asked: the file's name, the example rows (as the dialog shows them), the order then.
        self.date_order: DateOrder | None = DateOrder.DMY
        self.date_questions: list[tuple[str, list[Any], DateOrder | None]] = []

    def ask_replace(self, name: str) -> bool:
        self.asked.append(("Replace the original?", name))
        return self.confirm

    def ask_date_order(
        self, name: str, examples: Any, current: DateOrder | None
    ) -> DateOrder | None:
        self.date_questions.append((name, list(examples), current))
        return self.date_order


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def window(qtbot: QtBot, answers: Answers) -> Iterator[MainWindow]:
    made = MainWindow(Settings())

    def confirm(title: str, text: str, details: str = "") -> bool:
        answers.asked.append((title, text))
        answers.details.append(details)
        return answers.confirm

    made.confirm = confirm
    made.inform = lambda title, text: answers.told.append((title, text))  # type: ignore[func-returns-value]
    made.ask_sheet = lambda sheets: answers.sheet or sheets[0]
    made.ask_save_path = lambda suggestion: answers.save_path
    made.ask_unsaved = lambda name: "discard"
    made.ask_replace = answers.ask_replace
    made.ask_date_order = answers.ask_date_order
    qtbot.addWidget(made)
    made.show()
    yield made
    made.dirty = False
    if made.job_thread is not None:
        made.cancel_run()
        made.job_thread.wait(20_000)
    if made.sandbox is not None:
        made.sandbox.stop()
        made.sandbox = None


def open_and_wait(qtbot: QtBot, window: MainWindow, path: Any) -> None:
    with qtbot.waitSignal(window.model_ready, timeout=20_000):
        window.open_file(path)
