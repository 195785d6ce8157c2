"""An open roster being edited: re-checks what changes and remembers each row's last result.

The window shows and edits this; it holds no Qt so every rule about editing (re-validation, the
cross-row pass, "changed since sent") is tested without a screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol, get_args

from calven_desk.roster.cells import cell_text
from calven_desk.roster.check import check_values, cross_check
from calven_desk.roster.model import (
    DATE_FIELDS,
    FIELDS,
    CellValue,
    ColumnMap,
    DateOrderDecision,
    Field,
    OrderSource,
    RosterCheck,
    RowCheck,
    SourceTable,
    Status,
)
from calven_desk.roster.saving import RowToSave

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class Answered(Protocol):
    """What the document needs of a row's result (calven's RowOutcome fits; roster cannot import it)."""

    @property
    def row(self) -> int: ...

    @property
    def outcome(self) -> object: ...


@dataclass(slots=True)
class DocumentRow:
    check: RowCheck
    #: The row's cells as read, for the columns that are shown but never sent.
    cells: tuple[CellValue, ...]
    #: The row's event no longer matches what was sent (an edit after, or during, its run).
    changed_since_sent: bool = False
    result: Answered | None = None
    #: The event as the last run that sent the row sent it: what "changed since sent" compares
    #: with, so an edit made while the row was on its way still counts, and undoing back to the
    #: sent values does not. None for a row no run has sent.
    sent_event: dict[str, str] | None = None
    #: What Calven holds of this row, from the last comparison: "new", "changed", "old_days",
    #: "unchanged" or "unconfirmed" (None until compared, or with no connection to compare with).
    calven: str | None = None
    #: When Calven accepted the version it holds (the person's local date), for "unchanged" rows.
    calven_since: str = ""
    #: The mapped fields as the file has them (the check's values when the row was read): a field
    #: whose value differs was edited, and only edited cells change when the roster is saved.
    #: None for a row added in the window.
    read: dict[Field, str] | None = None
    #: Who sent the version Calven holds ("anna on HR-PC-3"), when known.
    calven_by: str = ""
    #: The check the mark was worked out from: a row whose check changed since (an edit) has no
    #: mark until it is compared again.
    calven_check: RowCheck | None = None

    def calven_state(self) -> str | None:
        """The row's mark, if it still describes the row as it is now."""
        return self.calven if self.calven_check is self.check else None

    def compare_with_sent(self) -> None:
        """A row never sent has nothing to differ from: fixing a skipped row makes it "Ready"."""
        self.changed_since_sent = (
            self.sent_event is not None and self.check.event != self.sent_event
        )


@dataclass(slots=True)
class RemovedRows:
    """What `remove_rows` took out, so undo can put it back exactly where it was."""

    items: list[tuple[int, DocumentRow]] = field(default_factory=list)


#: What `RosterDocument.reread_dates` works out: each row, the check it had, its new check, and
#: the values the file's cells now read as (None for a row added in the window).
Reread = list[tuple["DocumentRow", RowCheck, RowCheck, dict[Field, str] | None]]


#: More rows than this changed at once (a paste, its undo) are checked with the deferred
#: cross-row pass when the caller defers it: a thousand checks held the window for 0.2 s.
RECHECK_LATER = 50


#: How many changed rows `RosterDocument.changed_since` can tell at least (a paste of thousands
#: is one change of as many rows).
CHANGE_LOG = 100_000


class RosterDocument:
    def __init__(self, check: RosterCheck, today: date | None = None) -> None:
        self.table: SourceTable = check.table
        self.mapping: ColumnMap = check.mapping
        self.date_order: DateOrderDecision = check.date_order
        #: Absences shorter than half a day are checked as whole days to send (a setting).
        self.short_as_whole = check.short_as_whole
        self.today = today or date.today()
        self.rows = [
            DocumentRow(r, s.cells, read=r.values)
            for r, s in zip(check.rows, check.table.rows, strict=True)
        ]
        #: Mapped fields in Calven's order: the editable columns of the table.
        self.fields: list[Field] = [f for f in FIELDS if f in self.mapping.columns]
        #: Source columns that map to nothing: shown dimmed, never sent.
        self.unmapped: list[int] = self.mapping.unmapped()
        #: Set by a caller that runs the cross-row pass itself, later (the window does, in a
        #: worker, on a large roster); `cross_pending` then says the pass is owed.
        self.defer_cross = False
        self.cross_pending = False
        #: Rows added or given a new check, oldest first (the last CHANGE_LOG of them): whoever
        #: keeps something per check (the user-list check) visits only these, not every row.
        self._changed: list[DocumentRow] = []
        self._dropped = 0  # entries trimmed off the front of `_changed`
        self._numbers: dict[int, tuple[int, DocumentRow]] | None = None
        #: Rows whose values changed and whose check waits for the deferred pass, by id.
        self.unchecked: dict[int, DocumentRow] = {}

    # --- reading --------------------------------------------------------------------------------

    def as_check(self) -> RosterCheck:
        """The document as a RosterCheck again, for planning a run from it."""
        rows = [r.check for r in self.rows]
        return RosterCheck(self.table, self.mapping, self.date_order, rows, self.short_as_whole)

    def by_number(self) -> dict[int, tuple[int, DocumentRow]]:
        """Each row with its position, by sheet row number, kept until rows are added or taken
        away (edits never change a row's number): a run's answers arrive in batches of a few
        hundred, and a run's planning worker makes it ahead (50,000 rows took the window's first
        batch of answers 0.1 s)."""
        if self._numbers is None or len(self._numbers) != len(self.rows):
            self._numbers = {r.check.row: (i, r) for i, r in enumerate(self.rows)}
        return self._numbers

    def index_of(self, row_number: int) -> int | None:
        found = self.by_number().get(row_number)
        return found[0] if found is not None else None

    def time_off_types(self) -> list[str]:
        found = {r.check.values.get("timeOffType", "") for r in self.rows}
        return sorted(t for t in found if t)

    def edited_fields(self, row: DocumentRow) -> list[Field]:
        """The row's fields whose value is not the file's (all of them for a row added here)."""
        read, values = row.read, row.check.values
        if read is None:
            return list(self.fields)
        if values is read:  # never edited: the check made when reading still holds
            return []
        return [f for f in self.fields if values.get(f, "") != read.get(f, "")]

    def has_edits(self) -> bool:
        """Whether the roster differs from its file: a cell edited, a row added or deleted.
        (A run's results do not count: the journal keeps them.)"""
        from_file = 0
        for row in self.rows:
            if row.read is None or self.edited_fields(row):
                return True
            from_file += 1
        return from_file != len(self.table.rows)

    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for row in self.rows:
            counts[row.check.status.value] += 1
        return {"rows": len(self.rows), **counts}

    # --- editing --------------------------------------------------------------------------------

    def _recheck(self, index: int, values: dict[Field, str]) -> None:
        row = self.rows[index]
        self._log(row)
        row.check = self.checked(row.check.row, values)
        if row.result is not None:
            row.compare_with_sent()

    def checked(self, row_number: int, values: dict[Field, str]) -> RowCheck:
        """A row's own check of these values (safe to call from another thread: reads no row)."""
        return check_values(
            row_number,
            values,
            order=self.date_order.order,
            today=self.today,
            mapped=set(self.fields),
            short_as_whole=self.short_as_whole,
        )

    def take_unchecked(self) -> list[tuple[DocumentRow, RowCheck]]:
        """The rows whose new values wait for their check (see `set_values`), each with the
        check it holds now; the caller checks them and puts the result back with `put_checked`."""
        waiting, self.unchecked = list(self.unchecked.values()), {}
        return [(row, row.check) for row in waiting]

    def put_checked(self, done: list[tuple[DocumentRow, RowCheck, RowCheck]]) -> None:
        """Checks made for `take_unchecked`; a row changed again since keeps its newer check."""
        for row, waited, fresh in done:
            if row.check is waited:
                row.check = fresh
                self._log(row)
                if row.result is not None:
                    row.compare_with_sent()

    def _cross(self) -> None:
        """The clashes between rows, after any change to the rows (or noted as owed)."""
        if self.defer_cross:
            self.cross_pending = True
        else:
            cross_check([r.check for r in self.rows])

    def set_value(self, index: int, name: Field, text: str) -> None:
        """Change one field of one row, then re-check the row and the clashes between rows."""
        values = dict(self.rows[index].check.values)
        values[name] = text
        self._recheck(index, values)
        self._cross()

    def set_values(self, changes: Iterable[tuple[int, Field, str]]) -> None:
        """Several cells at once (paste, fill-down): one cross-row pass at the end."""
        pending: dict[int, dict[Field, str]] = {}
        for index, name, text in changes:
            pending.setdefault(index, dict(self.rows[index].check.values))[name] = text
        if self.defer_cross and len(pending) > RECHECK_LATER:
            # The new text shows at once; the rows are checked with the owed cross-row pass.
            for index, values in pending.items():
                row = self.rows[index]
                row.check = replace(row.check, values=values)
                self._log(row)
                self.unchecked[id(row)] = row
        else:
            for index, values in pending.items():
                self._recheck(index, values)
        self._cross()

    def _log(self, row: DocumentRow) -> None:
        self._changed.append(row)
        if len(self._changed) > 2 * CHANGE_LOG:
            del self._changed[:CHANGE_LOG]
            self._dropped += CHANGE_LOG

    @property
    def changes(self) -> int:
        """A mark for `changed_since`: how many times rows were added or given a new check."""
        return self._dropped + len(self._changed)

    def changed_since(self, mark: int) -> list[DocumentRow] | None:
        """The rows added or given a new check since `changes` was `mark` (a row may appear more
        than once, and may have been removed since); None when that is too long ago to tell."""
        if mark < self._dropped:
            return None
        return self._changed[mark - self._dropped :]

    def next_row_number(self) -> int:
        return max((r.check.row for r in self.rows), default=self.table.header_row) + 1

    def insert_row(self, index: int, row_number: int | None = None) -> None:
        """A blank row (which starts invalid: it has no email or dates yet)."""
        self._numbers = None
        number = row_number if row_number is not None else self.next_row_number()
        blank: dict[Field, str] = dict.fromkeys(self.fields, "")
        check = self.checked(number, blank)
        self.rows.insert(index, DocumentRow(check, ("",) * len(self.table.headers)))
        self._log(self.rows[index])
        self._cross()

    # --- the day/month order -------------------------------------------------------------------

    def reread_dates(self, decision: DateOrderDecision) -> Reread:
        """Each row checked again with its dates read `decision`'s way, without changing the rows
        (a worker does this on a large roster): (row, check it had, new check, new read values).

        Cells the person edited keep what they were edited to (a date typed here was read when it
        was typed); every other cell is read again from the file's cell.
        """
        mapped, columns, order = set(self.fields), self.mapping.columns, decision.order
        short = self.short_as_whole
        done: Reread = []
        for row in list(self.rows):
            had = row.check
            edited = self.edited_fields(row)
            if row.read is None:
                fresh = check_values(
                    had.row,
                    had.values,
                    order=order,
                    today=self.today,
                    mapped=mapped,
                    short_as_whole=short,
                )
                read = None
            else:
                cells = row.cells
                raw: dict[Field, CellValue] = {
                    name: cells[column] if column < len(cells) else ""
                    for name, column in columns.items()
                }
                fresh = check_values(
                    had.row, raw, order=order, today=self.today, mapped=mapped, short_as_whole=short
                )
                read = fresh.values
                if edited:
                    raw.update({name: had.values.get(name, "") for name in edited})
                    fresh = check_values(
                        had.row,
                        raw,
                        order=order,
                        today=self.today,
                        mapped=mapped,
                        short_as_whole=short,
                    )
            # Calven's user list knows people, not dates: its findings stay as they were.
            fresh.directory = list(had.directory)
            done.append((row, had, fresh, read))
        return done

    def put_reread(self, decision: DateOrderDecision, done: Reread) -> None:
        """The checks `reread_dates` made go in; a row edited meanwhile keeps its newer check."""
        self.date_order = decision
        for row, had, fresh, read in done:
            if row.check is had:
                row.check = fresh
                row.read = read
                self._log(row)
                if row.result is not None:
                    row.compare_with_sent()
        self._cross()

    def remove_rows(self, indexes: Sequence[int]) -> RemovedRows:
        self._numbers = None
        removed = RemovedRows()
        for index in sorted(set(indexes), reverse=True):
            removed.items.append((index, self.rows.pop(index)))
        removed.items.reverse()
        self._cross()
        return removed

    def restore_rows(self, removed: RemovedRows) -> None:
        self._numbers = None
        for index, row in removed.items:
            self.rows.insert(index, row)
            self._log(row)
        self._cross()

    # --- results --------------------------------------------------------------------------------

    def record_results(
        self, results: Iterable[Answered], sent: Mapping[int, Mapping[str, str]] | None = None
    ) -> None:
        """Keep each row's answer. `sent` holds the events as the run sent them, by row number;
        a row the run skipped is not in it and keeps what an earlier run sent, which is what
        Calven still holds. Without `sent`, the rows are taken to be as they were sent."""
        by_row = {r.row: r for r in results}
        if len(by_row) * 8 < len(self.rows):  # a few answers (a batch of a run): look them up
            numbers = self.by_number()
            rows = [numbers[n][1] for n in by_row if n in numbers]
        else:
            rows = self.rows
        for row in rows:
            answer = by_row.get(row.check.row)
            if answer is None:
                continue
            row.result = answer
            if sent is None:
                row.sent_event = row.check.event
            elif (went := sent.get(row.check.row)) is not None:
                row.sent_event = dict(went)
            row.compare_with_sent()

    # --- saving ---------------------------------------------------------------------------------

    def rows_to_save(
        self, results: Callable[[DocumentRow], Sequence[CellValue]]
    ) -> list[RowToSave]:
        """Each row as Save as writes it: where it came from, its edited cells typed as the file
        would hold them, and `results(row)` for its result columns."""
        columns = self.mapping.columns
        saved: list[RowToSave] = []
        for row in self.rows:
            edits = {columns[name]: self._stored(row, name) for name in self.edited_fields(row)}
            saved.append(
                RowToSave(None if row.read is None else row.check.row, edits, results(row))
            )
        return saved

    def _stored(self, row: DocumentRow, name: Field) -> CellValue:
        """An edited value as the file should hold it: a date as a date, a number where the file
        had a number (an ID 1001 stays a number), anything else as the text typed."""
        text = row.check.values.get(name, "")
        if name in DATE_FIELDS and _ISO_DAY.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                return text
        column = self.mapping.columns[name]
        original = row.cells[column] if column < len(row.cells) else None
        if (
            isinstance(original, int | float)
            and not isinstance(original, bool)
            and _NUMBER.fullmatch(text)
        ):
            number = float(text)
            return int(number) if number.is_integer() and "." not in text else number
        return text

    def unmapped_text(self, index: int, column: int) -> str:
        cells = self.rows[index].cells
        return cell_text(cells[column]) if column < len(cells) else ""


# --- recovery snapshots ---------------------------------------------------------------------------


def snapshot(
    document: RosterDocument, rows: Sequence[DocumentRow] | None = None
) -> dict[str, object]:
    """Everything needed to rebuild the edited roster without its source file (plain JSON types).
    `rows`: the document's rows as copied earlier (a worker saves them while editing goes on)."""
    return {
        "version": 1,
        "file": str(document.table.file),
        "sheet": document.table.sheet,
        "header_row": document.table.header_row,
        "headers": document.table.headers,
        "columns": dict(document.mapping.columns),
        "date_order": document.date_order.order.value,
        "date_order_source": document.date_order.source,
        "date_order_evidence": document.date_order.evidence,
        "short_as_whole": document.short_as_whole,
        "rows": [
            {
                "row": r.check.row,
                "cells": [cell_text(c) for c in r.cells],
                "values": dict(r.check.values),
                "read": None if r.read is None else dict(r.read),
            }
            for r in (document.rows if rows is None else rows)
        ],
    }


def from_snapshot(data: dict[str, object], today: date | None = None) -> RosterDocument:
    """Rebuild a document from `snapshot`; raises ValueError when the data is not one."""
    from pathlib import Path

    from calven_desk.roster.model import DateOrder, SourceRow

    try:
        headers = [str(h) for h in data["headers"]]  # type: ignore[attr-defined]
        columns: dict[Field, int] = {k: int(v) for k, v in data["columns"].items()}  # type: ignore[attr-defined]
        order = DateOrder(str(data["date_order"]))
        source = str(data.get("date_order_source", "configured"))
        rows = list(data["rows"])  # type: ignore[call-overload]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError("The recovery data is not readable.") from exc
    table = SourceTable(
        Path(str(data.get("file", "recovered.xlsx"))),
        data.get("sheet") if isinstance(data.get("sheet"), str) else None,  # type: ignore[arg-type]
        int(data.get("header_row", 1)),  # type: ignore[call-overload]
        headers,
        [SourceRow(int(r["row"]), tuple(r["cells"])) for r in rows],
    )
    mapping = ColumnMap(headers, columns)
    day = today or date.today()
    short = data.get("short_as_whole") is True
    checks = [
        check_values(
            int(r["row"]),
            r["values"],
            order=order,
            today=day,
            mapped=set(columns),
            short_as_whole=short,
        )
        for r in rows
    ]
    cross_check(checks)
    why: OrderSource = next((s for s in get_args(OrderSource) if s == source), "configured")
    decision = DateOrderDecision(order, why, evidence=str(data.get("date_order_evidence", "")))
    document = RosterDocument(RosterCheck(table, mapping, decision, checks, short), today=day)
    for row, saved in zip(document.rows, rows, strict=True):
        # What the file had, to tell edited cells from the rest when saving; an older recovery
        # file does not say, so every cell of it counts as edited.
        read = saved.get("read", {})
        row.read = {k: str(v) for k, v in read.items()} if isinstance(read, dict) else None
    return document
