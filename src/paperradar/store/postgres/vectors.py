"""Embeddings in pgvector, and nearest-neighbour search through the HNSW index inside the database.

A broad search walks the HNSW graph (with pgvector 0.8's iterative scan, so filters and exclusions
do not starve it); a small model, an `among` set or a filtered walk that came back short is answered
exactly by a sequential scan, so results never silently go missing.

The walk goes on in relaxed order and the candidates are sorted afterwards, as pgvector's documents
advise: in strict order a walk that must pass a filter re-walks the graph to keep every row in exact
distance order. At 1M vectors, a filter a third of the papers pass and 100 results, relaxed order
took 28-31 ms against 45-48 in strict order, and found more of the exact top 100 (a one-off timing
on the scale benchmark's database; `bench/vector_recall.py` measures recall on MiniLM's vectors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager

import numpy as np

from paperradar.models import Filters
from paperradar.store.base import PendingText, Ranking
from paperradar.store.filters import where
from paperradar.store.postgres.dialect import POSTGRES

# The vector size the HNSW index covers (migration 0001): all-MiniLM-L6-v2. Others are searched exactly.
INDEXED_DIMENSIONS = 384
# At most this many vectors of a model are scanned exactly: a millisecond or two, never an approximate miss.
SMALL_INDEX = 5_000
# Candidates the graph walk considers (pgvector's default is 40): recall close to 1 at 1M rows.
EF_SEARCH = 100
# The index as migration 0001 defines it; a bulk load drops it and this recreates it.
CREATE_HNSW = (
    "CREATE INDEX IF NOT EXISTS embeddings_hnsw ON embeddings "
    "USING hnsw ((vector::vector(384)) vector_cosine_ops) WHERE dimensions = 384"
)
# Building the graph in memory is many times faster than spilling it to disk. pgvector holds a 384-d
# vector and its neighbour lists in about 2.3 kB, so a build asks for what the rows need (PostgreSQL
# takes memory as the graph grows, not all at once), within these bounds.
BUILD_BYTES_PER_VECTOR = 3_000
BUILD_MEMORY_MB = (64, 16_384)


def to_text(vector: np.ndarray) -> str:
    """pgvector's text form; float32 values written in full round-trip exactly."""
    return "[" + ",".join(repr(x) for x in np.asarray(vector, dtype=np.float32).tolist()) + "]"


def from_text(text: str) -> np.ndarray:
    return np.array(text[1:-1].split(","), dtype=np.float32)


class VectorsMixin:
    """Embedding storage and vector search for PostgresStore; needs the host's `_rows` and `_run`."""

    _rows: Callable[..., list[tuple]]  # PostgresStore's: run a query, return its rows

    _run: Callable[..., int]  # PostgresStore's: run a statement, return the rows it touched

    transaction: Callable[[], AbstractContextManager[None]]  # PostgresStore's: one write transaction

    # Models seen with more vectors than SMALL_INDEX: counting that far on every search cost 3-7 ms
    # at 1M rows, and a model does not shrink back (were it to, the graph still answers, exactly
    # ordered). Per process; set by PostgresStore.
    _graph_models: set[str]

    # -- writes ---------------------------------------------------------------------
    def pending_embeddings(self, model: str, limit: int, after: str | None = None) -> list[PendingText]:
        """Papers without a vector from `model` (new, changed since, or embedded by another model)."""
        rows = self._rows(
            "SELECT p.id, p.title, p.abstract FROM papers p "
            "WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.paper_pk = p.pk AND e.model = %s) "
            "AND p.pk > COALESCE((SELECT pk FROM papers WHERE id = %s), 0) ORDER BY p.pk LIMIT %s",
            (model, after, limit),
        )
        return [PendingText(pid, title, abstract) for pid, title, abstract in rows]

    def count_pending_embeddings(self, model: str) -> int:
        rows = self._rows(
            "SELECT count(*) FROM papers p "
            "WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.paper_pk = p.pk AND e.model = %s)",
            (model,),
        )
        return int(rows[0][0])

    def put_embeddings(self, model: str, rows: Sequence[tuple[str, str, np.ndarray]]) -> int:
        """Store (paper id, text hash, vector) rows in one statement, replacing older vectors of this model."""
        latest: dict[str, tuple[str, str]] = {}
        for paper_id, text_hash, vector in rows:
            latest[paper_id] = (text_hash, to_text(vector))
        if not latest:
            return 0
        return self._run(
            "INSERT INTO embeddings (paper_pk, model, text_hash, vector) "
            "SELECT p.pk, %s, t.text_hash, t.vector::vector FROM unnest(%s::text[], %s::text[], %s::text[]) "
            "AS t (id, text_hash, vector) JOIN papers p ON p.id = t.id "
            "ON CONFLICT (paper_pk, model) DO UPDATE SET text_hash = excluded.text_hash, vector = excluded.vector",
            (model, list(latest), [h for h, _ in latest.values()], [v for _, v in latest.values()]),
        )

    @contextmanager
    def bulk_vectors(self) -> Iterator[None]:
        """Write many vectors without maintaining the HNSW index row by row (about 2.5 ms a vector
        here): drop it first and build it once at the end. Searches meanwhile are exact scans; an
        interrupted load leaves no index, which the next open of the store builds again."""
        self._run("DROP INDEX IF EXISTS embeddings_hnsw")
        try:
            yield
        finally:
            self.ensure_vector_index()

    def ensure_vector_index(self) -> None:
        """Build the HNSW index if it is missing (after a bulk load, or one that was interrupted)."""
        with self.transaction():  # the write lock: two processes opening at once build it once
            if self._rows("SELECT to_regclass('embeddings_hnsw') IS NOT NULL")[0][0]:
                return
            rows = int(self._rows("SELECT count(*) FROM embeddings WHERE dimensions = %s", (INDEXED_DIMENSIONS,))[0][0])
            low, high = BUILD_MEMORY_MB
            memory_mb = min(high, max(low, rows * BUILD_BYTES_PER_VECTOR // 2**20))
            self._run(f"SET LOCAL maintenance_work_mem = '{memory_mb:d}MB'")
            self._run(CREATE_HNSW)
            # Fresh statistics: right after a bulk load the planner still thinks the table small,
            # sorts every row instead of walking the new index (850 ms instead of 11 at 100k).
            self._run("ANALYZE papers, embeddings")

    def drop_embeddings_except(self, model: str) -> int:
        """Remove vectors of every other model (after a model change has been fully re-embedded)."""
        return self._run("DELETE FROM embeddings WHERE model <> %s", (model,))

    # -- reads ----------------------------------------------------------------------
    def embedding(self, model: str, paper_id: str) -> np.ndarray | None:
        return self.embeddings(model, [paper_id]).get(paper_id)

    def embeddings(self, model: str, paper_ids: Sequence[str]) -> dict[str, np.ndarray]:
        ids = list(dict.fromkeys(paper_ids))
        if not ids:
            return {}
        rows = self._rows(
            "SELECT p.id, e.vector::text FROM embeddings e JOIN papers p ON p.pk = e.paper_pk "
            "WHERE e.model = %s AND p.id = ANY(%s)",
            (model, ids),
        )
        return {pid: from_text(text) for pid, text in rows}

    def has_embeddings(self, model: str) -> bool:
        """Whether any paper has a vector from `model` (one index probe, not a count)."""
        return bool(self._rows("SELECT 1 FROM embeddings WHERE model = %s LIMIT 1", (model,)))

    def embedding_models(self) -> dict[str, int]:
        return {model: int(n) for model, n in self._rows("SELECT model, count(*) FROM embeddings GROUP BY model")}

    def _model_size(self, model: str, bound: int) -> int:
        """How many vectors the model has, counted no further than `bound` (cheap on any size)."""
        rows = self._rows(
            "SELECT count(*) FROM (SELECT 1 FROM embeddings WHERE model = %s LIMIT %s) AS s", (model, bound)
        )
        return int(rows[0][0])

    def _through_graph(self, model: str) -> bool:
        """Whether the model has enough vectors that its searches walk the HNSW graph."""
        if model not in self._graph_models and self._model_size(model, SMALL_INDEX + 1) > SMALL_INDEX:
            self._graph_models.add(model)
        return model in self._graph_models

    def nearest(
        self,
        model: str,
        vector: np.ndarray,
        limit: int,
        filters: Filters | None = None,
        exclude: Sequence[str] = (),
        among: Sequence[str] | None = None,
    ) -> Ranking:
        """Papers by cosine similarity of their `model` vectors to `vector`, filtered, best first."""
        if limit <= 0:
            return []
        condition, params = where(filters, POSTGRES)
        query = to_text(vector)
        restrict, restrict_params = condition, list(params)
        if exclude:
            restrict += " AND NOT (p.id = ANY(%s))"
            restrict_params.append(list(exclude))
        if among is not None:
            restrict += " AND p.id = ANY(%s)"
            restrict_params.append(list(among))
        dimensions = int(vector.shape[0])
        exact = among is not None or dimensions != INDEXED_DIMENSIONS or not self._through_graph(model)
        if not exact:
            found = self._search(model, query, dimensions, limit, restrict, restrict_params, exact=False)
            if len(found) == limit or not restrict:
                return found
        return self._search(model, query, dimensions, limit, restrict, restrict_params, exact=True)

    def _search(
        self, model: str, query: str, dimensions: int, limit: int, restrict: str, params: list[object], exact: bool
    ) -> Ranking:
        # The distance as the partial HNSW index is defined, so the planner can walk it; exact
        # searches add `+ 0`, which keeps the planner off the index (it only orders by the bare distance).
        distance = f"(e.vector::vector({dimensions:d}) <=> %s::vector({dimensions:d}))"
        order = f"{distance} + 0, p.pk" if exact else distance
        select = (
            f"SELECT p.id, p.pk, {distance} AS distance FROM embeddings e JOIN papers p ON p.pk = e.paper_pk "
            f"WHERE e.model = %s AND e.dimensions = %s{restrict} ORDER BY {order} LIMIT %s"
        )
        # MATERIALIZED: the walk (relaxed order, see the module's note) runs to its LIMIT first;
        # only then are its rows put in exact order, ties by key as the exact scan has them.
        rows = self._rows(
            f"WITH nearest AS MATERIALIZED ({select}) SELECT id, 1 - distance FROM nearest ORDER BY distance, pk",
            (query, model, dimensions, *params, query, limit),
        )
        return [(pid, float(score)) for pid, score in rows]

    # The HNSW index is maintained by PostgreSQL on every write: syncing is a count, a rebuild drops
    # and builds the index afresh (as a bulk load does), and nothing is saved beside the database.
    def rebuild_vector_index(self, model: str, dimensions: int) -> int:
        with self.bulk_vectors():  # a fresh build in memory, faster than REINDEX's
            pass
        return self._model_size(model, 2**62)

    def sync_vector_index(self, model: str, dimensions: int) -> int:
        return self._model_size(model, 2**62)

    def save_vector_indexes(self) -> None:
        return None
