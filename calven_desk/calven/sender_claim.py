"""One sender per connection at a time: a send, a resume or a window's run claims the connection
before it plans and gives it back when it ends.

Two senders to one Calven (the window and IT's scheduled job, two windows) would otherwise plan
from the same memory and interleave their sends and memory writes: each would cancel or book days
the other had just changed. The second one waits briefly for the first to finish, then is told in
one sentence what is sending and since when. A crashed sender's claim is taken over by the next
(`Journal.claim_sender` checks the holder is alive), never released by hand.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from calven_desk.store.journal import Journal

#: How long a second sender waits for the first before giving up with a sentence.
WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.2


class SenderBusy(Exception):
    """Another sender holds the connection; the message is one sentence for the person."""


@contextmanager
def one_sender(
    journal: Journal, base_url: str, key_id: str, what: str, wait: float = WAIT_SECONDS
) -> Iterator[None]:
    """Hold the connection's claim for the block; raises SenderBusy after `wait` seconds."""
    deadline = time.monotonic() + wait
    while (holder := journal.claim_sender(base_url, key_id, what)) is not None:
        if time.monotonic() >= deadline:
            raise SenderBusy(holder.sentence(base_url))
        time.sleep(_POLL_SECONDS)
    try:
        yield
    finally:
        journal.release_sender(base_url, key_id)
