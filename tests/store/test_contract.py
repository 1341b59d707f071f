"""The store contract: every backend (SQLite, PostgreSQL) answers the same calls the same way."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from paperradar.embed import HashingEmbedder
from paperradar.ingest.embedding import embed_pending
from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Filters, KeywordQuery, Paper
from paperradar.search.query import parse
from paperradar.service import Library
from paperradar.settings import load_settings


def _add(store, *papers):
    with store.transaction():
        return [upsert(store, p)[0] for p in papers]


def test_the_seed_corpus_merges_476_records_into_450_papers(store_url):
    lib = Library.open(load_settings(database_url=store_url))
    summary = lib.load_demo_if_empty()
    assert summary is not None and (summary.read, summary.added, summary.merged) == (476, 450, 26)
    assert lib.load_demo_if_empty() is None and lib.stats().papers == 450
    lib.close()


@pytest.mark.parametrize(
    "text",
    ['"unbalanced', "AND OR NOT", "a AND", "(((", "*", "title:x", "'; DROP TABLE papers; --", "\x01\x1f", "😀 🚀",
     "a" * 10_000, "-", '""', "ü ß é", "x:y:z", "{title}: lora", "a & b | !c <-> d", "lora:*"],
)  # fmt: skip
def test_no_user_text_can_raise_a_search_error(seeded_library, text):
    for mode in ("lexical", "semantic", "hybrid"):
        seeded_library.search(text, mode=mode)  # must not raise
    assert seeded_library.stats().papers == 450


def test_title_matches_rank_above_abstract_matches(seeded_library):
    store = seeded_library.store
    for ranking in (store.keyword(parse("lottery ticket"), 5), store.lexical(parse("lottery ticket"), 5)):
        assert store.papers([ranking[0][0]])[0].title.startswith("The Lottery Ticket Hypothesis")
        assert [s for _, s in ranking] == sorted((s for _, s in ranking), reverse=True)


def test_phrases_exclusions_and_fields(seeded_library):
    store = seeded_library.store
    lottery = store.keyword(KeywordQuery(phrases=("lottery ticket",)), 50)
    assert lottery
    without = store.keyword(KeywordQuery(phrases=("lottery ticket",), excluded=("pruning",)), 50)
    assert len(without) < len(lottery)
    by_title = store.keyword(KeywordQuery(fields=(("title", "diffusion"),)), 100)
    titles = [p.title.lower() for p in store.papers([pid for pid, _ in by_title])]
    assert titles and all("diffusion" in t for t in titles)
    ids = [pid for pid, _ in lottery]
    assert store.matching(ids, KeywordQuery(excluded=("pruning",))) == {pid for pid, _ in without}


def test_filters_apply_to_every_ranking(seeded_library):
    store = seeded_library.store
    assert store.count(Filters.for_year(2021)) == 100
    top = store.by_citations(Filters(min_citations=10_000), 50)
    assert top and [s for _, s in top] == sorted((s for _, s in top), reverse=True)
    assert all(s >= 10_000 for _, s in top)
    for ranking in (store.lexical(parse("learning year:2021"), 20), store.latest(Filters.for_year(2021), 20)):
        assert ranking and all(p.year == 2021 for p in store.papers([pid for pid, _ in ranking]))


def test_all_search_modes_answer_on_the_seed_corpus(seeded_library):
    for mode in ("lexical", "semantic", "hybrid"):
        assert seeded_library.search("sparse neural network pruning", mode=mode).hits


def test_best_of_ties_go_to_the_paper_seen_first(empty_store):
    papers = [Paper(title=f"Paper {n}", year=2020, citations=CitationCount(7), categories=["cs.LG"]) for n in "ABC"]
    ids = [p.id for p in _add(empty_store, *papers, Paper(title="Top", year=2020, citations=CitationCount(9)))]
    assert [pid for pid, _ in empty_store.by_citations(Filters(), 10)] == [ids[3], *ids[:3]]
    assert [pid for pid, _ in empty_store.by_citations(Filters(categories=("cs.LG",)), 2, offset=1)] == ids[1:3]


def test_latest_is_newest_first_then_last_added(empty_store):
    ids = [
        p.id
        for p in _add(
            empty_store,
            Paper(title="Old", published=date(2020, 1, 1)),
            Paper(title="Undated"),
            Paper(title="New", listing_date=date(2024, 5, 1)),
            Paper(title="New too", published=date(2024, 5, 1)),
        )
    ]
    assert [pid for pid, _ in empty_store.latest(Filters(), 10)] == [ids[3], ids[2], ids[0], ids[1]]


def test_identities_resolve_and_merge(empty_store):
    (lora,) = _add(empty_store, Paper(title="LoRA", arxiv_id="2106.09685", doi="10.1234/abc", year=2021))
    assert empty_store.resolve("arXiv:2106.09685") == lora.id == empty_store.resolve("https://doi.org/10.1234/abc")
    assert empty_store.resolve("nothing") is None
    _add(empty_store, Paper(title="LoRA: low-rank adaptation", doi="10.1234/abc", abstract="Adapters.", year=2021))
    assert empty_store.count() == 1 and empty_store.papers([lora.id])[0].abstract == "Adapters."
    assert [c.matched_on for c in empty_store.candidates(None, "10.1234/abc", "nope")] == ["doi"]


def test_papers_round_trip_every_field_in_the_order_asked(empty_store):
    paper = Paper(
        title="Ünïcode “title”", arxiv_id="2401.00001", doi="10.5/x", abstract="Text.", authors=["A. Ñ", "B"],
        year=2024, published=date(2024, 1, 2), listing_date=date(2024, 1, 3), categories=["cs.CL", "cs.LG"],
        venue="ACL", url="https://u", pdf_url="https://p", code_url="https://c",
        citations=CitationCount(3, "openalex", date(2024, 2, 1)),
    )  # fmt: skip
    a, b = _add(empty_store, paper, Paper(title="Other"))
    assert empty_store.papers([b.id, "missing", a.id]) == [b, a]
    assert list(empty_store.iter_papers(batch_size=1)) == [a, b]


def _vectors_corpus(store):
    topics = ["graph neural networks", "image segmentation", "speech recognition", "protein folding"]
    _add(store, *(
        Paper(title=f"{topics[i % 4]} study {i}", abstract=f"We study {topics[i % 4]} with method {i}.",
              year=2015 + i % 10, citations=CitationCount(i), code_url="https://c" if i % 3 == 0 else None)
        for i in range(120)
    ))  # fmt: skip
    embed_pending(store, HashingEmbedder())


def test_nearest_is_exact_filtered_and_can_exclude(empty_store):
    _vectors_corpus(empty_store)
    model, vector = HashingEmbedder().name, HashingEmbedder().embed(["protein folding study"])[0]
    brute = sorted(
        ((float(empty_store.embedding(model, p.id) @ vector), p) for p in empty_store.iter_papers()),
        key=lambda pair: -pair[0],
    )
    found = empty_store.nearest(model, vector, 10)
    assert np.allclose([s for _, s in found], [s for s, _ in brute[:10]], atol=1e-5)
    filters = Filters(year_from=2018, year_to=2019, has_code=True)
    filtered = empty_store.nearest(model, vector, 50, filters)
    papers = empty_store.papers([pid for pid, _ in filtered])
    assert papers and all(2018 <= p.year <= 2019 and p.code_url for p in papers)
    assert len(filtered) == len([p for _, p in brute if 2018 <= p.year <= 2019 and p.code_url])
    best = found[0][0]
    assert best not in {pid for pid, _ in empty_store.nearest(model, vector, 10, exclude=[best])}
    among = [pid for pid, _ in found[5:8]]
    assert [pid for pid, _ in empty_store.nearest(model, vector, 10, among=among)] == among


def test_embeddings_queue_store_and_requeue_on_text_change(empty_store):
    embedder = HashingEmbedder()
    a, b = _add(empty_store, Paper(title="First paper"), Paper(title="Second paper"))
    assert [t.paper_id for t in empty_store.pending_embeddings(embedder.name, 10)] == [a.id, b.id]
    assert [t.paper_id for t in empty_store.pending_embeddings(embedder.name, 10, after=a.id)] == [b.id]
    vectors = embedder.embed(["first", "second"])
    with empty_store.transaction():
        assert empty_store.put_embeddings(embedder.name, [(a.id, "h1", vectors[0]), (b.id, "h2", vectors[1])]) == 2
    assert empty_store.count_pending_embeddings(embedder.name) == 0
    assert np.array_equal(empty_store.embedding(embedder.name, a.id), vectors[0])
    assert set(empty_store.embeddings(embedder.name, [a.id, b.id, "x"])) == {a.id, b.id}
    assert empty_store.embedding_models() == {embedder.name: 2}
    _add(empty_store, Paper(title="First paper", abstract="Now with an abstract."))  # merges: the text changed
    assert [t.paper_id for t in empty_store.pending_embeddings(embedder.name, 10)] == [a.id]
    assert empty_store.count_pending_embeddings("another-model") == 2
    with empty_store.transaction():
        empty_store.put_embeddings("another-model", [(a.id, "h", vectors[0])])
        assert empty_store.drop_embeddings_except("another-model") == 1
    assert empty_store.embedding_models() == {"another-model": 1}


def test_index_upkeep_calls_are_safe_on_every_backend(seeded_library):
    store, model = seeded_library.store, HashingEmbedder().name
    store.sync_text_index()
    assert store.rebuild_text_index() == 450
    assert store.rebuild_vector_index(model, 384) == store.sync_vector_index(model, 384) == 450
    store.save_vector_indexes()
    assert store.lexical(parse("lottery ticket"), 1)


def test_a_failed_transaction_leaves_nothing_behind(empty_store):
    with pytest.raises(RuntimeError), empty_store.transaction():
        upsert(empty_store, Paper(title="Rolled back"))
        raise RuntimeError("boom")
    assert empty_store.count() == 0


def test_concurrent_writers_merge_instead_of_duplicating(store_url):
    import dataclasses
    import threading

    from paperradar.store import open_store

    stores = [open_store(store_url) for _ in range(2)]  # as two processes would
    records = [Paper(title=f"Concurrent paper {i}", year=2024, arxiv_id=f"2401.{i:05d}") for i in range(40)]
    errors: list[BaseException] = []

    def write(store):
        try:
            for record in records:
                with store.transaction():
                    upsert(store, dataclasses.replace(record))  # each writer merges its own copy
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and stores[0].count() == 40
    for store in stores:
        store.close()


def test_daily_feed_and_trending_reads(empty_store):
    """Listing days, activity windows, batched signals and snapshots, age-normalised citations."""
    from datetime import date

    import feed_corpus
    from paperradar.models import Filters

    feed_corpus.load(empty_store)
    may1, may3 = date(2024, 5, 1), date(2024, 5, 3)
    assert {pid for pid, _ in empty_store.listed(may1, may1)} == {"2405.00001", "2405.00002", "2405.00003"}
    assert [pid for pid, _ in empty_store.listed(may1, may3, Filters(categories=("cs.CV",)))] == ["2405.00002"]
    assert empty_store.listing_day() == may3
    assert empty_store.listing_day(before=may3) == may1
    assert empty_store.listing_day(after=may1) == may3
    assert empty_store.newest_activity() >= may3
    assert {pid for pid, _ in empty_store.active(may1, may1)} >= {"2405.00001", "2405.00002"}
    signals = empty_store.signals_of(["2405.00002", "2405.00003"], ["hf_upvotes"], may3)
    assert [s.value for s in signals["2405.00002"]][:1] == [80] and "2405.00003" not in signals
    snapshots = empty_store.snapshots_of(["2405.00001"], may3)
    assert [(c.count, c.source) for c in snapshots["2405.00001"]][:1] == [(3, "openalex")]
    rates = empty_store.by_citations_per_year(Filters(), 2026, 10)
    assert rates and all(rate == pytest.approx(3 / 3) for _, rate in rates)
