"""Embeddings in SQLite, and nearest-neighbour search through a vector index kept beside the file.

The `embeddings` table is the truth; the index (store/vector_index.py) is a cache of it that any
process brings up to date by reading the rows written since the index's last seq. A filtered
search with few candidates is answered exactly; a broad one walks the graph with the filter.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import numpy as np

from paperradar.models import Filters
from paperradar.store.base import PendingText, Ranking
from paperradar.store.filters import where
from paperradar.store.sqlite.dialect import SQLITE
from paperradar.store.vector_index import VectorIndex, exact

# Below this many candidates an exact scan (one matrix product) beats walking a filtered graph.
EXACT_SEARCH_MAX = 20_000
# A whole index this small is scanned exactly too: a millisecond or two, and never an approximate miss.
SMALL_INDEX = 5_000
_BATCH = 5_000
# A filtered search first takes the best of this many walked neighbours that pass the filter.
WALK_DEPTH = 400


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blob(blob: bytes, dimensions: int | None = None) -> np.ndarray:
    vector = np.frombuffer(blob, dtype="<f4")
    if dimensions is not None and vector.shape[0] != dimensions:
        raise ValueError(f"stored vector has {vector.shape[0]} dimensions, expected {dimensions}")
    return vector


class VectorsMixin:
    """Embedding storage and vector search for SQLiteStore (which provides `_conn` and `location`)."""

    location: str
    _indexes: dict[str, VectorIndex]
    _indexes_lock: threading.Lock

    _conn: Callable[[], sqlite3.Connection]  # SQLiteStore's: this thread's connection

    def _index_folder(self) -> Path | None:
        if self.location == ":memory:":
            return None
        return Path(self.location).expanduser().with_name(Path(self.location).name + ".vectors")

    # -- writes ---------------------------------------------------------------------
    def pending_embeddings(self, model: str, limit: int, after: str | None = None) -> list[PendingText]:
        """Papers without a vector from `model` (new, changed since, or embedded by another model)."""
        after_pk = 0
        if after is not None:
            row = self._conn().execute("SELECT pk FROM papers WHERE id = ?", (after,)).fetchone()
            after_pk = row[0] if row else 0
        rows = self._conn().execute(
            "SELECT p.id, p.title, p.abstract FROM papers p "
            "LEFT JOIN embeddings e ON e.paper_pk = p.pk AND e.model = ? "
            "WHERE e.paper_pk IS NULL AND p.pk > ? ORDER BY p.pk LIMIT ?",
            (model, after_pk, limit),
        )
        return [PendingText(pid, title, abstract) for pid, title, abstract in rows]

    def count_pending_embeddings(self, model: str) -> int:
        return (
            self._conn()
            .execute(
                "SELECT count(*) FROM papers p LEFT JOIN embeddings e ON e.paper_pk = p.pk AND e.model = ? "
                "WHERE e.paper_pk IS NULL",
                (model,),
            )
            .fetchone()[0]
        )

    def put_embeddings(self, model: str, rows: Sequence[tuple[str, str, np.ndarray]]) -> int:
        """Store (paper id, text hash, vector) rows, replacing a paper's older vector from this model."""
        conn = self._conn()
        written = 0
        for paper_id, text_hash, vector in rows:
            pk = conn.execute("SELECT pk FROM papers WHERE id = ?", (paper_id,)).fetchone()
            if pk is None:
                continue  # the paper is gone; nothing to attach the vector to
            # Delete, then insert: the new row gets a new seq, which is how indexes learn of the change.
            conn.execute("DELETE FROM embeddings WHERE paper_pk = ? AND model = ?", (pk[0], model))
            conn.execute(
                "INSERT INTO embeddings (paper_pk, model, text_hash, vector) VALUES (?, ?, ?, ?)",
                (pk[0], model, text_hash, to_blob(vector)),
            )
            written += 1
        return written

    def drop_embeddings_except(self, model: str) -> int:
        """Remove vectors of every other model (after a model change has been fully re-embedded)."""
        return self._conn().execute("DELETE FROM embeddings WHERE model != ?", (model,)).rowcount

    # -- reads ----------------------------------------------------------------------
    def embedding(self, model: str, paper_id: str) -> np.ndarray | None:
        row = (
            self._conn()
            .execute(
                "SELECT e.vector FROM papers p CROSS JOIN embeddings e ON e.paper_pk = p.pk "
                "WHERE p.id = ? AND e.model = ?",
                (paper_id, model),
            )
            .fetchone()
        )
        return from_blob(row[0]) if row else None

    def embeddings(self, model: str, paper_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of these papers (those that have one)."""
        found: dict[str, np.ndarray] = {}
        ids = list(dict.fromkeys(paper_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            # CROSS JOIN keeps SQLite's join order: papers by id, then each one's vector. Left to
            # choose, from ~50 ids on it walked every vector of the model instead (1M vectors: 1.9 s
            # for 500 ids instead of milliseconds; the database has no statistics to tell it better).
            rows = self._conn().execute(
                f"SELECT p.id, e.vector FROM papers p CROSS JOIN embeddings e ON e.paper_pk = p.pk "
                f"WHERE e.model = ? AND p.id IN ({marks})",
                (model, *chunk),
            )
            found.update((pid, from_blob(blob)) for pid, blob in rows)
        return found

    def has_embeddings(self, model: str) -> bool:
        """Whether any paper has a vector from `model` (one index probe, not a count)."""
        row = self._conn().execute("SELECT 1 FROM embeddings WHERE model = ? LIMIT 1", (model,)).fetchone()
        return row is not None

    def embedding_models(self) -> dict[str, int]:
        """How many vectors each model has stored."""
        return dict(self._conn().execute("SELECT model, count(*) FROM embeddings GROUP BY model").fetchall())

    def _rows_since(self, model: str, seq: int) -> Iterator[tuple[np.ndarray, np.ndarray, int]]:
        """(labels, vectors, last seq) batches of embeddings written after `seq`."""
        while True:
            rows = (
                self._conn()
                .execute(
                    "SELECT seq, paper_pk, vector FROM embeddings WHERE model = ? AND seq > ? ORDER BY seq LIMIT ?",
                    (model, seq, _BATCH),
                )
                .fetchall()
            )
            if not rows:
                return
            labels = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
            vectors = np.frombuffer(b"".join(r[2] for r in rows), dtype="<f4").reshape(len(rows), -1)
            seq = rows[-1][0]
            yield labels, vectors, seq

    def vector_index(self, model: str, dimensions: int) -> VectorIndex:
        """The model's index, loaded from disk (or built) once per process and brought up to date."""
        with self._indexes_lock:
            index = self._indexes.get(model)
            if index is None or index.dimensions != dimensions:
                index = VectorIndex(model, dimensions, self._index_folder())
                index.load()
                self._indexes[model] = index
        newest = self._conn().execute("SELECT max(seq) FROM embeddings WHERE model = ?", (model,)).fetchone()[0]
        if newest is not None and newest > index.last_seq:
            for labels, vectors, seq in self._rows_since(model, index.last_seq):
                index.add(labels, vectors, seq)
        return index

    def rebuild_vector_index(self, model: str, dimensions: int) -> int:
        """Build the model's index from the stored vectors and save it; returns how many it holds."""
        index = self.vector_index(model, dimensions)
        index.clear()
        for labels, vectors, seq in self._rows_since(model, 0):
            index.add(labels, vectors, seq)
        index.dirty = True
        index.save()
        return len(index)

    def bulk_vectors(self) -> AbstractContextManager[None]:
        # The index beside the file already catches up in batches from the table at the next sync.
        return nullcontext()

    def sync_vector_index(self, model: str, dimensions: int) -> int:
        index = self.vector_index(model, dimensions)
        index.save()
        return len(index)

    def save_vector_indexes(self) -> None:
        for index in list(self._indexes.values()):
            index.save()

    def nearest(
        self,
        model: str,
        vector: np.ndarray,
        limit: int,
        filters: Filters | None = None,
        exclude: Sequence[str] = (),
        among: Sequence[str] | None = None,
    ) -> Ranking:
        """Papers whose vectors are most similar to `vector` (cosine), filtered, best first;
        `among` restricts the search to those papers (searched exactly)."""
        index = self.vector_index(model, int(vector.shape[0]))
        excluded = self._pks(exclude)
        condition, params = where(filters, SQLITE)
        if among is not None:
            candidates = self._pks(among)
            if condition:
                candidates &= self._filtered_pks(model, condition, params)
            present = set(index.labels())  # one call, not one index probe per candidate
            labels = np.fromiter((pk for pk in candidates if pk not in excluded and pk in present), dtype=np.int64)
            return self._to_ids(exact(vector, labels, index.vectors(labels), limit))
        if condition:
            # A filter that passes many papers: the best of a deeper walk that pass it are the
            # answer, found without listing every paper that passes (~0.5 s for 300k at 1M papers).
            if len(index) > SMALL_INDEX and (
                found := self._walk_then_filter(index, vector, limit, condition, params, excluded)
            ):
                return self._to_ids(found)
            candidates = self._filtered_pks(model, condition, params)
            if len(candidates) <= EXACT_SEARCH_MAX:
                labels = np.fromiter((pk for pk in candidates if pk not in excluded), dtype=np.int64)
                found = exact(vector, labels, index.vectors(labels), limit)
                return self._to_ids(found)
            allowed_set = candidates - excluded
            found = index.search(vector, limit, allowed=lambda label: label in allowed_set)
        elif len(index) <= SMALL_INDEX:
            labels = np.asarray([label for label in index.labels() if label not in excluded], dtype=np.int64)
            found = exact(vector, labels, index.vectors(labels), limit)
        elif excluded:
            found = index.search(vector, limit, allowed=lambda label: label not in excluded)
        else:
            found = index.search(vector, limit)
        return self._to_ids(found)

    def _walk_then_filter(
        self,
        index: VectorIndex,
        vector: np.ndarray,
        limit: int,
        condition: str,
        params: list[object],
        excluded: set[int],
    ) -> list[tuple[int, float]] | None:
        """The top `limit` passing the filter among the walk's best WALK_DEPTH, or None if fewer pass."""
        walked = [(pk, score) for pk, score in index.search(vector, max(limit * 20, WALK_DEPTH)) if pk not in excluded]
        passing: set[int] = set()
        for start in range(0, len(walked), 500):
            chunk = [pk for pk, _ in walked[start : start + 500]]
            marks = ",".join("?" * len(chunk))
            rows = self._conn().execute(
                f"SELECT p.pk FROM papers p WHERE p.pk IN ({marks}){condition}", (*chunk, *params)
            )
            passing.update(row[0] for row in rows)
        found = [(pk, score) for pk, score in walked if pk in passing][:limit]
        return found if len(found) == limit else None

    def _filtered_pks(self, model: str, condition: str, params: list[object]) -> set[int]:
        # EXISTS probes the (paper_pk, model) index; a join read the vector rows (1 s for 30k at 100k papers).
        rows = self._conn().execute(
            f"SELECT p.pk FROM papers p WHERE 1{condition} "
            "AND EXISTS (SELECT 1 FROM embeddings e WHERE e.paper_pk = p.pk AND e.model = ?)",
            (*params, model),
        )
        return {row[0] for row in rows}

    def _pks(self, ids: Sequence[str]) -> set[int]:
        found: set[int] = set()
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self._conn().execute(f"SELECT pk FROM papers WHERE id IN ({marks})", chunk))
        return found

    def _to_ids(self, found: list[tuple[int, float]]) -> Ranking:
        if not found:
            return []
        marks = ",".join("?" * len(found))
        ids = dict(
            self._conn().execute(f"SELECT pk, id FROM papers WHERE pk IN ({marks})", [pk for pk, _ in found]).fetchall()
        )
        return [(ids[pk], score) for pk, score in found if pk in ids]
