"""Numbered SQL files, applied in order; PRAGMA user_version records the last one applied."""
