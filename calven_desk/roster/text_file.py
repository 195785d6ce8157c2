"""Delimited text (CSV, TSV, TXT) read a line at a time, so no line or cell can take all the memory.

The file is never held whole: its encoding is found by one pass over it in pieces, then records are
read line by line, and a line longer than `MAX_LINE_CHARS` stops the read with a sentence (a 300 MB
line used to be read, decoded and split in one piece, several times its size in memory).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, cast

from calven_desk.roster.cells import FORMULA_TRIGGERS
from calven_desk.roster.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    over_limit,
    too_far_down,
    too_far_right,
    too_long,
)
from calven_desk.roster.model import CellValue, RosterReadError, Rows

DELIMITERS = (",", ";", "\t", "|")
#: Rows read to guess the delimiter; enough to see past a title line or two.
SNIFF_RECORDS = 30
SNIFF_CHARS = 65_536
#: The longest line read: far more than any roster row (a cell holds at most MAX_CELL_CHARS).
MAX_LINE_CHARS = 1_048_576
_PIECE = 4 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Rows that hold something, as (index from 0, cells from column A).


def _fail(path: Path, reason: str) -> RosterReadError:
    return over_limit(path, reason)


def encoding_of(stream: BinaryIO) -> str:
    """The encoding a text file is read with: UTF-8 (with or without BOM), UTF-16 with BOM, else
    Windows-1252 as Excel saves it (Latin-1 when one of the five bytes Windows-1252 leaves
    unassigned is there). Found in pieces, so the file is never held whole."""
    start = stream.read(4)
    stream.seek(0)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while piece := stream.read(_PIECE):
                decoder.decode(piece)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
        return encoding
    return "latin-1"


def decode_text(data: bytes) -> str:
    """The whole text of a file held in memory, decoded as `encoding_of` decides."""
    return decode_with_encoding(data)[0]


def decode_with_encoding(data: bytes) -> tuple[str, str]:
    """The text, and the encoding it was in (a Python codec name): Save as writes it back in it."""
    encoding = encoding_of(io.BytesIO(data))
    return data.decode(encoding, errors="replace"), encoding


def unescape_formula_guard(cell: str) -> str:
    """A text cell that Calven Desk wrote as `'+44...` in a CSV, so that a spreadsheet would not run
    it as a formula, reads back as the person wrote it (`+44...`)."""
    if cell[:1] == "'" and cell[1:2] in FORMULA_TRIGGERS:
        return cell[1:]
    return cell


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most rows of one consistent width (>= 2)."""
    sample = text[:SNIFF_CHARS]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
            records = list(itertools.islice(reader, SNIFF_RECORDS))
        except csv.Error:
            continue
        widths = [len(r) for r in records if any(c.strip() for c in r)]
        widths = [w for w in widths if w >= 2]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _Lines:
    """The file's lines for the CSV reader, each at most MAX_LINE_CHARS, counting what it read."""

    def __init__(self, path: Path, text: io.TextIOBase) -> None:
        self.path = path
        self.text = text
        self.read = 0  # characters handed out so far
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        while line := self.text.readline(MAX_LINE_CHARS + 1):
            self.line += 1
            if len(line) > MAX_LINE_CHARS:
                raise _fail(
                    self.path,
                    f"line {self.line:,} is longer than {MAX_LINE_CHARS:,} characters, far more "
                    f"than a roster row (one cell holds at most {MAX_CELL_CHARS:,}); it may be "
                    "damaged: save it again from Excel",
                )
            if "\x00" in line:
                raise _fail(
                    self.path,
                    "it is not a text file (it holds binary data), so it cannot be a CSV roster",
                )
            self.read += len(line)
            yield line


def read_text_rows(path: Path, stream: BinaryIO) -> Rows:
    """The records that hold anything, with their index (Excel's row number - 1)."""
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(_OLE_MAGIC) or head.startswith(b"PK\x03\x04"):
        raise _fail(path, "it is an Excel workbook saved with a text-file name; rename it to .xlsx")
    encoding = encoding_of(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    sample = text.read(SNIFF_CHARS)
    if "\x00" in sample:
        raise _fail(
            path, "it is not a text file (it holds binary data), so it cannot be a CSV roster"
        )
    delimiter = sniff_delimiter(sample)
    text.seek(0)
    lines = _Lines(path, text)
    rows: Rows = []
    before = 0
    index = -1
    try:
        for index, record in enumerate(csv.reader(lines, delimiter=delimiter)):
            if index >= MAX_ROWS:
                raise too_far_down(path)
            if lines.read - before > MAX_CELL_CHARS:  # only then can one field be too long
                for column, cell in enumerate(record):
                    if len(cell) > MAX_CELL_CHARS:
                        raise too_long(
                            path, f"the cell in row {index + 1:,}, column {column + 1:,}"
                        )
            before = lines.read
            if len(record) > MAX_COLUMNS:
                beyond = [c for c, cell in enumerate(record) if c >= MAX_COLUMNS and cell.strip()]
                if beyond:
                    raise too_far_right(path, index, beyond[0])
                del record[MAX_COLUMNS:]
            if any(record):
                if any(cell[:1] == "'" for cell in record):
                    record = [unescape_formula_guard(cell) for cell in record]
                rows.append((index, cast(list[CellValue], record)))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise too_long(path, f"a cell in row {index + 2:,}") from None
        raise _fail(path, f"its text is not valid CSV ({exc})") from None
    finally:
        text.detach()
    return rows
