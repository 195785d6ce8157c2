"""Editing the roster in place: undo, redo, copy, paste, fill down, add and delete rows, and
matching the columns again (the Edit menu). Every change is one undo step on the model's stack."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMenuBar

from calven_desk.gui.table.model import InsertRow, RemoveRows
from calven_desk.gui.window.part import Window, WindowPart, fill


class EditingPart(WindowPart):
    """Edits made through the table's selection; the cells themselves edit through the delegate."""

    #: Columns matched again: (SourceTable, ColumnMap) to check anew.
    mapping_chosen = Signal(object, object)

    def __init__(self, window: Window, undo_group: QUndoGroup) -> None:
        super().__init__(window)
        standard = QKeySequence.StandardKey
        self.act_undo = undo_group.createUndoAction(self.qt, "&Undo")
        self.act_undo.setShortcut(QKeySequence(standard.Undo))
        self.act_redo = undo_group.createRedoAction(self.qt, "&Redo")
        self.act_redo.setShortcut(QKeySequence(standard.Redo))
        self.act_copy = self.action(
            "&Copy",
            self.copy_selection,
            standard.Copy,
            "Copy the selected cells, as Excel takes them",
        )
        self.act_paste = self.action(
            "&Paste", self.paste, standard.Paste, "Paste cells from Excel at the current cell"
        )
        self.act_fill = self.action(
            "&Fill down", self.fill_down, "Ctrl+D", "Copy the top selected value down"
        )
        self.act_add = self.action("&Add row", self.add_row, "Ctrl+Shift+=", "Add a blank row")
        self.act_delete = self.action(
            "&Delete rows", self.delete_rows, "Ctrl+-", "Delete the selected rows"
        )
        self.act_mapping = self.action(
            "&Match columns…", self.remap, "Ctrl+M", "Choose again which column is which"
        )
        self.act_search = self.action(
            "&Search rows", self.go_to_search, standard.Find, "Go to Search, above the table"
        )

    def add_menu(self, bar: QMenuBar) -> None:
        fill(
            bar.addMenu("&Edit"),
            [
                self.act_undo,
                self.act_redo,
                None,
                self.act_copy,
                self.act_paste,
                self.act_fill,
                None,
                self.act_add,
                self.act_delete,
                None,
                self.act_search,
                self.act_mapping,
            ],
        )

    def update_actions(self, loaded: bool, idle: bool) -> None:
        for action in (
            self.act_copy,
            self.act_paste,
            self.act_fill,
            self.act_add,
            self.act_delete,
            self.act_mapping,
        ):
            action.setEnabled(loaded and idle)

    def toolbar_actions(self) -> list[QAction | None]:
        return [self.act_undo, self.act_redo]

    def go_to_search(self) -> None:
        """Ctrl+F: the keyboard to Search, its text selected to type over."""
        search = self.window.search
        search.setFocus()
        search.selectAll()

    # --- the selection --------------------------------------------------------------------------

    def selected_source_indexes(self) -> list[QModelIndex]:
        proxy, table = self.window.proxy, self.window.table
        return [proxy.mapToSource(i) for i in table.selectionModel().selectedIndexes()]

    def selected_rows(self) -> list[int]:
        """Sheet row numbers of the selected rows."""
        document = self.window.document
        if document is None:
            return []
        rows = self.window.proxy.source_rows_in(self.window.table.selectionModel().selection())
        return [document.rows[r].check.row for r in rows]

    # --- edits ----------------------------------------------------------------------------------

    def copy_selection(self) -> None:
        indexes = sorted(
            self.window.table.selectionModel().selectedIndexes(),
            key=lambda i: (i.row(), i.column()),
        )
        if not indexes:
            return
        rows: dict[int, dict[int, str]] = {}
        for index in indexes:
            rows.setdefault(index.row(), {})[index.column()] = str(
                index.data(Qt.ItemDataRole.DisplayRole) or ""
            )
        # Left to right as the table shows them (its columns start in another order than the
        # file's, and a person may move them).
        header = self.window.table.horizontalHeader()
        columns = sorted({i.column() for i in indexes}, key=header.visualIndex)
        text = "\n".join(
            "\t".join(cells.get(c, "") for c in columns) for _, cells in sorted(rows.items())
        )
        QGuiApplication.clipboard().setText(text)

    def paste(self) -> None:
        """Tab-separated text from Excel, starting at the current cell; one undo step for all of it."""
        model, proxy = self.window.model, self.window.proxy
        if model is None:
            return
        text = QGuiApplication.clipboard().text()
        start_index = self.window.table.currentIndex()
        if not text or not start_index.isValid():
            return
        lines = text.rstrip("\r\n").replace("\r\n", "\n").split("\n")
        # Cells go into the columns as the table shows them, from the current one rightwards.
        header = self.window.table.horizontalHeader()
        left = header.visualIndex(start_index.column())
        changes = []
        for row, line in zip(
            proxy.source_rows_from(start_index.row(), len(lines)), lines, strict=False
        ):
            for dx, value in enumerate(line.split("\t")):
                name = model.column_field(header.logicalIndex(left + dx))
                if name is not None:
                    changes.append((row, name, value.strip()))
        model.edit_cells(changes, "Paste")

    def fill_down(self) -> None:
        model, proxy = self.window.model, self.window.proxy
        if model is None:
            return
        by_column: dict[int, list[QModelIndex]] = {}
        for index in self.window.table.selectionModel().selectedIndexes():
            by_column.setdefault(index.column(), []).append(index)
        changes = []
        for indexes in by_column.values():
            indexes.sort(key=lambda i: i.row())
            top = proxy.mapToSource(indexes[0])
            name = model.column_field(top.column())
            if name is None:
                continue
            value = str(top.data(Qt.ItemDataRole.EditRole) or "")
            changes += [(proxy.mapToSource(i).row(), name, value) for i in indexes[1:]]
        model.edit_cells(changes, "Fill down")

    def add_row(self) -> None:
        model = self.window.model
        if model is None:
            return
        position = len(model.document.rows)
        model.undo_stack.push(InsertRow(model, position))
        self.window.select_cell(model.document.rows[position].check.row, model.document.fields[0])

    def delete_rows(self) -> None:
        model = self.window.model
        if model is None:
            return
        rows = self.window.proxy.source_rows_in(self.window.table.selectionModel().selection())
        if rows and self.window.confirm(
            "Delete rows", f"Delete {len(rows)} row(s) from the roster? (Undo brings them back.)"
        ):
            model.undo_stack.push(RemoveRows(model, rows))

    def remap(self) -> None:
        """Ask for the columns again; the choice goes out as `mapping_chosen` to be checked anew."""
        document = self.window.document
        if document is None or self.window.jobs.busy():
            return
        table = document.table
        if self.window.dirty and not self.window.confirm(
            "Match columns again",
            "Matching the columns again re-reads the rows from the file; edits made here are lost. Go on?",
        ):
            return
        chosen = self.window.ask_mapping(table, document.mapping)
        if chosen is not None:
            self.mapping_chosen.emit(table, chosen)
