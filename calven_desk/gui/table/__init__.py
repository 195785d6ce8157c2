"""The roster table: model, roles, view order and keys, filter proxy, edit commands, delegates, colours.

May import gui.threads and everything below gui (roster, calven, store); never gui.window,
gui.dialogs or gui.timeline, which build on it.
"""
