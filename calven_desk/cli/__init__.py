"""The `calven-desk` command: thin sub-commands over roster, calven and store.

It is a package rather than one module because each sub-command has its own options and wording;
each module holds one command and registers it here. `calven-desk` with no sub-command (or with a
file name) opens the window.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module

from calven_desk import __version__

#: Sub-command modules; each exposes `register(subparsers)` which sets `func` on its parser.
COMMANDS = ("validate", "template", "submit", "profile", "history", "sandbox", "timeline")

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="calven-desk",
        description="Check an HR leave roster and send it to Calven. "
        "Run without a sub-command to open the window.",
    )
    parser.add_argument("--version", action="version", version=f"calven-desk {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"calven_desk.cli.{name}_cmd").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if (
        not args_list
        or (args_list[0] not in COMMANDS and not args_list[0].startswith("-"))
        or (args_list[0] == "--self-test")
    ):
        from calven_desk.gui.app import main as gui_main

        status: int = gui_main(args_list)
        return status
    parser = build_parser()
    args = parser.parse_args(args_list)
    handler: Handler = args.func
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`calven-desk validate x.csv | head`); that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
