"""The `calven-desk` command: thin sub-commands over roster, calven and store.

It is a package rather than one module because each sub-command has its own options and wording;
each module holds one command and registers it here. `calven-desk` with no sub-command (or with an
existing file's name) opens the window; any other first word is refused in one sentence, exit 2.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import NoReturn

from calven_desk import __version__

#: Sub-command modules; each exposes `register(subparsers)` which sets `func` on its parser.
COMMANDS = (
    "validate",
    "template",
    "submit",
    "diff",
    "profile",
    "history",
    "memory",
    "sandbox",
    "directory",
    "timeline",
)

Handler = Callable[[argparse.Namespace], int]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every sub-command, or of `only` that one: a scheduled `validate` then loads
    none of the other commands' modules (30 ms of its start-up)."""
    parser = argparse.ArgumentParser(
        prog="calven-desk",
        description="Check an HR leave roster and send it to Calven. "
        "Run without a sub-command to open the window.",
    )
    parser.add_argument("--version", action="version", version=f"calven-desk {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if only is None else (only,):
        import_module(f"calven_desk.cli.{name}_cmd").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = args_list[0] if args_list else None
    if first is None or first == "--self-test" or opens_in_window(first):
        from calven_desk.gui.app import main as gui_main

        status: int = gui_main(args_list)
        return status
    if first not in COMMANDS and not first.startswith("-"):
        # Never fall through to the window: in a scheduled job with no screen it would wait forever.
        print(not_a_command(first), file=sys.stderr)
        return 2
    parser = build_parser(first if first in COMMANDS else None)
    args = parser.parse_args(args_list)
    # A command run as its own process (not a test calling main) may end it when done: `end_process`.
    args.whole_process = argv is None
    handler: Handler = args.func
    from calven_desk.store.paths import secure_folders

    secure_folders()  # the app's folders owner-only, also those made earlier with looser rights
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`calven-desk validate x.csv | head`); that is not an error of ours.
        _discard_output()
        return 0
    except OSError as exc:
        # What the commands do not turn into their own sentence: mostly output that cannot be
        # written (a full disk, a pipe closed on Windows). One sentence, not a traceback.
        _discard_output()
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            f"Calven Desk stopped: {exc.strerror or exc}{where}. Check where its output goes "
            "(disk space, the file or program receiving it) and run it again.",
            file=sys.stderr,
        )
        return 2


def _discard_output() -> None:
    """Point stdout at nothing, so Python's last flush of what is still buffered, at exit,
    does not fail a second time with a message of its own."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def end_process(status: int) -> NoReturn:
    """End the process with `status` at once, its output flushed, without freeing what it holds.

    For a command whose report is its last act: left to the interpreter, a 50,000-row roster is
    freed object by object and the modules torn down (45 ms, a twentieth of `validate`'s time)
    only for the process to end. Only for a command that holds nothing else needing closing (no
    journal, no connection, no temporary file) once its report is written.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # None in a program started without a console
            stream.flush()
    os._exit(status)


def opens_in_window(word: str) -> bool:
    """`calven-desk FILE` opens FILE in the window; a word that names a command never does."""
    return word not in COMMANDS and not word.startswith("-") and os.path.isfile(word)


def not_a_command(word: str) -> str:
    """The one sentence for a first word that is neither a command nor an existing file.

    A word that looks like a path (a suffix such as .xlsx, or a folder separator) was meant as a
    file, so the sentence names the file; any other word was meant as a command, so it lists the
    commands (from COMMANDS, so new ones appear by themselves) and suggests the closest.
    """
    path = Path(word)
    if path.is_dir():
        return f"{word} is a folder, not a roster file; give the file's name, e.g. {path / 'roster.xlsx'}."
    separators = {os.sep, "/"} | ({os.altsep} if os.altsep else set())
    if path.suffix or any(separator in word for separator in separators):
        where = "" if path.is_absolute() else f" (looked for {Path.cwd() / path})"
        return f"There is no file {word}{where}; check its name and folder."
    listed = ", ".join(COMMANDS[:-1]) + f" and {COMMANDS[-1]}"
    close = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"'{word}' is not a Calven Desk command or a file; the commands are {listed}{hint}."
