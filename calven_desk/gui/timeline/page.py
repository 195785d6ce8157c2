"""The Timeline page: zoom and Today controls over the view, and laying the roster out in a worker.

Laying out 50,000 rows takes a few hundred milliseconds in Python, so it never runs on the GUI
thread: the page keeps showing the last layout until the worker hands over the next one. Requests
that arrive while a layout is being made (typing in Search) are merged into one more run.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QCoreApplication, QThread, Signal, Slot
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from calven_desk.calven.sync import LeftBehind
from calven_desk.gui.threads.workers import Worker, thread_for
from calven_desk.gui.timeline.rows import ghost_rows, timeline_rows
from calven_desk.gui.timeline.view import ZOOMS, TimelineView
from calven_desk.roster.check import bulk_allocation
from calven_desk.roster.document import DocumentRow
from calven_desk.roster.timeline import TimelineLayout, TimelineRow, lay_out


@dataclass(slots=True)
class _Request:
    rows: list[DocumentRow] | None
    names: tuple[int, ...]
    sending: frozenset[int]
    visible: frozenset[int] | None
    #: Leave Calven holds from earlier sends that the roster no longer has: drawn as ghosts.
    removed: tuple[LeftBehind, ...] = ()
    #: Names Calven's user list gives the rows' people, by sheet row (issue 12).
    calven_names: Mapping[int, str] | None = None


#: Layout threads still running. A script that ends without the event loop's quitting (the
#: self-test) would otherwise destroy a running QThread at exit, which aborts the process.
_running: set[QThread] = set()


@atexit.register
def _wait_for_layouts() -> None:
    for thread in list(_running):
        thread.wait(10_000)


def make_layout(
    request: _Request, converted: tuple[list[TimelineRow], int] | None
) -> tuple[tuple[list[TimelineRow], int], TimelineLayout]:
    """The worker's job: the rows (converted again only when the roster changed), then the layout."""
    # The collector paused: a hundred thousand new objects, none in a cycle, would trigger full
    # collections that hold the interpreter (and so the window) for a hundred milliseconds or more.
    # Frozen before it resumes, for the same reason: its first pass would otherwise walk every
    # object made meanwhile (300 ms freezes of the window at 50,000 rows, bench/bench_timeline.py).
    # Frozen objects are still freed when no longer used; only a cycle among them would stay.
    with bulk_allocation():
        if request.rows is not None or converted is None:
            converted = timeline_rows(
                request.rows or [], request.names, request.sending, request.calven_names
            )
        rows = converted[0]
        if request.removed:
            names = {r.person: r.name for r in rows if r.name}
            rows = [*rows, *ghost_rows(request.removed, names)]
        layout = lay_out(rows, request.visible)
        gc.freeze()
    layout.undated = converted[1]
    return converted, layout


class TimelinePage(QWidget):
    """The Timeline with its controls. `laid_out` fires when the layout of the latest request is on
    screen (a layout already overtaken by a newer request is shown, but not announced)."""

    laid_out = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = TimelineView()
        self.zoom = QComboBox()
        self.zoom.addItems([name for name, _ in ZOOMS])
        self.zoom.setCurrentIndex(self.view.zoom)
        self.zoom.setToolTip("How many days the view shows across (Ctrl+wheel or + and - zoom too)")
        self.zoom.currentIndexChanged.connect(self.view.set_zoom)
        self.zoom.setAccessibleName("Zoom")
        self.zoom.view().setAccessibleName("Zoom steps")
        self.view.zoomed.connect(self._zoomed)
        zoom_label = QLabel("&Zoom:")
        zoom_label.setBuddy(self.zoom)
        self.today_button = QPushButton("To&day")
        self.today_button.setToolTip("Scroll to today (the dashed line)")
        self.today_button.clicked.connect(self.go_to_today)
        self.status = QLabel()
        self.status.setWordWrap(True)  # a long sentence wraps rather than widening the window
        self.status.setAccessibleName("Timeline summary")
        self._counted = ""  # the status's words on the rows shown; a note may follow them
        bar = QHBoxLayout()
        for widget in (zoom_label, self.zoom, self.today_button):
            bar.addWidget(widget)
        bar.addWidget(self.status, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(bar)
        box.addWidget(self.view)
        self._converted: tuple[list[TimelineRow], int] | None = None
        self._request = _Request(None, (), frozenset(), None)
        self._waiting = False
        self._thread: QThread | None = None
        self._worker: Worker | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._wait_for_worker)
        self.view.set_zoom(self.zoom.currentIndex())

    # --- input ----------------------------------------------------------------------------------

    def show_rows(
        self,
        rows: Sequence[DocumentRow],
        names: tuple[int, ...],
        sending: Collection[int] = (),
        calven_names: Mapping[int, str] | None = None,
    ) -> None:
        """The roster (or its words and colours) changed: lay out again from these rows."""
        self._request.rows = list(rows)
        self._request.names = names
        self._request.sending = frozenset(sending)
        self._request.calven_names = dict(calven_names) if calven_names else None
        self._lay_out()

    def show_removed(self, removed: Sequence[LeftBehind]) -> None:
        """Draw these events, sent earlier and no longer in the roster, as ghosts (issue 11)."""
        if tuple(removed) == self._request.removed:
            return
        self._request.removed = tuple(removed)
        self._lay_out()

    def set_visible_rows(self, rows: Collection[int] | None) -> None:
        """Only these row numbers are shown (the filter buttons and Search); None shows every row."""
        visible = None if rows is None else frozenset(rows)
        if visible == self._request.visible:
            return  # sorting the table, say, shows the same rows: nothing to lay out
        self._request.visible = visible
        self._lay_out()

    def busy(self) -> bool:
        return self._thread is not None

    def go_to_today(self) -> None:
        """Today, or the roster's nearest end with a sentence saying today is outside it (said
        to a screen reader too: Today seemed to do nothing)."""
        note = self.view.go_to_today()
        self.status.setText(f"{self._counted} {note}".strip())
        if note:
            event = QAccessibleAnnouncementEvent(self.status, note)
            QAccessible.updateAccessibility(event)

    @Slot(int)
    def _zoomed(self, step: int) -> None:
        """The list shows the zoom, however it was reached (+ and -, Ctrl+wheel, the list)."""
        if self.zoom.currentIndex() != step:
            self.zoom.blockSignals(True)
            self.zoom.setCurrentIndex(step)
            self.zoom.blockSignals(False)

    # --- the worker -----------------------------------------------------------------------------

    def _lay_out(self) -> None:
        if self._thread is not None:
            self._waiting = True
            return
        request = _Request(
            self._request.rows,
            self._request.names,
            self._request.sending,
            self._request.visible,
            self._request.removed,
            self._request.calven_names,
        )
        self._request.rows = None  # converted once; later runs reuse the converted rows
        converted = self._converted
        self.status.setText("Laying out the Timeline…")
        self._worker = Worker(lambda _w: make_layout(request, converted), (ValueError,))
        self._worker.done.connect(self._done)
        self._worker.failed.connect(self._failed)
        # The thread belongs to the application, not to this page: a page closed while its layout
        # is being made (or in the moment between the result and the thread's end) would destroy
        # a running QThread, which aborts the process. The application waits for it at quitting.
        app = QCoreApplication.instance()
        assert app is not None
        self._thread = thread_for(self._worker, app)
        self._thread.finished.connect(self._finished)  # before it starts: it ends by itself
        _running.add(self._thread)
        self._thread.finished.connect(partial(_running.discard, self._thread))
        self._thread.start()

    @Slot(object)
    def _done(self, result: tuple[tuple[list[TimelineRow], int], TimelineLayout]) -> None:
        self._converted, layout = result
        self.view.set_layout(layout)
        words = f"{_count(len(layout.lanes), 'person', 'people')}, {_count(len(layout.by_row), 'row')} shown."
        if layout.undated:
            words += (
                f" Not drawn: {_count(layout.undated, 'row')} without a readable start and end date"
                " (fix them in the table)."
            )
        backwards = sum(1 for bar in layout.by_row.values() if bar.source.reversed)
        if backwards:
            words += (
                f" {_count(backwards, 'row')} {'ends' if backwards == 1 else 'end'} before "
                f"{'it starts' if backwards == 1 else 'they start'}: drawn as one marked day "
                "(fix the dates in the table)."
            )
        self._counted = words
        self.status.setText(words)
        if not self._waiting:  # else a newer request is on its way; this one is already old
            self.laid_out.emit()

    @Slot()
    def _wait_for_worker(self) -> None:
        """At quitting: a layout being made is let finish (a second or two at most)."""
        if self._thread is not None:
            self._thread.wait(10_000)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.status.setText(f"The Timeline could not be laid out: {message}")

    @Slot()
    def _finished(self) -> None:
        self._thread = None
        self._worker = None
        if self._waiting:
            self._waiting = False
            self._lay_out()


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number:,} {one if number == 1 else many or one + 's'}"
