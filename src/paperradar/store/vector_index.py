"""An approximate-nearest-neighbour index over unit vectors (hnswlib), persisted as files.

Labels are the store's internal paper keys. The index remembers the last embedding row it has seen
(`seq`), so a store can bring it up to date by adding only rows written since, by any process.
Files are written whole under a temporary name and renamed, and carry that seq in their name, so a
reader never sees half a file and a crash never leaves an index that claims rows it lacks.

Searches run side by side: hnswlib's knn_query is safe beside other queries but not beside
add_items, so adds (and swapping the graph) wait for running searches and searches for adds. The
search effort (ef) is set once per graph and never changed by a query: hnswlib walks with
max(ef, k) candidates, so a query wanting more than ef asks for k + 10 and keeps the first k.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import hnswlib
import numpy as np

# Graph degree and build effort: recall@10 above 0.99 on MiniLM vectors of paper abstracts.
M = 16
EF_CONSTRUCTION = 200
EF_SEARCH_MIN = 100
# A walk keeps this many candidates beyond k when k reaches EF_SEARCH_MIN (as ef = k + 10 did).
EF_MARGIN = 10
# Vectors go into the graph one thread at a time: hnswlib's parallel inserts race, so two builds of
# the same vectors would make different graphs and answer some searches differently. With one
# thread the graph depends only on the vectors and their order, so a copied database, or the same
# corpus on another machine, searches alike. It costs ~1.5x the build time on two cores.
BUILD_THREADS = 1
_FILE = re.compile(r"^(?P<model>.+)-(?P<seq>\d+)\.hnsw$")


def _safe(model: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.]+", "_", model)


class SharedLock:
    """Many holders of `shared` at once, or one holder of `exclusive`."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._changed:
            while self._writing:
                self._changed.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._changed:
            while self._writing or self._readers:
                self._changed.wait()
            self._writing = True
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()


class VectorIndex:
    """hnswlib's HNSW graph with inner-product similarity (vectors are unit length: cosine)."""

    def __init__(self, model: str, dimensions: int, folder: Path | None = None) -> None:
        self.model = model
        self.dimensions = dimensions
        self.folder = folder
        self.last_seq = 0
        self.dirty = False
        self._lock = SharedLock()
        self._index = hnswlib.Index(space="ip", dim=dimensions)
        self._index.init_index(max_elements=1024, ef_construction=EF_CONSTRUCTION, M=M, allow_replace_deleted=False)
        self._index.set_ef(EF_SEARCH_MIN)

    # -- persistence --------------------------------------------------------------
    def _files(self) -> list[tuple[int, Path]]:
        if self.folder is None or not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.iterdir():
            match = _FILE.match(path.name)
            if match and match.group("model") == _safe(self.model):
                found.append((int(match.group("seq")), path))
        return sorted(found)

    def load(self) -> bool:
        """Load the newest saved index for this model; False when there is none (or it is unreadable)."""
        for seq, path in reversed(self._files()):
            index = hnswlib.Index(space="ip", dim=self.dimensions)
            try:
                index.load_index(str(path), max_elements=0)
            except (RuntimeError, OSError):
                continue  # a damaged file: fall back to an older one, or a rebuild
            index.set_ef(EF_SEARCH_MIN)
            with self._lock.exclusive():
                self._index, self.last_seq, self.dirty = index, seq, False
            return True
        return False

    def save(self) -> Path | None:
        """Write the index if it changed since loaded; older files of this model are removed after."""
        if self.folder is None or not self.dirty:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock.shared():  # no add meanwhile; searches may go on
            path = self.folder / f"{_safe(self.model)}-{self.last_seq}.hnsw"
            partial = path.with_suffix(".hnsw.partial")
            self._index.save_index(str(partial))
            partial.replace(path)
            self.dirty = False
        for seq, old in self._files():
            if seq < self.last_seq:
                with contextlib.suppress(OSError):
                    old.unlink()
        return path

    def clear(self) -> None:
        """Forget every vector (before a rebuild)."""
        with self._lock.exclusive():
            self._index = hnswlib.Index(space="ip", dim=self.dimensions)
            self._index.init_index(max_elements=1024, ef_construction=EF_CONSTRUCTION, M=M)
            self._index.set_ef(EF_SEARCH_MIN)
            self.last_seq = 0
            self.dirty = True

    # -- writes and reads ---------------------------------------------------------
    def add(self, labels: np.ndarray, vectors: np.ndarray, last_seq: int) -> None:
        """Add or replace vectors (a label already present gets the new vector)."""
        with self._lock.exclusive():
            if len(labels):
                needed = self._index.get_current_count() + len(labels)
                if needed > self._index.get_max_elements():
                    self._index.resize_index(max(needed, 2 * self._index.get_max_elements()))
                self._index.add_items(
                    np.asarray(vectors, dtype=np.float32), np.asarray(labels, dtype=np.int64), num_threads=BUILD_THREADS
                )
            self.last_seq = max(self.last_seq, last_seq)
            self.dirty = True

    def __len__(self) -> int:
        return self._index.get_current_count()

    def search(
        self, vector: np.ndarray, k: int, allowed: Callable[[int], bool] | None = None
    ) -> list[tuple[int, float]]:
        """Up to k (label, cosine) pairs, most similar first; `allowed` filters labels during the walk."""
        with self._lock.shared():
            count = self._index.get_current_count()
            if count == 0 or k <= 0:
                return []
            k = min(k, count)
            walk = min(count, k + EF_MARGIN) if k + EF_MARGIN > EF_SEARCH_MIN else k
            try:
                labels, distances = self._index.knn_query(vector.reshape(1, -1), k=walk, filter=allowed)
            except RuntimeError:  # fewer than `walk` labels pass the filter
                return self._search_exhaustive(vector, k, allowed)
        pairs = zip(labels[0][:k], distances[0][:k], strict=True)
        return [(int(label), 1.0 - float(distance)) for label, distance in pairs]

    def _search_exhaustive(
        self, vector: np.ndarray, k: int, allowed: Callable[[int], bool] | None
    ) -> list[tuple[int, float]]:
        labels = np.asarray(self._index.get_ids_list(), dtype=np.int64)
        if allowed is not None:
            labels = np.asarray([label for label in labels if allowed(int(label))], dtype=np.int64)
        return exact(vector, labels, self.vectors(labels), k)

    def vectors(self, labels: np.ndarray) -> np.ndarray:
        """The stored vectors for labels that are present (callers pass only those)."""
        if len(labels) == 0:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock.shared():
            return np.asarray(self._index.get_items(np.asarray(labels, dtype=np.int64)), dtype=np.float32)

    def labels(self) -> list[int]:
        with self._lock.shared():
            return list(self._index.get_ids_list())


def exact(vector: np.ndarray, labels: np.ndarray, vectors: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Exact top-k by cosine over a (small) candidate set."""
    if len(labels) == 0:
        return []
    scores = vectors @ vector.astype(np.float32)
    k = min(k, len(labels))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.lexsort((labels[top], -scores[top]))]
    return [(int(labels[i]), float(scores[i])) for i in top]
