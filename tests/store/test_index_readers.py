"""Searches read the indexes beside the database side by side and never write them: a search answers
while a writer is busy, many threads get what one thread gets, and only imports and syncs index."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from paperradar.ingest.importer import upsert
from paperradar.models import Paper
from paperradar.search.query import parse
from paperradar.store import open_store
from paperradar.store.text_index import TextIndex
from paperradar.store.vector_index import VectorIndex

# Generous bounds for a thread to finish something that takes milliseconds: reaching one means it
# was waiting on a lock, not that the machine is slow.
STUCK = 20


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


def _add(store, *papers: Paper) -> None:
    with store.transaction():
        for paper in papers:
            upsert(store, paper)


def test_a_search_never_writes_the_keyword_index_and_sees_what_a_writer_indexed(store_url, tmp_path):
    homes = tmp_path / "indexes"  # PostgreSQL's index folder on this machine; SQLite's sits beside the file
    writer, reader = open_store(store_url, homes), open_store(store_url, homes)
    try:
        _add(writer, Paper(title="Sparse winning tickets", abstract="pruning at init", arxiv_id="2001.00001"))
        writer.sync_text_index()
        assert [pid for pid, _ in reader.lexical(parse("tickets"), 5)] == ["2001.00001"]
        _add(writer, Paper(title="Origami robots", abstract="folding paper machines", arxiv_id="2001.00002"))
        folder = next(p for p in [*tmp_path.glob("*.text"), *homes.glob("*.text")])
        before = _files(folder)
        assert reader.lexical(parse("origami"), 5) == [], "not indexed until a writer indexes it"
        assert _files(folder) == before, "the search wrote the index"
        writer.sync_text_index()  # what an import or a sync does after its writes
        assert [pid for pid, _ in reader.lexical(parse("origami"), 5)] == ["2001.00002"]
        assert _files(folder) != before
    finally:
        writer.close()
        reader.close()


def test_a_keyword_search_answers_while_the_index_is_being_written(tmp_path):
    index = TextIndex(tmp_path / "papers.text")
    index.apply([(1, "graph neural networks"), (2, "protein folding")], 2)
    writing, release = threading.Event(), threading.Event()

    def slow_changes():  # a long catch-up: the writer holds the index while it reads the database
        writing.set()
        release.wait(STUCK * 2)
        yield 3, "graph transformers"

    writer = threading.Thread(target=index.apply, args=(slow_changes(), 3))
    writer.start()
    try:
        assert writing.wait(STUCK)
        found: list[list[tuple[int, float]]] = []
        search = threading.Thread(target=lambda: found.append(index.search(["graph"], 5)))
        search.start()
        search.join(STUCK)
        answered_while_writing = not search.is_alive()
    finally:
        release.set()
        writer.join(STUCK * 2)
    search.join(STUCK)
    assert answered_while_writing, "the search waited for the writer to finish"
    assert [pk for pk, _ in found[0]] == [1], "it answered from the last commit"
    assert sorted(pk for pk, _ in index.search(["graph"], 5)) == [1, 3]


def _vectors(count: int, dimensions: int = 32, seed: int = 7) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, dimensions)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_a_vector_search_runs_while_another_is_walking_the_graph():
    vectors = _vectors(3_000)
    index = VectorIndex("test", 32)
    index.add(np.arange(1, 3_001), vectors, 3_000)
    inner: list[list[tuple[int, float]]] = []
    second = threading.Thread(target=lambda: inner.append(index.search(vectors[5], 3)))
    waited: list[bool] = []

    def allowed(label: int) -> bool:  # called from inside the first walk
        if not waited:
            second.start()
            second.join(STUCK)
            waited.append(second.is_alive())
        return label % 2 == 0

    outer = index.search(vectors[0], 10, allowed=allowed)
    second.join(STUCK)
    assert waited == [False], "the second search waited for the first"
    assert inner[0][0][0] == 6  # vector 5 is label 6
    assert len(outer) == 10 and all(label % 2 == 0 for label, _ in outer)


def test_concurrent_searches_give_what_serial_ones_give(seeded_library):
    """Queries of different depths (whose walk effort differs) from many threads at once, on both backends."""
    store, embedder = seeded_library.store, seeded_library.embedder
    queries = ["graph neural networks", "protein folding", "speech recognition", "diffusion models", "robot"]
    cases = [(text, limit) for text in queries for limit in (5, 95, 300)]
    vectors = dict(zip(queries, embedder.embed(queries), strict=True))

    def run(case: tuple[str, int]) -> tuple[list, list]:
        text, limit = case
        return store.nearest(embedder.name, vectors[text], limit), store.lexical(parse(text), limit)

    serial = [run(case) for case in cases]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert list(pool.map(run, cases)) == serial


def test_deep_vector_searches_do_not_change_shallow_ones():
    """A query deeper than the walk's effort asks for more; the effort others walk with stays the same."""
    vectors = _vectors(6_000, seed=11)
    index = VectorIndex("test", 32)
    index.add(np.arange(1, 6_001), vectors, 6_000)
    shallow = [index.search(vectors[i], 10) for i in range(20)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        mixed = list(pool.map(lambda i: index.search(vectors[i % 20], 10 if i % 2 else 400), range(80)))
    assert [found for i, found in enumerate(mixed) if i % 2] == [shallow[i % 20] for i in range(80) if i % 2]
    assert all(len(found) == 400 for i, found in enumerate(mixed) if i % 2 == 0)
