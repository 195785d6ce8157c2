"""The column-matching dialog: the file's columns against Calven's fields, with a preview of the
first rows as they would be sent, for a roster whose columns could not all be matched by themselves."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from calven_desk.gui.look.access_keys import with_access_keys
from calven_desk.roster import (
    FIELDS,
    LABELS,
    PART_FIELDS,
    ColumnMap,
    DateOrder,
    SourceTable,
    check_table,
)

NONE = "(not in this file)"
#: The names `ColumnMap.missing_required` gives, in the words the dialog's labels use.
NEEDED = {"email or uid": f"{LABELS['email']} or {LABELS['uid']}"}


class MappingDialog(QDialog):
    """Source columns on one side, Calven's fields on the other, and the first rows as they would be sent."""

    def __init__(
        self, table: SourceTable, mapping: ColumnMap, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Match the columns")
        self.table = table
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Header found in row {table.header_row} of {table.file.name}. Choose which column holds each "
            "piece of information Calven needs. Email (or Calven user ID), start date and end date are required."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form, parts = QFormLayout(), QFormLayout()
        columns = QHBoxLayout()
        columns.addLayout(form)
        group = QGroupBox("Half days and times (read, never sent)")
        group.setToolTip(
            "Calven takes whole days only: these columns tell half days (sent whole, with a "
            "warning) and absences shorter than half a day (skipped)."
        )
        group.setLayout(parts)
        columns.addWidget(group)
        self.boxes: dict[str, QComboBox] = {}
        letters = with_access_keys([f"{LABELS[name]}:" for name in FIELDS])
        for name, text in zip(FIELDS, letters, strict=True):
            box = QComboBox()
            box.addItem(NONE)
            box.addItems(table.headers)
            current = mapping.header_of(name)
            if current is not None:
                box.setCurrentText(current)
            if name in mapping.ambiguous:
                box.setToolTip("More than one column looked right; check this one.")
            box.currentIndexChanged.connect(self.update_preview)
            label = QLabel(text)
            label.setBuddy(box)
            box.setAccessibleName(LABELS[name])
            (parts if name in PART_FIELDS else form).addRow(label, box)
            self.boxes[name] = box
        layout.addLayout(columns)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        layout.addWidget(QLabel("Preview of the first rows as they would be sent:"))
        self.preview = QTableWidget(0, 3)
        self.preview.setAccessibleName("Preview of the first rows as they would be sent")
        self.preview.setTabKeyNavigation(False)  # Tab goes on to OK, as everywhere else
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setHorizontalHeaderLabels(["Row", "Sent to Calven", "Problems"])
        self.preview.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.preview)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(900, 600)
        self.update_preview()

    def forced(self) -> dict[str, str]:
        return {
            name: ("" if box.currentText() == NONE else box.currentText())
            for name, box in self.boxes.items()
        }

    def chosen_mapping(self) -> ColumnMap:
        columns = {}
        for name, box in self.boxes.items():
            if box.currentIndex() > 0:
                columns[name] = box.currentIndex() - 1
        return ColumnMap(list(self.table.headers), columns)  # type: ignore[arg-type]

    def update_preview(self) -> None:
        mapping = self.chosen_mapping()
        missing = mapping.missing_required()
        used = [b.currentIndex() for b in self.boxes.values() if b.currentIndex() > 0]
        twice = len(used) != len(set(used))
        ok = not missing and not twice
        needed = [NEEDED.get(name) or LABELS.get(name, name) for name in missing]  # type: ignore[call-overload]
        self.problem.setText(
            ("Still needed: " + ", ".join(needed) + ". " if missing else "")
            + ("One column is chosen for two fields." if twice else "")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        sample = SourceTable(
            self.table.file,
            self.table.sheet,
            self.table.header_row,
            self.table.headers,
            self.table.rows[:5],
        )
        # A preview of five rows: when they leave the day/month order open it is asked later.
        check = check_table(sample, mapping, undecided=DateOrder.DMY)
        self.preview.setRowCount(len(check.rows))
        for i, row in enumerate(check.rows):
            self.preview.setItem(i, 0, QTableWidgetItem(str(row.row)))
            self.preview.setItem(
                i, 1, QTableWidgetItem(", ".join(f"{k}={v}" for k, v in (row.event or {}).items()))
            )
            self.preview.setItem(i, 2, QTableWidgetItem("; ".join(p.message for p in row.problems)))


def needs_mapping_dialog(mapping: ColumnMap) -> bool:
    return bool(mapping.missing_required() or mapping.ambiguous)
