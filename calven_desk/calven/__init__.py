"""Qt-free client for Calven: token auth, batching submitter, journal hook-up, local sandbox."""
