"""`calven-desk --self-test`: the bundle proves itself, offscreen, through the real window code path.

It loads the bundled sample roster, starts the bundled sandbox on 127.0.0.1, submits through the
main window exactly as a person would, and checks every row's outcome, word and colour. One line per
check; exit status 0 only if every check passed. It uses a temporary profile folder, so it never
touches the person's settings, keyring or journal.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence

#: The sample roster's rows (resources/make_sample_roster.py) and what must become of each.
EXPECTED = {
    4: ("accepted", "Accepted"),
    5: ("accepted", "Accepted"),
    6: ("accepted", "Accepted"),
    7: ("invalid", "Needs fixing"),
    8: ("invalid", "Needs fixing"),
    9: ("accepted", "Accepted"),
    10: ("code2", "Rejected (code 2)"),
    11: ("accepted", "Accepted"),
    12: ("accepted", "Accepted"),
    13: ("code2", "Rejected (code 2)"),
}


def run_self_test(argv: Sequence[str] = ()) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["CALVEN_DESK_HOME"] = tempfile.mkdtemp(prefix="calven-self-test-")
    from PySide6.QtCore import QEventLoop, QLocale, QTimer
    from PySide6.QtWidgets import QApplication

    from calven_desk import __version__
    from calven_desk.gui.main_window import MainWindow
    from calven_desk.gui.table.colours import row_colour
    from calven_desk.gui.table.model import Role
    from calven_desk.gui.table.proxy import name_collator
    from calven_desk.store.settings import Settings

    results: list[bool] = []

    def check(name: str, ok: bool, detail: str = "") -> None:
        results.append(ok)
        print(
            f"{'ok  ' if ok else 'FAIL'} {name}{f' ({detail})' if detail and not ok else ''}",
            flush=True,
        )

    def wait(signal: object, seconds: float) -> bool:
        loop = QEventLoop()
        fired: list[bool] = []

        def stop(*_: object) -> None:
            fired.append(True)
            loop.quit()

        signal.connect(stop)  # type: ignore[attr-defined]
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        return bool(fired)

    print(f"Calven Desk {__version__} self-test", flush=True)
    app = QApplication.instance() or QApplication(["calven-desk"])
    app.setApplicationName("Calven Desk")
    told: list[str] = []
    window = MainWindow(Settings())
    window.confirm = lambda title, text, details="": True
    window.inform = lambda title, text: told.append(f"{title}: {text}")
    window.ask_unsaved = lambda name: "discard"
    window.show()
    try:
        QTimer.singleShot(0, window.try_sandbox)
        loaded = wait(window.model_ready, 30)
        check(
            "sample roster opens in the window",
            loaded and window.model is not None,
            "; ".join(told),
        )
        check(
            "built-in sandbox runs on 127.0.0.1",
            window.sandbox is not None and "127.0.0.1" in window.sandbox.url,
        )
        if window.model is None or window.document is None:
            return _finish(results)
        check(
            "sample roster has 10 rows", window.model.rowCount() == 10, str(window.model.rowCount())
        )
        # The Linux bundle carries a trimmed ICU (packaging/slim_icu.py): its collation must remain,
        # both the shared rules (Å among the A's) and each language's own (Å, or Aa, after Z).
        english, swedish, danish = (
            name_collator(QLocale(name)) for name in ("en_GB", "sv_SE", "da_DK")
        )
        check(
            "names sort by language (English: Å before B; Swedish: Å after Z; Danish: Aa after Z)",
            english.compare("Åsa", "Bob") < 0
            and swedish.compare("Åsa", "Zoë") > 0
            and danish.compare("Aase", "Zoë") > 0,
        )
        window.submit_all_ready()
        finished = wait(window.run_finished, 60)
        check("submit through the window finishes", finished, "; ".join(told))
        palette = QApplication.palette()
        for index in range(window.model.rowCount()):
            number = window.document.rows[index].check.row
            colour, word = (
                window.model.index(index, 1).data(Role.COLOUR_KEY),
                window.model.index(index, 1).data(),
            )
            want_colour, want_word = EXPECTED.get(number, ("?", "?"))
            check(
                f"row {number}: {want_word}",
                (colour, word) == (want_colour, want_word),
                f"got {word}, {colour}",
            )
            if want_colour in ("accepted", "code2"):
                check(f"row {number}: coloured", row_colour(colour, palette) is not None)
        # Row 9 cancels row 4's booking with the same eventId: (id, type) is what must be unique.
        sent = (
            [(e["eventId"], e["eventType"]) for e in window.sandbox.accepted]
            if window.sandbox
            else []
        )
        check(
            "each accepted row reached the sandbox exactly once",
            len(sent) == len(set(sent)) == 6,
            str(sent),
        )
        check_team_memory_driver(check)
        from calven_desk.gui.timeline.selfcheck import check_timeline

        check_timeline(window, check, wait)
    finally:
        window.dirty = False
        window.close()
    return _finish(results)


def check_team_memory_driver(check: Callable[[str, bool, str], None]) -> None:
    """The team memory's driver is in the bundle with its own libpq (and its TLS libraries): the
    compiled part, not a fallback looking for a libpq the computer may not have."""
    try:
        import psycopg

        implementation, version = psycopg.pq.__impl__, psycopg.pq.version()
    except Exception as exc:  # any failure to load it is the finding
        check("team memory driver loads (psycopg, libpq)", False, f"{type(exc).__name__}: {exc}")
        return
    check(
        f"team memory driver loads (psycopg {psycopg.__version__}, {implementation}, libpq "
        f"{version // 10000}.{version % 100})",
        implementation == "binary" and version >= 120000,
        implementation,
    )


def _finish(results: list[bool]) -> int:
    failed = results.count(False)
    if failed:
        print(f"Self-test FAILED: {failed} of {len(results)} checks did not pass.", flush=True)
        return 1
    print(f"Self-test finished: all {len(results)} checks passed.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run_self_test(sys.argv[1:]))
