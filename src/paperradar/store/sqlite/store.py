"""SQLiteStore: the embedded default backend."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from paperradar import budget
from paperradar.errors import StoreError
from paperradar.models import Filters, KeywordQuery
from paperradar.store.accounts import AccountsMixin
from paperradar.store.base import LatestKey, Ranking, system_now
from paperradar.store.batches import BatchReadsMixin
from paperradar.store.digest import DigestMixin
from paperradar.store.feed import FeedMixin
from paperradar.store.filters import where
from paperradar.store.graph import GraphMixin
from paperradar.store.live import LiveSourcesMixin
from paperradar.store.papers import PaperReadsMixin
from paperradar.store.sqlite import fts
from paperradar.store.sqlite.batches import PaperBatchesMixin
from paperradar.store.sqlite.connection import LOCK_WAIT, BudgetedConnection, WaitingRoom
from paperradar.store.sqlite.dialect import SQLITE
from paperradar.store.sqlite.feed import SignalBatchesMixin
from paperradar.store.sqlite.hits import HitCounter
from paperradar.store.sqlite.lexical import LexicalMixin
from paperradar.store.sqlite.migrate import apply_migrations
from paperradar.store.sqlite.vectors import VectorsMixin
from paperradar.store.text_index import TextIndex
from paperradar.store.vector_index import VectorIndex

# Column weights for bm25(): a word in the title says more about a paper than one in its abstract.
BM25_WEIGHTS = (4.0, 1.0, 1.5)
_DAY = "COALESCE(p.listing_date, p.published)"
_NEWEST = f"ORDER BY {_DAY} DESC, p.pk DESC"  # papers_latest's order; NULL sorts lowest, so undated last
_PK_OF = "(SELECT pk FROM papers WHERE id = ?)"


class SQLiteStore(
    PaperReadsMixin,
    PaperBatchesMixin,
    BatchReadsMixin,
    FeedMixin,
    SignalBatchesMixin,
    LiveSourcesMixin,
    VectorsMixin,
    LexicalMixin,
    DigestMixin,
    AccountsMixin,
    GraphMixin,
):
    """A paper database in one SQLite file. Each thread gets its own connection (WAL lets readers run
    beside a writer); writes go through `transaction()`."""

    dialect = SQLITE

    def __init__(self, path: str) -> None:
        self.location = path
        self.clock = system_now
        if path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self._local: threading.local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._shared: BudgetedConnection | None = None  # ":memory:" has one database per connection
        self._indexes: dict[str, VectorIndex] = {}
        self._indexes_lock = threading.Lock()
        self._text_index: TextIndex | None = None
        self._text_index_lock = threading.Lock()
        # Requests waiting to write, seen by long writers of any process (none in memory: one process).
        self._waiting_room = WaitingRoom(path) if path != ":memory:" else None
        self._hits = HitCounter(path + "-limits" if path != ":memory:" else ":memory:")
        try:
            apply_migrations(self._conn())
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the database ({exc})") from exc

    # -- connections and transactions -------------------------------------------
    def _conn(self) -> BudgetedConnection:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self.location == ":memory:" and self._shared is not None:
            return self._shared
        # Each thread uses only its own connection; close() may run on another thread, after the work.
        conn = sqlite3.connect(
            self.location, isolation_level=None, check_same_thread=False, timeout=LOCK_WAIT, factory=BudgetedConnection
        )
        conn.waiting_room = self._waiting_room
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable at every checkpoint, no torn data
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA cache_size = -65536")
        self._local.conn = conn
        with self._lock:
            self._connections.append(conn)
        if self.location == ":memory:":
            self._shared = conn
        return conn

    @contextmanager
    def transaction(self, lock: str = "papers") -> Iterator[None]:
        conn = self._conn()
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN IMMEDIATE")
        self._local.unindexed = []
        try:
            yield
            self._index_new()
        except BaseException:
            self._local.unindexed = []
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if self._waiting_room is not None and budget.current() is None:
            self._waiting_room.give_way()  # a command or job: requests waiting to write go first

    def _index_new(self) -> None:
        """Add the papers inserted in this transaction to the keyword index, in one statement."""
        pending = getattr(self._local, "unindexed", None)
        if not pending:
            return
        conn = self._conn()
        for start in range(0, len(pending), 500):
            chunk = pending[start : start + 500]
            conn.execute(
                "INSERT INTO papers_fts (rowid, title, abstract, authors) "
                f"SELECT pk, title, abstract, authors FROM papers WHERE pk IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        pending.clear()

    # What the statements shared with PostgreSQL (store/accounts.py, ...) run through, written in `dialect`.
    def _sql(self, sql: str, params: Sequence[object]) -> list[tuple]:
        return self._conn().execute(sql, params).fetchall()

    def _sql_run(self, sql: str, params: Sequence[object]) -> int:
        return self._conn().execute(sql, params).rowcount

    def take_hit(self, key: str, most: int, seconds: float, now: float) -> bool:
        return self._hits.take(key, most, seconds, now)

    def close(self) -> None:
        self._hits.close()
        self.save_vector_indexes()
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()
        self._shared = None

    # -- reads --------------------------------------------------------------------
    def added_on(self, ids: Sequence[str]) -> dict[str, date]:
        found: dict[str, date] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for pid, created in self._conn().execute(f"SELECT id, created_at FROM papers WHERE id IN ({marks})", chunk):
                found[pid] = date.fromisoformat(created[:10])  # stored as UTC ISO time
        return found

    def keyword(self, query: KeywordQuery, limit: int, match_all: bool = True) -> Ranking:
        self._index_new()
        expression = fts.match_expression(query, match_all)
        if expression is None:
            return []
        condition, params = where(query.filters, SQLITE)
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        rows = self._conn().execute(
            f"SELECT p.id, bm25(papers_fts, {weights}) AS rank FROM papers_fts "
            f"JOIN papers p ON p.pk = papers_fts.rowid "
            f"WHERE papers_fts MATCH ?{condition} ORDER BY rank, p.pk LIMIT ?",
            (expression, *params, limit),
        )
        return [(pid, -rank) for pid, rank in rows]

    def matching(self, ids: Sequence[str], query: KeywordQuery) -> set[str]:
        self._index_new()
        if not ids:
            return set()
        wanted = list(dict.fromkeys(ids))
        marks = ",".join("?" * len(wanted))
        conn = self._conn()
        expression = fts.match_expression(query)
        if expression is not None:  # phrases or fields to require (and exclusions folded in)
            rows = conn.execute(
                "SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid "
                f"WHERE papers_fts MATCH ? AND p.id IN ({marks})",
                (expression, *wanted),
            )
            return {row[0] for row in rows}
        if not query.excluded:
            return set(wanted)
        banned = " OR ".join(fts.quote(word) for word in query.excluded)
        rows = conn.execute(
            "SELECT p.id FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid "
            f"WHERE papers_fts MATCH ? AND p.id IN ({marks})",
            (banned, *wanted),
        )
        return set(wanted) - {row[0] for row in rows}

    def latest(self, filters: Filters, limit: int, offset: int = 0, after: LatestKey | None = None) -> Ranking:
        condition, params = where(filters, SQLITE)
        select = f"SELECT p.id, {_DAY} FROM papers p WHERE 1{condition}"
        if after is None:
            rows = self._sql(f"{select} {_NEWEST} LIMIT ? OFFSET ?", (*params, limit, offset))
        else:
            if offset:
                raise ValueError("latest: after or offset, not both")
            day, paper_id = after
            rows = []
            # The rest of the dated papers: a range of papers_latest, sought, not scanned (SQLite seeks on
            # day <= ?, not on a row value over DESC columns, which PostgreSQL's latest uses).
            if day is not None:
                rows = self._sql(
                    f"{select} AND {_DAY} <= ? AND ({_DAY} < ? OR p.pk < {_PK_OF}) {_NEWEST} LIMIT ?",
                    (*params, day.isoformat(), day.isoformat(), paper_id, limit),
                )
            if len(rows) < limit:  # then the undated papers, which come last
                below = f" AND p.pk < {_PK_OF}" if day is None else ""
                rows += self._sql(
                    f"{select} AND {_DAY} IS NULL{below} ORDER BY p.pk DESC LIMIT ?",
                    (*params, *([paper_id] if day is None else []), limit - len(rows)),
                )
        # The score is the day as an ordinal, so newer is higher as in every other ranking.
        return [(pid, float(date.fromisoformat(day).toordinal()) if day else 0.0) for pid, day in rows]
