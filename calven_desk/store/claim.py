"""Who holds the one-sender claim on a connection, and the sentence a second sender is told.

The claim itself is kept where the memory is: in the journal (`Journal.claim_sender`, one computer)
or in the team's database (`TeamMemory.claim`, a session lock every computer sees).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Claim:
    """Who holds the one-sender claim on a connection, and since when."""

    what: str
    user: str
    machine: str
    pid: int
    since: datetime

    def sentence(self, base_url: str) -> str:
        where = "this computer" if self.machine == socket.gethostname() else self.machine
        who = f" by {self.user}" if self.user else ""
        process = f" (process {self.pid})" if self.pid else ""
        return (
            f"Another send to Calven ({base_url}) is under way: {self.what}{who} on {where}"
            f"{process}, since {self.since.astimezone():%Y-%m-%d %H:%M}. Try again when it has "
            "finished."
        )
