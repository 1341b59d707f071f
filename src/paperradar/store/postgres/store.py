"""PostgresStore: the server backend, for many web workers over one database."""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from paperradar import budget
from paperradar.errors import StoreError
from paperradar.models import Filters
from paperradar.store.accounts import AccountsMixin
from paperradar.store.base import LatestKey, Ranking, system_now
from paperradar.store.batches import BatchReadsMixin
from paperradar.store.digest import DigestMixin
from paperradar.store.feed import FeedMixin
from paperradar.store.filters import where
from paperradar.store.graph import GraphMixin
from paperradar.store.live import LiveSourcesMixin
from paperradar.store.papers import PaperReadsMixin
from paperradar.store.postgres.batches import PaperBatchesMixin
from paperradar.store.postgres.dialect import POSTGRES
from paperradar.store.postgres.feed import SignalBatchesMixin
from paperradar.store.postgres.lexical import LexicalMixin
from paperradar.store.postgres.migrate import apply_migrations, read_only
from paperradar.store.postgres.textsearch import TextSearchMixin
from paperradar.store.postgres.vectors import EF_SEARCH, VectorsMixin
from paperradar.store.text_index import TextIndex

_DAY = "COALESCE(p.listing_date, p.published)"
_NEWEST = f"ORDER BY {_DAY} DESC NULLS LAST, p.pk DESC"  # papers_latest's order
_PK_OF = "(SELECT pk FROM papers WHERE id = %s)"
POOL_SIZE = 8  # connections per process: a web worker's threads share them
# Writers take one of these locks first, as SQLite's BEGIN IMMEDIATE does: merging reads candidates and
# then inserts, so two imports of the same new paper at once must not both find nothing. Reads never
# wait, and writes about people (accounts, libraries, subscribers) take their own lock, so a sign-up or
# a saved paper never queues behind an import's batch.
_WRITE_LOCKS = {"papers": 0x7772697465, "people": 0x70656F706C65}  # "write", "people"


def redacted(url: str) -> str:
    """The URL without its password, fit for logs and `stats`."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://?"
    user = f"{parts['user']}@" if parts.get("user") else ""
    return f"postgresql://{user}{parts.get('host', '')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"


def _configure(conn: psycopg.Connection) -> None:
    # Session settings for every pooled connection: a wider HNSW walk, and (pgvector >= 0.8) walking
    # on when filters or exclusions drop candidates, in relaxed order (the store sorts what it finds).
    conn.execute(f"SET hnsw.ef_search = {EF_SEARCH:d}")
    conn.execute("SET hnsw.iterative_scan = relaxed_order")


def _keep_budget(conn: psycopg.Connection) -> None:
    """Bound this connection's statements by the request's budget (paperradar/budget.py), or by none
    outside a request. Set only when it changes: a pooled connection serves requests and jobs alike."""
    current = budget.current()
    if current is not None and current.spent():
        raise budget.over_budget()  # no new query once the request's time is up
    wanted = (0, 0)  # no bound
    if current:
        wanted = (int(current.seconds * 1000) if math.isfinite(current.seconds) else 0, int(current.lock_wait * 1000))
    if _BOUNDS.get(conn) != wanted:
        conn.execute(f"SET statement_timeout = {wanted[0]:d}")
        conn.execute(f"SET lock_timeout = {wanted[1]:d}")
        _BOUNDS[conn] = wanted


@contextmanager
def _within_budget() -> Iterator[None]:
    """A statement stopped by the request's budget, or a lock waited for past it, is a 503 (OverBudget)."""
    try:
        yield
    except psycopg.errors.QueryCanceled as exc:
        if budget.current() is None:
            raise
        raise budget.over_budget() from exc
    except psycopg.errors.LockNotAvailable as exc:
        if budget.current() is None:
            raise
        raise budget.lock_busy() from exc


_BOUNDS: weakref.WeakKeyDictionary[psycopg.Connection, tuple[int, int]] = weakref.WeakKeyDictionary()


class PostgresStore(
    PaperReadsMixin,
    PaperBatchesMixin,
    BatchReadsMixin,
    LiveSourcesMixin,
    VectorsMixin,
    LexicalMixin,
    TextSearchMixin,
    FeedMixin,
    SignalBatchesMixin,
    DigestMixin,
    AccountsMixin,
    GraphMixin,
):
    """A paper database on a PostgreSQL server. Reads borrow a pooled connection per statement;
    `transaction()` pins one connection to the thread until it commits. The keyword index lives
    in `index_home` on this machine (in memory when None), a cache that catches up from the database."""

    dialect = POSTGRES

    def __init__(self, url: str, index_home: Path | None = None) -> None:
        self.location = redacted(url)
        self.clock = system_now
        self._local = threading.local()
        self._index_home = index_home
        self._text_index: TextIndex | None = None
        self._text_index_lock = threading.Lock()
        self._graph_models: set[str] = set()
        conninfo = make_conninfo(url, connect_timeout=10, application_name="paperradar")
        self._pool = ConnectionPool(
            conninfo, min_size=1, max_size=POOL_SIZE, kwargs={"autocommit": True}, configure=_configure, open=False
        )
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                apply_migrations(conn)
                writable = not read_only(conn)
            self._pool.open(wait=True, timeout=15)
            if writable:  # a replica gets the index from the primary
                self.ensure_vector_index()  # an interrupted bulk load left it dropped
        except (psycopg.Error, PoolTimeout) as exc:
            self._pool.close()
            raise StoreError(f"{self.location}: cannot open the database ({exc})".strip()) from exc

    # -- connections and transactions -------------------------------------------
    @contextmanager
    def _cursor(self) -> Iterator[psycopg.Cursor]:
        conn = getattr(self._local, "conn", None)
        with _within_budget():
            if conn is not None:
                with conn.cursor() as cursor:
                    yield cursor
                return
            with self._pool.connection() as conn:
                _keep_budget(conn)
                with conn.cursor() as cursor:
                    yield cursor

    def _rows(self, sql: str, params: Sequence[object] | None = None) -> list[tuple]:
        with self._cursor() as cursor:
            cursor.execute(sql.encode() if params is None else sql, params)  # type: ignore[call-overload]
            return cursor.fetchall() if cursor.description else []

    def _run(self, sql: str, params: Sequence[object] | None = None) -> int:
        with self._cursor() as cursor:
            cursor.execute(sql.encode() if params is None else sql, params)  # type: ignore[call-overload]
            return cursor.rowcount

    # What the statements shared with SQLite (store/accounts.py, ...) run through, written in `dialect`.
    def _sql(self, sql: str, params: Sequence[object]) -> list[tuple]:
        return self._rows(sql, params)

    def _sql_run(self, sql: str, params: Sequence[object]) -> int:
        return self._run(sql, params)

    @contextmanager
    def transaction(self, lock: str = "papers") -> Iterator[None]:
        if getattr(self._local, "conn", None) is not None:
            yield  # nested: joins the outer transaction
            return
        with self._pool.connection() as conn:
            _keep_budget(conn)
            self._local.conn = conn
            try:
                with _within_budget(), conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCKS[lock],))
                    yield
            finally:
                self._local.conn = None

    def close(self) -> None:
        self._pool.close()

    # -- reads --------------------------------------------------------------------
    def added_on(self, ids: Sequence[str]) -> dict[str, date]:
        rows = self._rows(
            "SELECT id, (created_at AT TIME ZONE 'UTC')::date FROM papers WHERE id = ANY(%s)",
            (list(dict.fromkeys(ids)),),
        )
        return dict(rows)

    def latest(self, filters: Filters, limit: int, offset: int = 0, after: LatestKey | None = None) -> Ranking:
        condition, params = where(filters, POSTGRES)
        select = f"SELECT p.id, {_DAY} FROM papers p WHERE TRUE{condition}"
        if after is None:
            rows = self._rows(f"{select} {_NEWEST} LIMIT %s OFFSET %s", (*params, limit, offset))
        else:
            if offset:
                raise ValueError("latest: after or offset, not both")
            day, paper_id = after
            rows = []
            # The rest of the dated papers: a range of papers_latest, sought, not scanned. One row
            # comparison is one index condition; SQLite's day <= ? AND (day < ? OR pk < ?) made the planner
            # combine two bitmap scans and sort them.
            if day is not None:
                rows = self._rows(
                    f"{select} AND ({_DAY}, p.pk) < (%s, {_PK_OF}) {_NEWEST} LIMIT %s",
                    (*params, day, paper_id, limit),
                )
            if len(rows) < limit:  # then the undated papers, which come last
                below = f" AND p.pk < {_PK_OF}" if day is None else ""
                rows += self._rows(
                    f"{select} AND {_DAY} IS NULL{below} {_NEWEST} LIMIT %s",
                    (*params, *([paper_id] if day is None else []), limit - len(rows)),
                )
        # The score is the day as an ordinal, so newer is higher as in every other ranking.
        return [(pid, float(day.toordinal()) if isinstance(day, date) else 0.0) for pid, day in rows]
