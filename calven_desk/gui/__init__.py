"""The Qt window: everything here is glue over roster, calven and store; no rule lives here.

    app.py, selftest.py  the entry points: the application, and the bundle's self-test
    main_window.py       lays out the table and composes the window's parts
    window/              the window's parts, one concern each (files, editing, sending, sync...)
    table/               the roster table: model, roles, order, keys, proxy, edits, delegates
    timeline/            the roster as a leave calendar
    dialogs/             column matching, settings, connection, legend, About
    threads/             workers, the lane background Python takes turns in, background jobs
    start/               system libraries, crash reports, shipped files (needs nothing of gui)
    look/                themes, contrast, the focus ring (needs nothing of gui)

Folders import downwards only: window -> timeline, dialogs, table -> threads, look; start and look
stand alone.
"""
