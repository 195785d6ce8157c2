"""Column widths from a sample of rows, and the selection's row count, without asking every row.

`QTableView.resizeColumnsToContents` asks up to 1,000 rows per column for their size hint through
Python's `data()` (1.6 s at 5,000 rows, issue 10). A sample of the first and evenly spread rows,
measured with the font's metrics, fits the columns as well for a roster whose rows look alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

#: Rows measured per column: the first half from the top, the rest spread over the roster.
SAMPLE_ROWS = 120
#: No column grows wider than this from its contents (long messages wrap in their tooltip).
WIDEST = 420


def sample_rows(count: int, size: int = SAMPLE_ROWS) -> list[int]:
    """Row numbers to measure: the top rows a person sees first, then an even spread."""
    if count <= size:
        return list(range(count))
    top = size // 2
    step = (count - top) / (size - top)
    return list(range(top)) + sorted({top + int(i * step) for i in range(size - top)})


def fit_columns(
    table: QTableView,
    rows: int = SAMPLE_ROWS,
    columns: Iterable[int] | None = None,
    grow_only: bool = False,
    widest: int = WIDEST,
) -> None:
    """Size each column (or these `columns`) to its title and the widest text among the sampled
    rows; every row the same height, so Qt never asks the rows how tall they want to be.
    `grow_only`: widen a column whose texts grew (the status words once Calven's answers or the
    comparison with what it holds arrive), never narrow one a person may have widened. `widest`:
    no column grows wider than this from its contents."""
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    model: QAbstractItemModel = table.model()
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    style = table.style()
    padding = 2 * style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 12
    icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, table) + 4
    sample = sample_rows(model.rowCount(), rows)
    title_metrics = header.fontMetrics()
    for column in range(model.columnCount()) if columns is None else columns:
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        longest = title_metrics.horizontalAdvance(title) + 24  # room for the sort arrow
        texts = {str(model.index(row, column).data() or "") for row in sample}
        longest = max([longest, *(metrics.horizontalAdvance(t) + padding for t in texts)])
        first = model.index(0, column)
        has_icon = first.isValid() and first.data(Qt.ItemDataRole.DecorationRole) is not None
        wanted = min(widest, longest + (icon if has_icon else 0))
        if not grow_only or wanted > header.sectionSize(column):
            header.resizeSection(column, wanted)


def selected_row_count(table: QTableView) -> int:
    """How many rows have a selected cell, from the selection's ranges (Ctrl+A on 50,000 rows is
    one range; listing its 750,000 cells took seconds)."""
    model = table.selectionModel()
    if model is None:
        return 0
    selection = model.selection()
    spans = sorted((r.top(), r.bottom()) for r in map(selection.at, range(selection.count())))
    count, reached = 0, -1
    for top, bottom in spans:
        if bottom > reached:
            count += bottom - max(top, reached + 1) + 1
            reached = bottom
    return count
