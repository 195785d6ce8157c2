"""What a row's status says (one word, an icon name and a colour key), the row counts and the filters.

Pure rules over a roster row and Calven's answer for it, shared by the window's table, its status bar,
its filter buttons, the Timeline and the self-test; the window only paints what these say.
"""

from __future__ import annotations

from dataclasses import dataclass

from calven_desk.calven.outcomes import Outcome, RowOutcome
from calven_desk.roster.directory_check import CASE, UID, UNKNOWN
from calven_desk.roster.document import DocumentRow
from calven_desk.roster.model import Problem, RowCheck, Status

#: Filter names in the order the filter bar shows them.
FILTERS = (
    "All",
    "Problems",
    "Ready",
    "Not sent",
    "Accepted",
    "Rejected",
    "New",
    "Changed since sent",
    "Already in Calven",
)
#: The filter of rows that are not for Calven (pending, refused, shorter than half a day).
SKIPPED = "Skipped"
#: The Calven filters, by the row's mark (`DocumentRow.calven_state`): what a send would do with it.
CALVEN_FILTERS = {
    "New": ("new",),
    "Changed since sent": ("changed", "old_days", "unconfirmed"),
    "Already in Calven": ("unchanged",),
}
#: How the Status column says a ready row's Calven state.
CALVEN_WORDS = {
    "new": "new",
    "changed": "changed since sent",
    "old_days": "old days still in Calven",
    "unconfirmed": "not confirmed by Calven",
}


@dataclass(frozen=True, slots=True)
class RowState:
    word: str
    #: Key into the colour table; also what the tests check as the row's "colour role".
    colour: str
    icon: str
    category: str


def row_state(row: DocumentRow, sending: bool = False) -> RowState:
    """The status a person reads; colour is never the only signal: word and icon always say it too."""
    if sending:
        return RowState("Sending…", "sending", "sending", "Ready")
    result = row.result
    if isinstance(result, RowOutcome) and not row.changed_since_sent:
        if result.outcome is Outcome.ACCEPTED:
            return RowState("Accepted", "accepted", "accepted", "Accepted")
        if result.outcome is Outcome.REJECTED:
            code = result.result_code
            if code in (1, 2, 3):
                return RowState(f"Rejected (code {code})", f"code{code}", "rejected", "Rejected")
            label = "no code" if code is None else f"code {code}"
            return RowState(f"Rejected ({label})", "unknown_code", "rejected", "Rejected")
        if result.outcome is Outcome.NOT_SENT:
            return RowState("Not sent", "not_sent", "not_sent", "Not sent")
        if result.outcome is Outcome.UNCONFIRMED:
            return RowState("Sent, not confirmed", "not_sent", "not_sent", "Not sent")
    status = row.check.status
    if status is Status.SKIPPED:
        return RowState(skipped_word(row.check), "skipped", "skipped", SKIPPED)
    changed = " (changed since sent)" if row.changed_since_sent else ""
    calven = row.calven_state()
    if status is not Status.INVALID and calven == "unchanged" and not row.changed_since_sent:
        since = f" since {row.calven_since}" if row.calven_since else ""
        return RowState(f"Already in Calven{since}", "accepted", "accepted", "Already in Calven")
    if calven in CALVEN_WORDS and not changed:
        changed = f" ({CALVEN_WORDS[calven]})"
    if status is Status.INVALID:
        return RowState("Needs fixing" + changed, "invalid", "invalid", "Problems")
    if status is Status.WARNING:
        return RowState("Ready, with a warning" + changed, "warning", "warning", "Problems")
    return RowState("Ready" + changed, "ready", "ready", "Ready")


def skipped_word(check: RowCheck) -> str:
    """`Skipped: waiting for approval (beantragt)`: the Status column says why, in a few words
    (the row's tooltip and the Skipped filter's rows say it whole: which hours, which day)."""
    if check.skip == "short":
        return "Skipped: less than half a day"
    reason = check.skip_reason
    return f"Skipped: {reason[:1].lower()}{reason[1:]}" if reason else "Skipped"


COUNTED = (
    "rows",
    "ready",
    "problems",
    "problem items",
    "Accepted",
    "Rejected",
    "Not sent",
    "skipped",
)


def count_rows(
    rows: list[DocumentRow],
    checks: list[RowCheck] | None = None,
    crosses: list[list[Problem]] | None = None,
) -> dict[str, int]:
    """The status bar's counts in one pass (the window keeps them and adjusts them during a run).
    `checks` and `crosses`: each row's check and cross-row problems, when a worker has made them
    and not yet put them in the rows."""
    counts = dict.fromkeys(COUNTED, 0)
    checks = checks if checks is not None else [r.check for r in rows]
    crosses = crosses if crosses is not None else [c.cross for c in checks]
    for row, check, cross in zip(rows, checks, crosses, strict=True):
        add_row(counts, row, 1, check, cross)
    return counts


def add_row(
    counts: dict[str, int],
    row: DocumentRow,
    sign: int,
    check: RowCheck | None = None,
    cross: list[Problem] | None = None,
) -> None:
    """Add (sign 1) or take away (sign -1) one row's part in the counts."""
    counts["rows"] += sign
    check = check or row.check
    if check.skip is not None:
        # Not for Calven: neither ready nor a problem to fix, and never sent.
        counts["skipped"] += sign
        return
    own, cross, directory = check.own, check.cross if cross is None else cross, check.directory
    if own or cross or directory:
        counts["problems"] += sign
        counts["problem items"] += sign * (len(own) + len(cross) + len(directory))
    if not any(p.severity == "error" for problems in (own, cross, directory) for p in problems):
        counts["ready"] += sign
    result = row.result
    if isinstance(result, RowOutcome) and not row.changed_since_sent:
        if result.outcome is Outcome.ACCEPTED:
            counts["Accepted"] += sign
        elif result.outcome is Outcome.REJECTED:
            counts["Rejected"] += sign
        elif result.outcome in (Outcome.NOT_SENT, Outcome.UNCONFIRMED):
            counts["Not sent"] += sign


#: The filter gui/window/directory.py adds: rows whose person Calven's user list does not have
#: as written (unknown, other capitals, unknown uid).
NOT_IN_CALVEN = "Not in Calven"
NOT_IN_CALVEN_KINDS = frozenset({UNKNOWN, CASE, UID})
#: Every filter, in the order the filter bar numbers them (Alt+1 to Alt+0, then Alt+Shift+1).
ALL_FILTERS = (*FILTERS, NOT_IN_CALVEN, SKIPPED)


def matches_filter(state: RowState, row: DocumentRow, name: str) -> bool:
    if name == "All":
        return True
    if name == NOT_IN_CALVEN:
        return any(p.kind in NOT_IN_CALVEN_KINDS for p in row.check.directory)
    if name == "Problems":
        return row.check.skip is None and bool(row.check.problems)
    if name == "Ready":
        return row.check.status not in UNSENDABLE and state.category not in (
            "Accepted",
            "Rejected",
            "Already in Calven",
        )
    if name in CALVEN_FILTERS:
        return (
            row.calven_state() in CALVEN_FILTERS[name]
            and row.check.status not in UNSENDABLE
            and state.category not in ("Accepted", "Rejected")
        )
    if name == SKIPPED:
        return row.check.skip is not None
    return state.category == name


#: Rows that are never sent: invalid ones, and those not for Calven.
UNSENDABLE = frozenset({Status.INVALID, Status.SKIPPED})
