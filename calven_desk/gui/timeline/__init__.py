"""The Timeline: the roster as a leave calendar, one lane per person, one bar per row.

`rows` turns the open roster into the layout's input, `view` draws it (only what is on screen),
`paint` is the drawing both the view and `render` (the PNG, headless) use, `page` adds the zoom and
Today controls and lays out in a worker, `linked` follows a table's rows, filter and selection.
"""
