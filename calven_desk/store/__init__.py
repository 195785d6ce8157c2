"""Per-user state: connection profiles with keyring secrets, the SQLite journal, settings, paths."""
