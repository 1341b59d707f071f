"""Ranked keyword search: the tantivy index follows the database, in any process, and filters hold."""

import pytest

from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Filters, KeywordQuery, Paper
from paperradar.search.query import parse
from paperradar.store import bm25, open_store


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'lex.db'}"


def _add(store, *papers):
    """Write papers as an import does: commit, then index them (searches never write the index)."""
    with store.transaction():
        added = [upsert(store, p)[0] for p in papers]
    store.sync_text_index()
    return added


def test_new_and_changed_papers_are_found_from_another_process(store_url):
    writer, reader = open_store(store_url), open_store(store_url)
    try:
        _add(writer, Paper(title="Sparse winning tickets", abstract="pruning at init", arxiv_id="2001.00001"))
        assert [pid for pid, _ in reader.lexical(parse("tickets"), 5)] == ["2001.00001"]
        _add(writer, Paper(title="Sparse winning tickets", abstract="now about origami folding", arxiv_id="2001.00001"))
        assert reader.lexical(parse("pruning"), 5) == []
        assert [pid for pid, _ in reader.lexical(parse("origami"), 5)] == ["2001.00001"]
    finally:
        writer.close()
        reader.close()


def test_bm25_prefers_papers_with_more_of_the_words(store_url):
    store = open_store(store_url)
    try:
        _add(
            store,
            Paper(title="Robots that pollinate flowers", abstract="flower pose for robotic pollination", year=2025),
            Paper(title="Flowers in art", abstract="a history of painting", year=2025),
            Paper(title="Robot arms", abstract="grasping objects", year=2025),
        )
        top = store.papers([store.lexical(parse("robots pollinating flowers"), 3)[0][0]])[0]
        assert top.title == "Robots that pollinate flowers"
    finally:
        store.close()


def test_selective_filters_fall_back_to_an_exact_scan(store_url, monkeypatch):
    store = open_store(store_url)
    try:
        _add(
            store,
            *(Paper(title=f"graph networks {i}", year=2000 + i % 20, citations=CitationCount(i)) for i in range(200)),
        )
        monkeypatch.setattr(bm25, "RESTRICTED_DEPTH", 5)  # candidates run out before the filter is met
        found = store.lexical(KeywordQuery(terms=("graph",), filters=Filters(year_from=2019, year_to=2019)), 20)
        assert len(found) == 10 and all(p.year == 2019 for p in store.papers([pid for pid, _ in found]))
    finally:
        store.close()


def test_a_damaged_index_is_rebuilt_from_the_database(url, tmp_path):
    store = open_store(url)
    _add(store, Paper(title="Attention is what you need", year=2017))
    store.sync_text_index()
    store.close()
    for path in (tmp_path / "lex.db.text").iterdir():
        if path.is_file() and path.name.startswith("meta"):
            path.write_text("{not json")
    reopened = open_store(url)
    try:
        assert reopened.rebuild_text_index() == 1
        assert len(reopened.lexical(parse("attention"), 5)) == 1
    finally:
        reopened.close()
