"""Accounts, libraries, votes and saved searches for both backends: one set of portable SQL.

A mixin of SQLiteStore and PostgresStore. The schema (SQLite 0005, PostgreSQL 0002) keeps times as
integer seconds and flags as integers, so the same statements run on both, with the host's `dialect`
marking the parameters; the host supplies `_sql` (rows of a query), `_sql_run` (rows touched) and
`transaction()`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from paperradar.models.account import SavedSearch, ShelfEntry, User
from paperradar.store.dialect import Dialect

_USER = "id, email, is_admin, verified, session_version, feed_version, created_at"
_SEARCH = "id, user_id, name, query, mode, filters, created_at, last_seen"


def _user(row: Sequence[Any] | None) -> User | None:
    if row is None:
        return None
    uid, email, admin, verified, session, feed, created = row
    return User(int(uid), email, bool(admin), bool(verified), int(session), int(feed), int(created))


def _search(row: Sequence[Any]) -> SavedSearch:
    sid, uid, name, query, mode, filters, created, seen = row
    return SavedSearch(int(sid), int(uid), name, query, mode, json.loads(filters or "{}"), int(created),
                       None if seen is None else int(seen))  # fmt: skip


def _pk(m: str) -> str:
    """The pk of the paper whose public id is the parameter."""
    return f"(SELECT pk FROM papers WHERE id = {m})"


class AccountsMixin:
    """AccountStore, ShelfStore and VoteStore over the host's connection."""

    dialect: Dialect
    _sql: Callable[[str, Sequence[object]], list[tuple]]
    _sql_run: Callable[[str, Sequence[object]], int]
    transaction: Callable[..., AbstractContextManager[None]]

    # -- users ------------------------------------------------------------------------------------
    def create_user(self, email: str, password_hash: str, is_admin: bool, verified: bool, at: int) -> User | None:
        m = self.dialect.mark
        rows = self._sql(
            "INSERT INTO users (email, password_hash, is_admin, verified, created_at) "
            f"VALUES ({m}, {m}, {m}, {m}, {m}) ON CONFLICT (email) DO NOTHING RETURNING {_USER}",
            (email.lower(), password_hash, int(is_admin), int(verified), at),
        )
        return _user(rows[0]) if rows else None

    def user(self, user_id: int) -> User | None:
        m = self.dialect.mark
        rows = self._sql(f"SELECT {_USER} FROM users WHERE id = {m}", (user_id,))
        return _user(rows[0]) if rows else None

    def user_by_email(self, email: str) -> User | None:
        m = self.dialect.mark
        rows = self._sql(f"SELECT {_USER} FROM users WHERE email = {m}", (email.lower(),))
        return _user(rows[0]) if rows else None

    def users(self) -> list[User]:
        return [u for u in map(_user, self._sql(f"SELECT {_USER} FROM users ORDER BY id", ())) if u]

    def password_hash(self, user_id: int) -> str | None:
        m = self.dialect.mark
        rows = self._sql(f"SELECT password_hash FROM users WHERE id = {m}", (user_id,))
        return rows[0][0] if rows else None

    def set_password_hash(self, user_id: int, password_hash: str, end_sessions: bool) -> None:
        m = self.dialect.mark
        self._sql_run(
            f"UPDATE users SET password_hash = {m}, session_version = session_version + {m} WHERE id = {m}",
            (password_hash, int(end_sessions), user_id),
        )

    def update_user(self, user_id: int, *, verified: bool | None = None, is_admin: bool | None = None) -> None:
        m = self.dialect.mark
        if verified is not None:
            self._sql_run(f"UPDATE users SET verified = {m} WHERE id = {m}", (int(verified), user_id))
        if is_admin is not None:
            self._sql_run(f"UPDATE users SET is_admin = {m} WHERE id = {m}", (int(is_admin), user_id))

    def end_sessions(self, user_id: int) -> None:
        m = self.dialect.mark
        self._sql_run(f"UPDATE users SET session_version = session_version + 1 WHERE id = {m}", (user_id,))

    def revoke_feed(self, user_id: int) -> None:
        m = self.dialect.mark
        self._sql_run(f"UPDATE users SET feed_version = feed_version + 1 WHERE id = {m}", (user_id,))

    def take_hit(self, key: str, most: int, seconds: float, now: float) -> bool:
        # Autocommit statements outside transaction(), so on PostgreSQL counting a login never waits for
        # an import's write lock (SQLite counts in a file of its own: store/sqlite/hits.py). Two processes
        # counting one key at the same instant may both pass: one extra hit.
        m = self.dialect.mark
        self._sql_run(f"DELETE FROM rate_hits WHERE key = {m} AND at <= {m}", (key, now - seconds))
        taken = self._sql_run(
            f"INSERT INTO rate_hits (key, at) SELECT {m}, {m} "
            f"WHERE (SELECT count(*) FROM rate_hits WHERE key = {m}) < {m}",
            (key, now, key, most),
        )
        return taken > 0

    # -- the library ------------------------------------------------------------------------------
    def save(self, user_id: int, paper_id: str, at: int) -> bool:
        m = self.dialect.mark
        return self._sql_run(
            f"INSERT INTO shelf (user_id, paper_pk, saved_at) SELECT {m}, pk, {m} FROM papers WHERE id = {m} "
            "ON CONFLICT (user_id, paper_pk) DO NOTHING",
            (user_id, at, paper_id),
        ) > 0  # fmt: skip

    def unsave(self, user_id: int, paper_id: str) -> bool:
        m = self.dialect.mark
        return self._sql_run(f"DELETE FROM shelf WHERE user_id = {m} AND paper_pk = {_pk(m)}", (user_id, paper_id)) > 0

    def shelf(self, user_id: int, tag: str | None = None, paper_ids: Sequence[str] | None = None) -> list[ShelfEntry]:
        m = self.dialect.mark
        sql = (
            "SELECT p.id, s.saved_at, s.is_read, s.note, s.paper_pk FROM shelf s JOIN papers p ON p.pk = s.paper_pk "
            f"WHERE s.user_id = {m}"
        )
        params: list[object] = [user_id]
        if tag is not None:
            sql += " AND EXISTS (SELECT 1 FROM shelf_tags t WHERE t.user_id = s.user_id AND t.paper_pk = s.paper_pk "
            sql += f"AND t.tag = {m})"
            params.append(tag)
        if paper_ids is not None:
            if not paper_ids:
                return []
            sql += f" AND p.id IN ({self.dialect.marks(len(paper_ids))})"
            params.extend(paper_ids)
        rows = self._sql(sql + " ORDER BY s.saved_at DESC, s.paper_pk DESC", params)
        tags: dict[int, list[str]] = {}
        for pk, name in self._sql(f"SELECT paper_pk, tag FROM shelf_tags WHERE user_id = {m} ORDER BY tag", (user_id,)):
            tags.setdefault(int(pk), []).append(name)
        return [
            ShelfEntry(pid, int(at), bool(read), note, tuple(tags.get(int(pk), ()))) for pid, at, read, note, pk in rows
        ]

    def update_entry(self, user_id: int, paper_id: str, *, note: str | None = None, is_read: bool | None = None,
                     tags: Sequence[str] | None = None) -> bool:  # fmt: skip
        m = self.dialect.mark
        with self.transaction(lock="people"):
            found = self._sql(
                f"SELECT paper_pk FROM shelf WHERE user_id = {m} AND paper_pk = {_pk(m)}", (user_id, paper_id)
            )
            if not found:
                return False
            pk = found[0][0]
            if note is not None:
                self._sql_run(
                    f"UPDATE shelf SET note = {m} WHERE user_id = {m} AND paper_pk = {m}", (note, user_id, pk)
                )
            if is_read is not None:
                self._sql_run(
                    f"UPDATE shelf SET is_read = {m} WHERE user_id = {m} AND paper_pk = {m}",
                    (int(is_read), user_id, pk),
                )
            if tags is not None:
                self._sql_run(f"DELETE FROM shelf_tags WHERE user_id = {m} AND paper_pk = {m}", (user_id, pk))
                for tag in dict.fromkeys(tags):
                    self._sql_run(
                        f"INSERT INTO shelf_tags (user_id, paper_pk, tag) VALUES ({m}, {m}, {m})", (user_id, pk, tag)
                    )
        return True

    def tags(self, user_id: int) -> list[tuple[str, int]]:
        m = self.dialect.mark
        rows = self._sql(
            f"SELECT tag, COUNT(*) FROM shelf_tags WHERE user_id = {m} GROUP BY tag ORDER BY tag", (user_id,)
        )
        return [(tag, int(n)) for tag, n in rows]

    def dismiss(self, user_id: int, paper_id: str, at: int) -> bool:
        m = self.dialect.mark
        return self._sql_run(
            f"INSERT INTO dismissals (user_id, paper_pk, created_at) SELECT {m}, pk, {m} FROM papers WHERE id = {m} "
            "ON CONFLICT (user_id, paper_pk) DO NOTHING",
            (user_id, at, paper_id),
        ) > 0  # fmt: skip

    def dismissed(self, user_id: int) -> list[str]:
        m = self.dialect.mark
        rows = self._sql(
            f"SELECT p.id FROM dismissals d JOIN papers p ON p.pk = d.paper_pk WHERE d.user_id = {m} "
            "ORDER BY d.created_at",
            (user_id,),
        )
        return [r[0] for r in rows]

    def put_user_model(self, user_id: int, tag: str, model: str, vector: np.ndarray | None, at: int) -> None:
        m = self.dialect.mark
        if vector is None:
            self._sql_run(
                f"DELETE FROM user_models WHERE user_id = {m} AND tag = {m} AND model = {m}", (user_id, tag, model)
            )
            return
        self._sql_run(
            f"INSERT INTO user_models (user_id, tag, model, vector, updated_at) VALUES ({m}, {m}, {m}, {m}, {m}) "
            "ON CONFLICT (user_id, tag, model) DO UPDATE SET vector = excluded.vector, "
            "updated_at = excluded.updated_at",
            (user_id, tag, model, np.asarray(vector, dtype=np.float32).tobytes(), at),
        )

    def user_model(self, user_id: int, tag: str, model: str) -> np.ndarray | None:
        m = self.dialect.mark
        rows = self._sql(
            f"SELECT vector FROM user_models WHERE user_id = {m} AND tag = {m} AND model = {m}", (user_id, tag, model)
        )
        return np.frombuffer(bytes(rows[0][0]), dtype=np.float32).copy() if rows else None

    # -- saved searches ---------------------------------------------------------------------------
    def add_saved_search(self, user_id: int, name: str, query: str, mode: str, filters: dict[str, Any],
                         at: int) -> SavedSearch:  # fmt: skip
        m = self.dialect.mark
        rows = self._sql(
            "INSERT INTO saved_searches (user_id, name, query, mode, filters, created_at) "
            f"VALUES ({m}, {m}, {m}, {m}, {m}, {m}) RETURNING {_SEARCH}",
            (user_id, name, query, mode, json.dumps(filters, sort_keys=True), at),
        )
        return _search(rows[0])

    def saved_searches(self, user_id: int) -> list[SavedSearch]:
        m = self.dialect.mark
        return [_search(r) for r in self._sql(f"SELECT {_SEARCH} FROM saved_searches WHERE user_id = {m} ORDER BY id",
                                              (user_id,))]  # fmt: skip

    def delete_saved_search(self, user_id: int, search_id: int) -> bool:
        m = self.dialect.mark
        return self._sql_run(f"DELETE FROM saved_searches WHERE user_id = {m} AND id = {m}", (user_id, search_id)) > 0

    def mark_seen(self, user_id: int, search_id: int, at: int) -> bool:
        m = self.dialect.mark
        return self._sql_run(
            f"UPDATE saved_searches SET last_seen = {m} WHERE user_id = {m} AND id = {m}", (at, user_id, search_id)
        ) > 0  # fmt: skip

    # -- votes ------------------------------------------------------------------------------------
    def vote(self, user_id: int, paper_id: str, at: int) -> bool:
        m = self.dialect.mark
        return self._sql_run(
            f"INSERT INTO votes (user_id, paper_pk, created_at) SELECT {m}, pk, {m} FROM papers WHERE id = {m} "
            "ON CONFLICT (user_id, paper_pk) DO NOTHING",
            (user_id, at, paper_id),
        ) > 0  # fmt: skip

    def unvote(self, user_id: int, paper_id: str) -> bool:
        m = self.dialect.mark
        return self._sql_run(f"DELETE FROM votes WHERE user_id = {m} AND paper_pk = {_pk(m)}", (user_id, paper_id)) > 0

    def voted(self, user_id: int, paper_ids: Sequence[str] | None) -> set[str]:
        m = self.dialect.mark
        if paper_ids is None:
            rows = self._sql(
                f"SELECT p.id FROM votes v JOIN papers p ON p.pk = v.paper_pk WHERE v.user_id = {m}", (user_id,)
            )
            return {r[0] for r in rows}
        if not paper_ids:
            return set()
        rows = self._sql(
            f"SELECT p.id FROM votes v JOIN papers p ON p.pk = v.paper_pk WHERE v.user_id = {m} "
            f"AND p.id IN ({self.dialect.marks(len(paper_ids))})",
            (user_id, *paper_ids),
        )
        return {r[0] for r in rows}

    def engagement_of(self, ids: Sequence[str], until: int) -> dict[str, list[tuple[str, int]]]:
        m = self.dialect.mark
        found: dict[str, list[tuple[str, int]]] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            rows = self._sql(
                f"SELECT p.id, 'vote', v.created_at FROM votes v JOIN papers p ON p.pk = v.paper_pk "
                f"WHERE p.id IN ({self.dialect.marks(len(chunk))}) AND v.created_at <= {m} "
                f"UNION ALL SELECT p.id, 'save', s.saved_at FROM shelf s JOIN papers p ON p.pk = s.paper_pk "
                f"WHERE p.id IN ({self.dialect.marks(len(chunk))}) AND s.saved_at <= {m}",
                (*chunk, until, *chunk, until),
            )
            for pid, kind, at in rows:
                found.setdefault(pid, []).append((kind, int(at)))
        return found
