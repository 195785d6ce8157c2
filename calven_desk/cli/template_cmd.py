"""`calven-desk template`: a blank roster with Calven's column names, to start from."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from calven_desk.roster.vocabulary import LANGUAGES


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "template", help="write a blank roster with the right columns and one example row"
    )
    parser.add_argument(
        "out", metavar="OUT", help="where to write it: a name ending in .xlsx or .csv"
    )
    parser.add_argument(
        "--language",
        choices=list(LANGUAGES),
        help="write the headers, a status word and dates as HR writes them in this language: "
        + ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        + " (default: Calven's own column names)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here so that building the parser for another command does not load the writers.
    from calven_desk.roster.writing import write_template
    from calven_desk.store.atomic import replacing

    out = Path(args.out)
    if out.exists():
        print(
            f"{out.name} already exists; choose another name so nothing is overwritten.",
            file=sys.stderr,
        )
        return 2
    try:
        with replacing(out) as temporary:
            write_template(temporary, args.language)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"Cannot write {out.name}: {exc.strerror or 'the folder is not writable'}.",
            file=sys.stderr,
        )
        return 2
    print(f"Wrote {out}: fill one row per leave booking, then run 'calven-desk validate {out}'.")
    return 0
