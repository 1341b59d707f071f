"""The storage protocols of accounts and what belongs to a user (part of the `Store` union in base.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from paperradar.models.account import SavedSearch, ShelfEntry, User


class AccountStore(Protocol):
    """Users, their password hashes (read only by the verifier) and the rate limiter's counters."""

    def create_user(self, email: str, password_hash: str, is_admin: bool, verified: bool, at: int) -> User | None:
        """A new user; None when the (lower-cased) email is taken."""
        ...

    def user(self, user_id: int) -> User | None: ...

    def user_by_email(self, email: str) -> User | None: ...

    def users(self) -> list[User]:
        """Every user, oldest first."""
        ...

    def password_hash(self, user_id: int) -> str | None:
        """The stored hash, for the password verifier only."""
        ...

    def set_password_hash(self, user_id: int, password_hash: str, end_sessions: bool) -> None:
        """Replace the hash (a rehash keeps sessions; a password change ends them)."""
        ...

    def update_user(self, user_id: int, *, verified: bool | None = None, is_admin: bool | None = None) -> None: ...

    def end_sessions(self, user_id: int) -> None:
        """Make every session cookie issued so far invalid (bumps the session version)."""
        ...

    def revoke_feed(self, user_id: int) -> None:
        """Make the user's secret feed URL invalid (bumps the feed version)."""
        ...

    def take_hit(self, key: str, most: int, seconds: float, now: float) -> bool:
        """Count one request under `key` if fewer than `most` were counted in the `seconds` before `now`
        (a moving window); False, counting nothing, when the window is full."""
        ...


class ShelfStore(Protocol):
    """A user's library (saves, tags, notes, read marks), "not interested" marks, saved searches and
    the per-user recommendation vectors. Every call names the user: nothing here crosses users."""

    def save(self, user_id: int, paper_id: str, at: int) -> bool:
        """Save a paper; False if it was saved already or no such paper exists."""
        ...

    def unsave(self, user_id: int, paper_id: str) -> bool: ...

    def shelf(self, user_id: int, tag: str | None = None, paper_ids: Sequence[str] | None = None) -> list[ShelfEntry]:
        """The user's saved papers, newest save first; with a tag, those tagged so; with ids, those of them."""
        ...

    def update_entry(self, user_id: int, paper_id: str, *, note: str | None = None, is_read: bool | None = None,
                     tags: Sequence[str] | None = None) -> bool:  # fmt: skip
        """Change a saved paper's note, read mark or tags (replacing them); False if it is not saved."""
        ...

    def tags(self, user_id: int) -> list[tuple[str, int]]:
        """The user's tags with how many papers carry each, by name."""
        ...

    def dismiss(self, user_id: int, paper_id: str, at: int) -> bool:
        """Mark a paper "not interested"; False if it already was or does not exist."""
        ...

    def dismissed(self, user_id: int) -> list[str]: ...

    def put_user_model(self, user_id: int, tag: str, model: str, vector: np.ndarray | None, at: int) -> None:
        """Keep (or, with None, drop) the user's recommendation vector for a tag ('' = whole library)."""
        ...

    def user_model(self, user_id: int, tag: str, model: str) -> np.ndarray | None: ...

    def add_saved_search(self, user_id: int, name: str, query: str, mode: str, filters: dict[str, Any],
                         at: int) -> SavedSearch:  # fmt: skip
        ...

    def saved_searches(self, user_id: int) -> list[SavedSearch]:
        """The user's saved searches, oldest first."""
        ...

    def delete_saved_search(self, user_id: int, search_id: int) -> bool: ...

    def mark_seen(self, user_id: int, search_id: int, at: int) -> bool: ...


class VoteStore(Protocol):
    """Upvotes by signed-in users (one per user and paper), and the engagement trending counts."""

    def vote(self, user_id: int, paper_id: str, at: int) -> bool:
        """Upvote; False if the user had already voted or no such paper exists."""
        ...

    def unvote(self, user_id: int, paper_id: str) -> bool: ...

    def voted(self, user_id: int, paper_ids: Sequence[str] | None) -> set[str]:
        """Which of these papers (None: of all) the user has voted for."""
        ...

    def engagement_of(self, ids: Sequence[str], until: int) -> dict[str, list[tuple[str, int]]]:
        """("vote" | "save", when) of every vote and save of these papers up to `until`, per paper."""
        ...
