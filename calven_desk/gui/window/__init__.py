"""The main window's parts, one concern each with its actions, menu and slots.

`gui/main_window.py` composes them; `part.py` says what a part may ask of the window. Parts may
import gui.table, gui.timeline, gui.dialogs, gui.threads, gui.start and what is below gui; the
rules they show live below gui (calven.row_status, calven.sync_run, calven.directory_rows).
    jobs.py       background work: the progress row, Cancel, one worker thread at a time
    filters.py    the filter buttons and Search above the table; showing one cell
    files.py      open, recent files, read and check, save, save as, export, autosave,
                  recovery, unsaved edits, drag and drop (the File menu)
    editing.py    undo, redo, copy, paste, fill down, add and delete rows, match columns (Edit menu)
    timeline.py   the Table and Timeline tabs, linked to the roster on screen
    sending.py    connection, settings, submit, retry, answers during a run (the Send menu)
    resuming.py   finishing a run that was interrupted, offered at start-up
    help.py       the sandbox, the colour legend, the log folder, About (the Help menu)
    problems.py   the Problems panel
    sync.py       each row's Calven state, and the "No longer in the roster" panel (issue 11)
    directory.py  Calven's user list: the In Calven column, the Not in Calven filter, suggestions
    counts.py     the row counts in the status bar
    status_bar.py the status bar, its passing messages cut where the counts begin
    announce.py   what a screen reader hears: a run's start, progress and end, a roster opened
    detail.py     the line under the table: the current row in full
    elided.py     a one-line label cut with "…" that never widens the window
    view_menu.py  the View menu: Table or Timeline, rows shown, panels, toolbars, theme
    questions.py  the dialogs behind the window's confirm/inform/ask_* hooks
    surface.py    what scripts and tests call on the window (open_file, search...), handed to parts
    text_list.py  the side panels' lists (Problems, no longer in the roster) as one string model
"""
