"""The counts /api/stats shows are kept by the writes: they match a count of the table after inserts,
updates, deletes and an emptying, on both backends."""

from __future__ import annotations

from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Paper


def _scanned(store) -> tuple[int, int, int, int]:
    row = store._sql("SELECT count(*), count(NULLIF(abstract, '')), count(citations), count(arxiv_id) FROM papers", ())[
        0
    ]
    return tuple(int(n) for n in row)


def _kept(store) -> tuple[int, int, int, int]:
    stats = store.stats()
    return (stats.papers, stats.with_abstract, stats.with_citations, stats.with_arxiv_id)


def test_kept_counts_follow_every_kind_of_write(empty_store):
    store = empty_store
    assert _kept(store) == (0, 0, 0, 0) and store.stats().years == (None, None)
    with store.transaction():
        for n in range(5):
            upsert(store, Paper(title=f"Counted paper {n}", arxiv_id=f"2403.0000{n}" if n % 2 else None,
                                abstract="An abstract." if n < 3 else "", year=2020 + n))  # fmt: skip
    assert _kept(store) == _scanned(store) == (5, 3, 0, 2)
    assert store.stats().years == (2020, 2024)
    with store.transaction():  # a later read adds a count and an abstract, and an arXiv id to a paper
        upsert(store, Paper(title="Counted paper 4", year=2024, abstract="Now with words.", arxiv_id="2403.00004",
                            citations=CitationCount(7, "openalex")))  # fmt: skip
    assert _kept(store) == _scanned(store) == (5, 4, 1, 3)
    with store.transaction():
        store._sql_run("DELETE FROM papers WHERE year < 2022", ())
    assert _kept(store) == _scanned(store) == (3, 2, 1, 2)
    assert store.stats().years == (2022, 2024)
