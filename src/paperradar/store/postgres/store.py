"""PostgresStore: the server backend, for many web workers over one database."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from paperradar.errors import StoreError
from paperradar.models import CitationCount, Filters, Paper, normalise_arxiv_id, normalise_doi
from paperradar.store.accounts import AccountsMixin
from paperradar.store.base import Candidate, LatestKey, Ranking, Stats, system_now
from paperradar.store.batches import BatchReadsMixin
from paperradar.store.digest import DigestMixin
from paperradar.store.feed import FeedMixin
from paperradar.store.filters import where
from paperradar.store.live import LiveSourcesMixin
from paperradar.store.postgres.batches import PaperBatchesMixin
from paperradar.store.postgres.dialect import POSTGRES
from paperradar.store.postgres.feed import SignalBatchesMixin
from paperradar.store.postgres.lexical import LexicalMixin
from paperradar.store.postgres.migrate import apply_migrations, read_only
from paperradar.store.postgres.textsearch import TextSearchMixin
from paperradar.store.postgres.vectors import EF_SEARCH, VectorsMixin
from paperradar.store.rows import COLUMNS, PREFIXED, to_paper
from paperradar.store.text_index import TextIndex

_KEY_ORDER = {"arxiv": 0, "doi": 1, "title": 2}
_DAY = "COALESCE(p.listing_date, p.published)"
_NEWEST = f"ORDER BY {_DAY} DESC NULLS LAST, p.pk DESC"  # papers_latest's order
_PK_OF = "(SELECT pk FROM papers WHERE id = %s)"
POOL_SIZE = 8  # connections per process: a web worker's threads share them
# Writers take this lock first, as SQLite's BEGIN IMMEDIATE does: merging reads candidates and then
# inserts, so two imports of the same new paper at once must not both find nothing. Reads never wait.
_WRITE_LOCK = 0x7772697465  # "write"


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


class PostgresStore(
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
        if conn is not None:
            with conn.cursor() as cursor:
                yield cursor
            return
        with self._pool.connection() as conn, conn.cursor() as cursor:
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
    def transaction(self) -> Iterator[None]:
        if getattr(self._local, "conn", None) is not None:
            yield  # nested: joins the outer transaction
            return
        with self._pool.connection() as conn:
            self._local.conn = conn
            try:
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
                    yield
            finally:
                self._local.conn = None

    def close(self) -> None:
        self._pool.close()

    # -- identity and writes ----------------------------------------------------
    def candidates(self, arxiv_id: str | None, doi: str | None, title_fingerprint: str) -> list[Candidate]:
        keys = [f"title:{title_fingerprint}"]
        if arxiv_id:
            keys.append(f"arxiv:{arxiv_id}")
        if doi:
            keys.append(f"doi:{doi}")
        rows = self._rows(
            f"SELECT i.key, {PREFIXED} FROM identities i JOIN papers p ON p.pk = i.paper_pk "
            "WHERE i.key = ANY(%s) ORDER BY p.pk",
            (keys,),
        )
        found = [Candidate(to_paper(row[1:], POSTGRES), row[0].split(":", 1)[0]) for row in rows]
        found.sort(key=lambda c: _KEY_ORDER[c.matched_on])
        return found

    def identity_keys(self, paper_ids: Sequence[str]) -> dict[str, list[tuple[str, int | None]]]:
        found: dict[str, list[tuple[str, int | None]]] = {}
        rows = self._rows(
            "SELECT p.id, i.key, i.year FROM identities i JOIN papers p ON p.pk = i.paper_pk "
            "WHERE p.id = ANY(%s) ORDER BY p.pk, i.key",
            (list(dict.fromkeys(paper_ids)),),
        )
        for pid, key, year in rows:
            found.setdefault(pid, []).append((key, year))
        return found

    # -- reads --------------------------------------------------------------------
    def papers(self, ids: Sequence[str]) -> list[Paper]:
        if not ids:
            return []
        rows = self._rows(f"SELECT {COLUMNS} FROM papers WHERE id = ANY(%s)", (list(dict.fromkeys(ids)),))
        found = {paper.id: paper for paper in (to_paper(row, POSTGRES) for row in rows)}
        return [found[i] for i in ids if i in found]

    def newest_year(self, before: int) -> int | None:
        return self._rows("SELECT max(year) FROM papers WHERE year < %s", (before,))[0][0]

    def added_on(self, ids: Sequence[str]) -> dict[str, date]:
        rows = self._rows(
            "SELECT id, (created_at AT TIME ZONE 'UTC')::date FROM papers WHERE id = ANY(%s)",
            (list(dict.fromkeys(ids)),),
        )
        return dict(rows)

    def resolve(self, key: str) -> str | None:
        if rows := self._rows("SELECT id FROM papers WHERE id = %s", (key,)):
            return rows[0][0]
        lookups = []
        if arxiv_id := normalise_arxiv_id(key):
            lookups.append(f"arxiv:{arxiv_id}")
        if doi := normalise_doi(key):
            lookups.append(f"doi:{doi}")
        for lookup in lookups:
            rows = self._rows(
                "SELECT p.id FROM identities i JOIN papers p ON p.pk = i.paper_pk "
                "WHERE i.key = %s ORDER BY p.pk LIMIT 1",
                (lookup,),
            )
            if rows:
                return rows[0][0]
        return None

    def citation_history(self, paper_id: str) -> list[CitationCount]:
        rows = self._rows(
            "SELECT s.count, s.source, s.as_of FROM citation_snapshots s JOIN papers p ON p.pk = s.paper_pk "
            "WHERE p.id = %s ORDER BY s.as_of NULLS FIRST, s.source",
            (paper_id,),
        )
        return [CitationCount(c, s or None, d) for c, s, d in rows]

    def by_citations(self, filters: Filters, limit: int, offset: int = 0) -> Ranking:
        condition, params = where(filters, POSTGRES)
        rows = self._rows(
            f"SELECT p.id, p.citations FROM papers p WHERE p.citations IS NOT NULL{condition} "
            "ORDER BY p.citations DESC, p.pk LIMIT %s OFFSET %s",
            (*params, limit, offset),
        )
        return [(pid, float(c)) for pid, c in rows]

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
            if day is not None:  # the rest of the dated papers: a range of papers_latest, sought, not scanned
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

    def count(self, filters: Filters | None = None) -> int:
        condition, params = where(filters, POSTGRES)
        return int(self._rows(f"SELECT count(*) FROM papers p WHERE TRUE{condition}", params)[0][0])

    def meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = %s", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._rows(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def stats(self) -> Stats:
        row = self._rows(
            "SELECT count(*), count(NULLIF(abstract, '')), count(citations), count(arxiv_id), min(year), max(year) "
            "FROM papers"
        )[0]
        return Stats(row[0], row[1], row[2], row[3], (row[4], row[5]), self.location)

    def iter_papers(self, batch_size: int = 1000) -> Iterator[Paper]:
        last = 0
        while True:
            rows = self._rows(
                f"SELECT pk, {COLUMNS} FROM papers WHERE pk > %s ORDER BY pk LIMIT %s", (last, batch_size)
            )
            if not rows:
                return
            for row in rows:
                yield to_paper(row[1:], POSTGRES)
            last = rows[-1][0]
