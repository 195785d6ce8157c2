"""When the journal or the memory of what Calven holds cannot be used: one sentence for the person.

A team memory that cannot be reached is a kind of journal trouble to everything that reads or sends
(`except JournalError` already stops them with a sentence), and never a reason to fall back to this
computer's memory, which would make rows "new" and cancellations wrong.
"""

from __future__ import annotations


class JournalError(Exception):
    """The journal file cannot be opened (damaged, or its folder not writable); a sentence to show."""


class TeamMemoryUnavailable(JournalError):
    """The team's memory cannot be read or written now (the server down, sign-in refused, no
    rights, a layout from a newer release): a sentence naming the server by host and database,
    never its password nor the driver's own text."""
