"""SQLite as the embedded default: its pragmas and many writers at once."""
