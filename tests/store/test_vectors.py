"""Vector search in the SQLite store: exact and approximate agree, filters hold, the index persists."""

import numpy as np
import pytest

from paperradar.embed import HashingEmbedder
from paperradar.ingest.embedding import embed_pending
from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Filters, Paper
from paperradar.store import open_store
from paperradar.store.sqlite import vectors as sqlite_vectors

TOPICS = ["graph neural networks", "image segmentation", "speech recognition", "protein folding", "robot grasping"]


@pytest.fixture
def corpus(tmp_path):
    """300 papers over five topics, embedded with the hashing stand-in."""
    url = f"sqlite:///{tmp_path / 'v.db'}"
    store = open_store(url)
    with store.transaction():
        for i in range(300):
            topic = TOPICS[i % 5]
            upsert(store, Paper(
                title=f"{topic} study {i}", abstract=f"We study {topic} with method {i}.", year=2015 + i % 10,
                categories=[f"cs.{'LG' if i % 2 else 'CV'}"], citations=CitationCount(i),
                code_url="https://github.com/x/y" if i % 3 == 0 else None,
            ))  # fmt: skip
    embed_pending(store, HashingEmbedder())
    yield store, url
    store.close()


def _brute_force(store, vector):
    embedder = HashingEmbedder()
    scores = [float(store.embedding(embedder.name, paper.id) @ vector) for paper in store.iter_papers()]
    return sorted(scores, reverse=True)


@pytest.mark.parametrize("small_index", [sqlite_vectors.SMALL_INDEX, 0])
def test_nearest_agrees_with_a_brute_force_scan(corpus, monkeypatch, small_index):
    store, _ = corpus
    monkeypatch.setattr(sqlite_vectors, "SMALL_INDEX", small_index)  # 0: walk the HNSW graph
    vector = HashingEmbedder().embed(["graph neural networks study 7 with method"])[0]
    found = [score for _, score in store.nearest(HashingEmbedder().name, vector, 10)]
    # Many papers tie on score, so compare scores, not which of the tied papers came.
    expected = _brute_force(store, vector)[:10]
    if small_index:
        assert np.allclose(found, expected, atol=1e-5)
    else:  # approximate, on 300 near-twins: the best is found, the rest are close
        assert abs(found[0] - expected[0]) < 1e-5 and np.mean(np.abs(np.array(found) - expected)) < 0.05


def test_filters_hold_in_exact_and_graph_search(corpus, monkeypatch):
    store, _ = corpus
    embedder = HashingEmbedder()
    vector = embedder.embed(["protein folding"])[0]
    filters = Filters(year_from=2018, year_to=2019, has_code=True)
    exact = store.nearest(embedder.name, vector, 20, filters)
    monkeypatch.setattr(sqlite_vectors, "EXACT_SEARCH_MAX", 0)  # force the filtered graph walk
    walked = store.nearest(embedder.name, vector, 20, filters)
    for ranking in (exact, walked):
        papers = store.papers([pid for pid, _ in ranking])
        assert papers and all(2018 <= p.year <= 2019 and p.code_url for p in papers)
    assert [pid for pid, _ in exact][:5] == [pid for pid, _ in walked][:5]


@pytest.mark.parametrize("filters", [Filters(year_from=2016), Filters(year_from=2023, has_code=True)])
def test_a_broad_filter_takes_the_best_of_a_deeper_walk_and_a_narrow_one_still_gets_its_fill(
    corpus, monkeypatch, filters
):
    store, _ = corpus
    embedder = HashingEmbedder()
    vector = embedder.embed(["speech recognition"])[0]
    exact = store.nearest(embedder.name, vector, 10, filters)
    monkeypatch.setattr(sqlite_vectors, "SMALL_INDEX", 0)  # 0: walk the HNSW graph
    monkeypatch.setattr(sqlite_vectors, "WALK_DEPTH", 40)  # 90 % pass the broad filter, 7 % the narrow
    walked = store.nearest(embedder.name, vector, 10, filters, exclude=[exact[0][0]])
    papers = store.papers([pid for pid, _ in walked])
    assert len(papers) == 10 and all(p.year >= filters.year_from for p in papers)
    assert exact[0][0] not in [p.id for p in papers]
    assert [s for _, s in walked][:5] == pytest.approx([s for _, s in exact][1:6], abs=1e-5)


def test_the_paper_itself_can_be_excluded(corpus):
    store, _ = corpus
    embedder = HashingEmbedder()
    pid = next(store.iter_papers()).id
    vector = store.embedding(embedder.name, pid)
    assert store.nearest(embedder.name, vector, 1)[0][0] == pid
    assert pid not in [p for p, _ in store.nearest(embedder.name, vector, 50, exclude=[pid])]


def test_the_index_is_saved_and_a_second_process_catches_up(corpus):
    store, url = corpus
    embedder = HashingEmbedder()
    store.sync_vector_index(embedder.name, embedder.dimensions)
    folder = sqlite_vectors.VectorsMixin._index_folder(store)
    assert any(folder.glob("*.hnsw")), "the index is persisted beside the database"
    other = open_store(url)  # another process: loads the saved index
    try:
        with store.transaction():
            upsert(store, Paper(title="A unique paper on quantum origami", year=2024))
        embed_pending(store, embedder)
        vector = embedder.embed(["quantum origami"])[0]
        top = other.nearest(embedder.name, vector, 1)
        assert other.papers([top[0][0]])[0].title == "A unique paper on quantum origami"
    finally:
        other.close()


def test_a_damaged_index_file_is_rebuilt_from_the_database(corpus, tmp_path):
    store, url = corpus
    embedder = HashingEmbedder()
    store.sync_vector_index(embedder.name, embedder.dimensions)
    store.close()
    for path in sqlite_vectors.VectorsMixin._index_folder(store).glob("*.hnsw"):
        path.write_bytes(b"not an index")
    reopened = open_store(url)
    try:
        vector = embedder.embed(["robot grasping"])[0]
        assert len(reopened.nearest(embedder.name, vector, 10)) == 10
        assert reopened.rebuild_vector_index(embedder.name, embedder.dimensions) == 300
    finally:
        reopened.close()


def test_vectors_round_trip_as_little_endian_float32():
    vector = np.arange(4, dtype=np.float32) / 7
    assert np.array_equal(sqlite_vectors.from_blob(sqlite_vectors.to_blob(vector)), vector)
    with pytest.raises(ValueError, match="dimensions"):
        sqlite_vectors.from_blob(sqlite_vectors.to_blob(vector), dimensions=3)


class _Recording:
    """A store connection that keeps each statement with its parameters, as SQLite plans them."""

    def __init__(self, connection):
        self.connection, self.statements = connection, []

    def execute(self, sql, parameters=()):
        self.statements.append((sql, tuple(parameters)))
        return self.connection.execute(sql, parameters)


def _plan_of(store, monkeypatch, call, marker: str) -> str:
    """SQLite's plan for the one statement of `call` that contains `marker`."""
    recording = _Recording(store._conn())
    monkeypatch.setattr(store, "_conn", lambda: recording)
    call()
    monkeypatch.undo()
    ((sql, parameters),) = [(sql, p) for sql, p in recording.statements if marker in sql]
    return " / ".join(row[3] for row in recording.connection.execute("EXPLAIN QUERY PLAN " + sql, parameters))


def test_reading_many_papers_vectors_looks_each_one_up_instead_of_walking_them_all(corpus, monkeypatch):
    # Copies, recommendations and similar papers read vectors by the hundred. Left to choose its join
    # order, SQLite walked every vector of the model for 50 ids or more (1.9 s per 500 at 1M papers).
    store, _ = corpus
    embedder = HashingEmbedder()
    ids = [paper.id for paper in store.iter_papers()][:200]
    found = store.embeddings(embedder.name, ids)
    assert sorted(found) == sorted(ids)
    assert all(np.array_equal(found[pid], store.embedding(embedder.name, pid)) for pid in ids[:5])
    plan = _plan_of(store, monkeypatch, lambda: store.embeddings(embedder.name, ids), "e.vector")
    assert plan.startswith("SEARCH p USING COVERING INDEX") and "embeddings_model_seq" not in plan, plan
