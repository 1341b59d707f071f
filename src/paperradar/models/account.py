"""The records of accounts and what belongs to a user: the user, a saved paper, a saved search.

A User never carries its password hash: the hash stays in the store and reaches only the verifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    is_admin: bool = False
    verified: bool = False
    session_version: int = 1
    feed_version: int = 1
    created_at: int = 0  # seconds since the epoch

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "email": self.email, "is_admin": self.is_admin, "verified": self.verified}


@dataclass(frozen=True, slots=True)
class ShelfEntry:
    """A paper in a user's library, with their tags, note and read mark."""

    paper_id: str
    saved_at: int
    is_read: bool = False
    note: str = ""
    tags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"paper_id": self.paper_id, "saved_at": self.saved_at, "read": self.is_read, "note": self.note,
                "tags": list(self.tags)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A search a user keeps as an alert: its new matches show on their page and in the digest."""

    id: int
    user_id: int
    name: str
    query: str
    mode: str
    filters: dict[str, Any] = field(default_factory=dict)
    created_at: int = 0
    last_seen: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "query": self.query, "mode": self.mode, "filters": self.filters,
                "created_at": self.created_at, "last_seen": self.last_seen}  # fmt: skip
