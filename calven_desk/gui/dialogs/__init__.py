"""The window's dialogs: column matching, settings, connection, the colour legend, About.

May import gui.table (colours) and what is below gui; the window's parts open them, never the reverse.
"""
