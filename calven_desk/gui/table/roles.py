"""What the roster table's cells answer besides their text: the extra data roles, the roles
answered at all, the flags, and the status icons (kept apart from the model so the delegate,
the view order and the tests can name them without the model's machinery)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle

RESULT_COLUMNS = ("Result", "Result code", "Message", "Sent at")
#: Follows the title of a column kept from the file but never sent to Calven.
NOT_SENT_MARK = "(not sent)"
#: How a screen reader names a cell's problem before its message.
SEVERITY_WORDS = {"error": "Needs fixing", "warning": "Warning", "info": "Not for Calven"}


class Role(IntEnum):
    """Extra data roles the delegate and the tests read."""

    SEVERITY = Qt.ItemDataRole.UserRole + 1  # "error", "warning" or None for the cell
    COLOUR_KEY = (
        Qt.ItemDataRole.UserRole + 2
    )  # the row's colour role (accepted, code1, not_sent, ...)
    FIELD = Qt.ItemDataRole.UserRole + 3  # the Calven field of an editable column
    STATE = Qt.ItemDataRole.UserRole + 4  # the RowState


#: The roles `data` answers; Qt asks for others (font, alignment, check state) at every cell.
ANSWERED_ROLES = frozenset(
    int(r)
    for r in (
        *Role,
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.AccessibleDescriptionRole,
    )
)

READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE = READ_ONLY | Qt.ItemFlag.ItemIsEditable

#: What a run's progress changes: a row's state and word, its colour, icon and tooltip. A
#: `dataChanged` naming these roles tells the window that nothing but results changed.
RESULT_ROLES = (
    int(Role.STATE),
    int(Role.COLOUR_KEY),
    int(Qt.ItemDataRole.DisplayRole),
    int(Qt.ItemDataRole.BackgroundRole),
    int(Qt.ItemDataRole.DecorationRole),
    int(Qt.ItemDataRole.ToolTipRole),
)

ICONS = {
    "accepted": QStyle.StandardPixmap.SP_DialogApplyButton,
    "rejected": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "not_sent": QStyle.StandardPixmap.SP_BrowserStop,
    "invalid": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "ready": QStyle.StandardPixmap.SP_DialogYesButton,
    "sending": QStyle.StandardPixmap.SP_BrowserReload,
    "skipped": QStyle.StandardPixmap.SP_MessageBoxInformation,
}

#: What another theme changes: the rows' colours and the status icons, never their words.
COLOUR_ROLES = (
    int(Qt.ItemDataRole.BackgroundRole),
    int(Qt.ItemDataRole.ForegroundRole),
    int(Qt.ItemDataRole.DecorationRole),
)
