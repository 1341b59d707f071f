"""Numbered schema migrations of the PostgreSQL backend, applied in order by migrate.py."""
