"""Reads the running window through AT-SPI, as a Linux screen reader does, and prints what it found.

Run by tests/gui/test_atspi.py with Debian's own Python 3 (/usr/bin/python3), which has pyatspi
(python3-pyatspi); it imports nothing of the project. It waits for the application named on the
command line, opens the sandbox through the Help menu, reads the table, the Submit actions and the
status bar by name, sends every ready row through the toolbar's "Submit all ready" and the question
that follows, listens to what the status bar announces, and reads the table's column titles. The
report is one JSON object on stdout.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time

import pyatspi
from gi.repository import GLib

#: How long to wait for each thing to appear (the app's start, the roster, the run's end).
PATIENCE_S = 90.0


def walk(node, depth=0):
    """Every accessible object under `node`, depth first (unreadable ones are skipped)."""
    yield node
    if depth > 40:
        return
    try:
        count = node.childCount
    except Exception:
        return
    for number in range(count):
        try:
            child = node.getChildAtIndex(number)
        except Exception:
            continue
        if child is not None:
            yield from walk(child, depth + 1)


def find(root, role, name=None, where=None):
    """The first object of this role (or one of these roles) and name under `root`."""
    roles = (role,) if isinstance(role, str) else role
    for node in walk(root):
        try:
            if node.getRoleName() not in roles or (name is not None and node.name != name):
                continue
            if where is not None and not where(node):
                continue
        except Exception:
            continue
        return node
    return None


def pump(seconds):
    """Let GLib deliver the events listened to, for a while."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.iteration(False):
            pass
        time.sleep(0.05)


def wait_for(what, seconds=PATIENCE_S):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = what()
        if found:
            return found
        pump(0.3)
    return None


def press(node):
    """The node's first action. A press that opens a modal dialog is answered only when the
    dialog closes: that reply is not waited for (AT-SPI's timeout is short, see main)."""
    with contextlib.suppress(Exception):
        node.queryAction().doAction(0)


def the_app(name):
    desktop = pyatspi.Registry.getDesktop(0)
    for number in range(desktop.childCount):
        app = desktop.getChildAtIndex(number)
        if app is not None and app.name == name:
            return app
    return None


def cells(table):
    """(name, description) of each of the table's cells."""
    found = []
    for node in walk(table):
        try:
            if node.getRoleName() == "table cell":
                found.append((node.name, node.description))
        except Exception:
            continue
    return found


def columns(table):
    """The table's column titles in the order AT-SPI numbers them (a screen reader's order)."""
    with contextlib.suppress(Exception):
        shape = table.queryTable()
        return [shape.getColumnDescription(number) for number in range(shape.nColumns)]
    return []


def main():
    name = sys.argv[1]
    pyatspi.setTimeout(2000, 15000)
    heard = []

    def listen(event):
        heard.append({"type": event.type, "text": str(event.any_data), "from": event.source.name})

    pyatspi.Registry.registerEventListener(listen, "object:announcement")
    report = {"app": None}
    app = wait_for(lambda: the_app(name))
    if app is None:
        print(json.dumps(report))
        return
    report["app"] = app.name
    sandbox = wait_for(lambda: find(app, "menu item", "Try it with the sandbox"))
    report["sandbox item"] = sandbox is not None
    if sandbox is not None:
        press(sandbox)
    table = wait_for(
        lambda: find(
            app, "table", "Roster", lambda t: any(n == "ana.lima@example.com" for n, _ in cells(t))
        )
    )
    report["table"] = table.name if table is not None else None
    report["cells"] = cells(table) if table is not None else []
    report["buttons"] = sorted(
        {n.name for n in walk(app) if _role(n) == "push button" and n.name.startswith("Submit")}
    )
    report["menu items"] = sorted(
        {n.name for n in walk(app) if _role(n) == "menu item" and n.name.startswith("Submit")}
    )
    status = find(app, "status bar")
    report["status bar"] = status.name if status is not None else None
    report["counts"] = [n.name for n in walk(app) if _role(n) == "label" and n.name == "Row counts"]
    submit = find(app, "push button", "Submit all ready")
    if submit is not None:
        pump(2)  # the comparison with what Calven holds, and the user list, settle first
        press(submit)
        # A question box is an "alert" to AT-SPI (Qt's QMessageBox); a dialog may be either.
        question = wait_for(lambda: find(app, ("alert", "dialog"), "Send to Calven?"), 30)
        report["question"] = question.name if question is not None else None
        yes = find(question, "push button", "Yes") if question is not None else None
        if yes is not None:
            press(yes)
        wait_for(lambda: any(h["text"].startswith("Sending finished") for h in heard))
    report["heard"] = heard
    report["columns"] = columns(table) if table is not None else []
    if status is not None:
        report["status description"] = status.description
    print(json.dumps(report))


def _role(node):
    try:
        return node.getRoleName()
    except Exception:
        return ""


if __name__ == "__main__":
    main()
