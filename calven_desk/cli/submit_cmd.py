"""`calven-desk submit`: send a roster's rows to Calven, journalled, with a result for every row."""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calven_desk.cli.connection import add_connection_options
from calven_desk.cli.directory_options import add_directory_flag, check_directory
from calven_desk.cli.options import UsageProblem, add_roster_options, load_from_args, parse_rows

if TYPE_CHECKING:
    import threading
    from types import FrameType

    from calven_desk.calven.outcomes import Progress
    from calven_desk.calven.run import RunPlan, RunReport
    from calven_desk.roster import RosterCheck

# The run's modules (httpx, keyring, SQLite, threads) are imported by the functions that use them,
# so building the parser for another command (such as validate) does not load them.

EXIT_OK, EXIT_SOME_FAILED, EXIT_COULD_NOT_RUN, EXIT_STOPPED = 0, 1, 2, 130


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "submit",
        help="send a roster's valid rows to Calven",
        description="Send the roster's rows to Calven in batches; invalid rows are never sent, nor "
        "rows that are not for Calven (pending, refused, shorter than half a day). Exit status: "
        "0 when every selected row was accepted (or not for Calven), 1 when some were rejected, not "
        "sent or skipped as invalid, 2 when the run could not happen (sign-in, unreadable file, "
        "network down), 130 when stopped with Ctrl-C.",
    )
    add_roster_options(parser)
    add_connection_options(parser)
    parser.add_argument("--rows", metavar="4-20,31", help="send only these sheet rows")
    parser.add_argument(
        "--only-valid", action="store_true", help="skip rows that have warnings too"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the exact requests; send nothing"
    )
    parser.add_argument(
        "--results", metavar="OUT.xlsx|OUT.csv", help="write the roster back with results"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the outcome of every row as JSON"
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="finish this file's interrupted run: send only unanswered rows",
    )
    parser.add_argument(
        "--resend-all",
        action="store_true",
        help="send rows Calven already holds unchanged too",
    )
    parser.add_argument(
        "--cancel-removed",
        action="store_true",
        help="also cancel events sent earlier that this roster no longer has ('diff' lists them)",
    )
    add_directory_flag(parser)
    parser.set_defaults(func=run)


class _Progress:
    """Prints progress to stderr at most once a second, and only to a terminal."""

    def __init__(self) -> None:
        self.last = 0.0
        self.enabled = sys.stderr.isatty()

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if self.enabled and (now - self.last >= 1.0 or progress.done == progress.total):
            self.last = now
            print(
                f"\r{progress.done}/{progress.total} rows  {progress.state[:60]:<60}",
                end="",
                file=sys.stderr,
            )


def _stop_on_ctrl_c(cancel: threading.Event) -> None:
    """First Ctrl-C: send nothing new and let batches in flight get their answers. Second: quit."""
    import signal
    import threading

    def handler(signum: int, frame: FrameType | None) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print(
            "\nStopping: nothing new is sent; waiting for the answers already on their way "
            "(Ctrl-C again quits at once; --resume finishes the run later).",
            file=sys.stderr,
        )

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, handler)


def exit_status(report: RunReport, cancel: threading.Event) -> int:
    from calven_desk.calven.outcomes import CancellationOutcome, Outcome, RowOutcome

    if cancel.is_set():
        return EXIT_STOPPED
    everything: list[RowOutcome | CancellationOutcome] = [
        *report.outcomes,
        *report.cancellations,
    ]
    reached = any(
        o.outcome in (Outcome.ACCEPTED, Outcome.REJECTED, Outcome.UNCONFIRMED) for o in everything
    )
    never_sent = (Outcome.SKIPPED, Outcome.UNCHANGED, Outcome.NOT_FOR_CALVEN)
    sent = [o for o in everything if o.outcome not in never_sent]
    if report.fatal or (sent and not reached):
        return EXIT_COULD_NOT_RUN
    return EXIT_OK if report.all_accepted() else EXIT_SOME_FAILED


def print_report(report: RunReport, as_json: bool, directory: dict[str, Any] | None = None) -> None:
    from calven_desk.calven.outcomes import Outcome

    summary = report.summary()
    if as_json:
        body: dict[str, Any] = {
            "run": report.run_id,
            "rows": [
                {
                    "row": o.row,
                    "eventId": o.event_id,
                    "outcome": o.outcome.value,
                    "resultCode": o.result_code,
                    "message": o.message,
                }
                for o in report.outcomes
            ],
            "cancellations": [c.as_json() for c in report.cancellations],
            "summary": summary,
        }
        if directory is not None:
            body["directory"] = directory
        sys.stdout.write(json.dumps(body, ensure_ascii=False) + "\n")
        return
    for o in report.outcomes:
        if o.outcome is not Outcome.ACCEPTED:
            code = f" (code {o.result_code})" if o.result_code is not None else ""
            word = "not for Calven" if o.outcome is Outcome.NOT_FOR_CALVEN else o.outcome.value
            print(f"Row {o.row}: {word.replace('_', ' ')}{code}: {o.message}")
    for c in report.cancellations:
        if c.outcome is not Outcome.ACCEPTED:
            code = f" (code {c.result_code})" if c.result_code is not None else ""
            print(
                f"Cancelling {c.event.get('startDate')} to {c.event.get('endDate')} of event "
                f"{c.retracts}: {c.outcome.value.replace('_', ' ')}{code}: {c.message}"
            )
    if report.fatal:
        print(f"The run stopped: {report.fatal}")
    unconfirmed = (
        f"{summary['unconfirmed']} sent but not confirmed (sent again by the next submit), "
        if summary["unconfirmed"]
        else ""
    )
    print(
        f"Run {report.run_id}: {summary['accepted']} accepted, {summary['rejected']} rejected, "
        f"{summary['not_sent']} not sent, {unconfirmed}{summary['skipped']} skipped (invalid), "
        f"{summary['unchanged']} already in Calven, {summary['cancelled']} cancellations accepted, "
        f"{summary['not_for_calven']} not for Calven (pending, refused or shorter than half a day)."
    )


def _dry_run(plan: RunPlan, batch_size: int) -> int:
    from calven_desk.calven.run import request_bodies

    for body in request_bodies(plan.events, batch_size):
        print("POST /v1/timeoff")
        print(json.dumps(body, ensure_ascii=False, indent=2))
    cancellations = len(plan.cancellations)
    print(
        f"Dry run: {len(plan.events) - cancellations} rows and {cancellations} cancellations "
        f"would be sent, {len(plan.unchanged)} rows are already in Calven, "
        f"{len(plan.skipped)} skipped as invalid, {len(plan.left_out)} not for Calven (pending, "
        "refused or shorter than half a day); nothing was sent.",
        file=sys.stderr,
    )
    return EXIT_OK if not plan.skipped else EXIT_SOME_FAILED


def run(args: argparse.Namespace) -> int:
    from calven_desk.calven.run import ResumeRefused
    from calven_desk.calven.sender_claim import SenderBusy
    from calven_desk.cli import end_process
    from calven_desk.store.journal import JournalError

    try:
        status = _run(args)
    except (UsageProblem, JournalError, SenderBusy, ResumeRefused) as exc:
        print(exc, file=sys.stderr)
        status = EXIT_COULD_NOT_RUN
    if args.whole_process:
        # The journal, the team memory's session, the client and the results file are closed by
        # now: what is left is only freed (a team memory's driver torn down took 40 ms of it).
        end_process(status)
    return status


def _run(args: argparse.Namespace) -> int:
    import threading

    from calven_desk.calven.run import open_journal, resume_run
    from calven_desk.calven.sync import held_for
    from calven_desk.calven.sync_run import plan_sync, send_roster
    from calven_desk.cli.connection import connection_from_args, connection_identity, run_settings
    from calven_desk.store.journal import Journal

    settings = run_settings()
    source = str(Path(args.file).resolve())
    what = f"calven-desk submit {Path(args.file).name}"
    cancel = threading.Event()
    if args.resume:
        connection = connection_from_args(args)
        with open_journal(connection) as journal:
            info = journal.latest_resumable(source)
            if info is None:
                print(
                    f"Nothing to resume for {Path(args.file).name}: its runs all finished.",
                    file=sys.stderr,
                )
                return EXIT_OK
            print(
                f"Resuming run {info.id}: {info.unanswered} rows without an answer.",
                file=sys.stderr,
            )
            _stop_on_ctrl_c(cancel)
            report = resume_run(
                info.id,
                connection,
                settings=settings,
                journal=journal,
                progress=_Progress(),
                cancel=cancel,
                what=f"calven-desk submit --resume {Path(args.file).name}",
            )
        return _finish(args, report, cancel, None)
    check = load_from_args(args)
    if args.whole_process:
        # The roster lives until the process ends (end_process): out of the collector's way, so
        # the collections that planning and sending set off do not go over it again each time.
        gc.freeze()
    directory = check_directory(args, check)
    args.directory_json = directory.as_json() if directory is not None else None
    rows = parse_rows(args.rows) if args.rows else None
    chosen = {
        "only_valid": args.only_valid,
        "resend_all": args.resend_all,
        "cancel_removed": args.cancel_removed,
    }
    if args.dry_run:
        identity = connection_identity(args)
        with Journal(memory=identity.memory if identity else None) as journal:
            held = (
                held_for(journal, identity.base_url, identity.key_id, check)
                if identity is not None
                else []
            )
        plan, _ = plan_sync(check, held, rows, **chosen)
        _say_missing(plan.missing)
        return _dry_run(plan, settings.batch_size)
    if not check.rows:
        # A month with no leave, or an export that came out empty: either way nothing to send,
        # and nothing left behind to cancel (an empty roster covers no dates). Not a failure of
        # the job, and no run in the history.
        print(
            f"{Path(args.file).name} has no rows under its header (row {check.table.header_row}): "
            "nothing was sent or cancelled.",
            file=sys.stderr,
        )
        return EXIT_OK
    sending = connection_from_args(args)
    _stop_on_ctrl_c(cancel)
    with open_journal(sending) as journal:
        plan, report = send_roster(
            check,
            sending,
            settings=settings,
            journal=journal,
            source=source,
            sheet=check.table.sheet,
            what=what,
            rows=rows,
            progress=_Progress(),
            cancel=cancel,
            **chosen,
        )
    _say_missing(plan.missing)
    return _finish(args, report, cancel, check)


def _say_missing(missing: list[int]) -> None:
    for row in missing:
        print(
            f"Row {row} is not in the roster (blank, the header, or past its end); ignored.",
            file=sys.stderr,
        )


def _finish(
    args: argparse.Namespace, report: RunReport, cancel: threading.Event, check: RosterCheck | None
) -> int:
    from calven_desk.calven.results_file import write_results

    if sys.stderr.isatty():
        print(file=sys.stderr)
    print_report(report, args.json, getattr(args, "directory_json", None))
    if args.results:
        table = check.table if check is not None else load_from_args(args).table
        try:
            write_results(args.results, table, report.outcomes)
        except (ValueError, OSError) as exc:
            print(f"The results file could not be written: {exc}", file=sys.stderr)
            return EXIT_COULD_NOT_RUN
        print(f"Results written to {args.results}.", file=sys.stderr)
    return exit_status(report, cancel)
