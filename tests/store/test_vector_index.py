"""The vector index: two builds of the same vectors in the same order are the same graph."""

import numpy as np

from paperradar.store.vector_index import VectorIndex


def _vectors(count: int, dimensions: int) -> np.ndarray:
    found = np.random.default_rng(5).standard_normal((count, dimensions)).astype(np.float32)
    return found / np.linalg.norm(found, axis=1, keepdims=True)


def test_a_build_in_one_go_and_one_in_pieces_answer_every_search_alike():
    vectors, labels = _vectors(4000, 64), np.arange(1, 4001, dtype=np.int64)
    whole, again, pieces = VectorIndex("m", 64), VectorIndex("m", 64), VectorIndex("m", 64)
    whole.add(labels, vectors, last_seq=4000)
    again.add(labels, vectors, last_seq=4000)
    for part in np.array_split(np.arange(4000), 9):  # as an embedding run adds batch after batch
        pieces.add(labels[part], vectors[part], last_seq=int(part[-1]) + 1)
    queries = _vectors(400, 64) * 0.5 + vectors[:400] * 0.5
    for query in queries:
        assert whole.search(query, 20) == again.search(query, 20) == pieces.search(query, 20)
