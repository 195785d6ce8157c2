"""Calven Desk: send an HR leave roster to Calven's time-off API, checked row by row."""

#: The one place the version is written: pyproject.toml reads it from here (`dynamic`), so the
#: command starts without importlib.metadata, which costs more than the rest of its start-up.
__version__ = "0.1.0"
