"""What only the PostgreSQL store has: the HNSW walk, migrations bookkeeping, vector text, connection errors."""

from __future__ import annotations

import numpy as np
import pytest

from paperradar.embed import HashingEmbedder
from paperradar.errors import StoreError
from paperradar.ingest.embedding import embed_pending
from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Filters, Paper
from paperradar.store import open_store
from paperradar.store.postgres import vectors
from paperradar.store.postgres.migrate import migrations
from paperradar.store.postgres.store import redacted

TOPICS = ["graph neural networks", "image segmentation", "speech recognition", "protein folding", "robot grasping"]


@pytest.fixture
def store(postgres_url):
    from backends import _empty_postgres

    _empty_postgres(postgres_url)
    store = open_store(postgres_url)
    yield store
    store.close()


def test_the_hnsw_walk_honours_filters_and_exclusions(store, monkeypatch):
    with store.transaction():
        for i in range(300):
            topic = TOPICS[i % 5]
            upsert(store, Paper(
                title=f"{topic} study {i}", abstract=f"We study {topic} with method {i}.", year=2015 + i % 10,
                citations=CitationCount(i), code_url="https://github.com/x/y" if i % 3 == 0 else None,
            ))  # fmt: skip
    embedder = HashingEmbedder()
    embed_pending(store, embedder)
    vector = embedder.embed(["protein folding study"])[0]
    filters = Filters(year_from=2018, year_to=2019, has_code=True)
    exact = store.nearest(embedder.name, vector, 10, filters)
    monkeypatch.setattr(vectors, "SMALL_INDEX", 0)  # 0: walk the HNSW graph
    walked = store.nearest(embedder.name, vector, 10, filters)
    papers = store.papers([pid for pid, _ in walked])
    assert len(papers) == 10 and all(2018 <= p.year <= 2019 and p.code_url for p in papers)
    assert walked[0][1] == pytest.approx(exact[0][1])  # the same best score (near-twins tie on it)
    # The walk goes on in relaxed order; the store sorts what it found, best first.
    scores = [score for _, score in store.nearest(embedder.name, vector, 40, Filters(year_from=2023))]
    assert len(scores) == 40 and scores == sorted(scores, reverse=True)
    best = store.nearest(embedder.name, vector, 1)[0][0]
    assert best not in [pid for pid, _ in store.nearest(embedder.name, vector, 50, exclude=[best])]


def test_migrations_are_recorded_and_applied_once(store, postgres_url):
    import psycopg

    open_store(postgres_url).close()
    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute("SELECT number, name FROM paperradar_migrations ORDER BY number").fetchall()
    assert rows == [(number, name) for number, name, _ in migrations()]


def test_vectors_round_trip_exactly_and_any_size_is_searched(store):
    vector = np.random.default_rng(7).standard_normal(384).astype(np.float32)
    assert np.array_equal(vectors.from_text(vectors.to_text(vector)), vector)
    with store.transaction():
        (paper, _, _) = upsert(store, Paper(title="One"))
        store.put_embeddings("small", [(paper.id, "h", np.array([0.6, 0.8, 0.0], dtype=np.float32))])
    found = store.nearest("small", np.array([1.0, 0.0, 0.0], dtype=np.float32), 5)
    assert found == [(paper.id, pytest.approx(0.6))]


def test_the_password_never_shows_and_a_dead_server_is_a_clear_error():
    assert redacted("postgresql://me:secret@db.example:6543/radar") == "postgresql://me@db.example:6543/radar"
    with pytest.raises(StoreError, match="cannot open the database"):
        open_store("postgresql://nobody@127.0.0.1:1/nothing")


def _has_hnsw(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as conn:
        return bool(conn.execute("SELECT to_regclass('embeddings_hnsw') IS NOT NULL").fetchone()[0])


def test_a_bulk_vector_load_builds_the_hnsw_index_at_the_end_and_a_crashed_one_on_next_open(
    store, postgres_url, monkeypatch
):
    with store.transaction():
        for i in range(60):
            upsert(store, Paper(title=f"{TOPICS[i % 5]} study {i}", abstract=f"On {TOPICS[i % 5]}, method {i}."))
    embedder = HashingEmbedder()
    with store.bulk_vectors():
        embed_pending(store, embedder)
        assert not _has_hnsw(postgres_url)  # written without maintaining the graph
    assert _has_hnsw(postgres_url)
    monkeypatch.setattr(vectors, "SMALL_INDEX", 0)  # walk the rebuilt graph
    vector = embedder.embed(["protein folding study"])[0]
    walked = [pid for pid, _ in store.nearest(embedder.name, vector, 5)]
    assert all("protein folding" in p.title for p in store.papers(walked))

    with pytest.raises(KeyboardInterrupt), store.bulk_vectors():
        raise KeyboardInterrupt  # an interrupted load still ends with the index built
    assert _has_hnsw(postgres_url)
    store._run("DROP INDEX embeddings_hnsw")  # as a killed process would leave it
    open_store(postgres_url).close()
    assert _has_hnsw(postgres_url)


def test_the_keyword_index_beside_the_server_follows_writes_of_other_processes_and_a_remade_database(
    new_postgres_database, tmp_path
):
    from paperradar.search.query import parse

    url = new_postgres_database("bm25")
    writer, reader = open_store(url, tmp_path), open_store(url, tmp_path)  # two workers, one index folder
    try:
        with writer.transaction():
            upsert(writer, Paper(title="Quokka detection with attention", year=2024))
        writer.sync_text_index()  # the writer indexes what it wrote; the reader only reloads
        assert [p.title for p in reader.papers([pid for pid, _ in reader.lexical(parse("quokka"), 5)])] == [
            "Quokka detection with attention"
        ]
        assert len(list(tmp_path.glob("postgres-*.text"))) == 1
        with writer.transaction():
            upsert(writer, Paper(title="Quokka tracking in video", year=2025))
        writer.sync_text_index()
        assert len(reader.lexical(parse("quokka"), 5)) == 2
    finally:
        writer.close()
        reader.close()
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name}")
        conn.execute(f"CREATE DATABASE {name}")
        with psycopg.connect(url, autocommit=True) as fresh:
            fresh.execute("CREATE EXTENSION vector")
    remade = open_store(url, tmp_path)
    try:
        with remade.transaction():
            upsert(remade, Paper(title="Wombat burrows", year=2020))
        remade.sync_text_index()
        assert remade.lexical(parse("quokka"), 5) == []  # the old database's index is not this one's
        assert len(remade.lexical(parse("wombat"), 5)) == 1
    finally:
        remade.close()


def test_a_read_only_database_such_as_a_replica_serves_searches_and_a_behind_one_says_so(
    new_postgres_database, tmp_path
):
    import psycopg

    from paperradar.search.query import parse

    url = new_postgres_database("replica")
    store = open_store(url)
    with store.transaction():
        for i in range(20):
            upsert(store, Paper(title=f"{TOPICS[i % 5]} study {i}", abstract=f"On {TOPICS[i % 5]}.", year=2020))
    embedder = HashingEmbedder()
    embed_pending(store, embedder)
    store.close()
    read_only = "?options=-c%20default_transaction_read_only%3Don"  # as a hot standby refuses writes
    replica = open_store(url + read_only, tmp_path)
    try:
        assert replica.count() == 20
        assert len(replica.lexical(parse("protein folding"), 10)) == 4  # its keyword index built from the replica
        assert len(replica.nearest(embedder.name, embedder.embed(["speech recognition"])[0], 4)) == 4
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction), replica.transaction():
            upsert(replica, Paper(title="Never written"))
    finally:
        replica.close()
    behind = new_postgres_database("behind")
    with psycopg.connect(behind, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION vector")
    with pytest.raises(StoreError, match=r"read-only and lacks migrations 0001_schema\.sql") as caught:
        open_store(behind + read_only)
    assert "primary" in (caught.value.hint or "")


def test_a_first_embedding_loads_in_bulk_and_a_small_one_keeps_the_index(store, postgres_url, monkeypatch):
    from paperradar.ingest import embedding

    with store.transaction():
        for i in range(40):
            upsert(store, Paper(title=f"{TOPICS[i % 5]} study {i}", abstract=f"On {TOPICS[i % 5]}, method {i}."))
    monkeypatch.setattr(embedding, "BULK_VECTORS", 10)
    seen: list[bool] = []
    embedder = HashingEmbedder()
    embed_pending(store, embedder, batch=8, on_batch=lambda _: seen.append(_has_hnsw(postgres_url)))
    assert seen and not any(seen), "40 vectors where none were: written with the index dropped"
    assert _has_hnsw(postgres_url), "and the index built at the end"
    with store.transaction():
        for i in range(12):  # more than BULK_VECTORS, fewer than the 40 there are: upkeep the index
            upsert(store, Paper(title=f"later study {i}", abstract=f"A later method {i}."))
    seen.clear()
    embed_pending(store, embedder, batch=8, on_batch=lambda _: seen.append(_has_hnsw(postgres_url)))
    assert seen and all(seen)
    monkeypatch.setattr(vectors, "SMALL_INDEX", 0)  # walk the graph: every vector is in it
    vector = embedder.embed(["later study 3. A later method 3."])[0]
    assert store.papers([store.nearest(embedder.name, vector, 1)[0][0]])[0].title == "later study 3"
