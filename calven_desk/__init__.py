"""Calven Desk: send an HR leave roster to Calven's time-off API, checked row by row."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("calven-desk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
