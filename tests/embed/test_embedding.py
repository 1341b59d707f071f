"""Embedding papers: only what is pending, resumable, re-embedded when the text or the model changes."""

import numpy as np

from paperradar.embed import HashingEmbedder, paper_text, sentences, text_hash
from paperradar.ingest.embedding import embed_pending
from paperradar.ingest.importer import upsert
from paperradar.models import Paper


def _add(store, *papers):
    with store.transaction():
        for paper in papers:
            upsert(store, paper)


def test_hashing_embedder_is_deterministic_and_unit_length():
    embedder = HashingEmbedder()
    a, b = embedder.embed(["low rank adaptation of language models", "low rank adaptation of language models"])
    assert np.allclose(a, b) and abs(float(np.linalg.norm(a)) - 1) < 1e-5
    near, far = embedder.embed(["low rank adapters for language models", "robots pollinate flowers"])
    assert float(a @ near) > float(a @ far)


def test_paper_text_and_sentences():
    assert paper_text("A Title", "First sentence.") == "A Title. First sentence."
    assert paper_text("Why?", "") == "Why?"
    text = "We study graph networks in depth. We find that depth helps. Ok."
    assert sentences(text) == ["We study graph networks in depth.", "We find that depth helps. Ok."]
    assert text_hash("a") == text_hash("a") != text_hash("b")


def test_only_pending_papers_are_embedded_and_a_rerun_adds_nothing(library):
    store, embedder = library.store, HashingEmbedder()
    _add(store, *(Paper(title=f"paper number {i}", abstract=f"about topic {i}", year=2020) for i in range(30)))
    first = embed_pending(store, embedder, batch=7)
    assert (first.pending_before, first.embedded) == (30, 30)
    assert embed_pending(store, embedder).embedded == 0


def test_an_interrupted_run_resumes_where_it_stopped(library):
    store, embedder = library.store, HashingEmbedder()
    _add(store, *(Paper(title=f"paper number {i}", year=2020) for i in range(25)))
    assert embed_pending(store, embedder, batch=10, limit=12).embedded == 12
    assert store.count_pending_embeddings(embedder.name) == 13
    assert embed_pending(store, embedder, batch=10).embedded == 13


def test_a_changed_abstract_is_embedded_again_and_an_unchanged_one_is_not(library):
    store, embedder = library.store, HashingEmbedder()
    _add(store, Paper(title="Graph networks", abstract="old text", year=2020, arxiv_id="2001.00001"))
    _add(store, Paper(title="Other", abstract="same", year=2020, arxiv_id="2001.00002"))
    embed_pending(store, embedder)
    before = store.embedding(embedder.name, "2001.00001")
    _add(store, Paper(title="Other", abstract="same", year=2020, arxiv_id="2001.00002"))  # no change
    _add(store, Paper(title="Graph networks", abstract="a longer, new abstract text", arxiv_id="2001.00001"))
    assert store.count_pending_embeddings(embedder.name) == 1
    assert embed_pending(store, embedder).embedded == 1
    assert not np.allclose(before, store.embedding(embedder.name, "2001.00001"))


def test_a_model_change_re_embeds_everything_and_drops_the_old_vectors(library):
    store = library.store
    _add(store, *(Paper(title=f"paper {i}", year=2020) for i in range(5)))
    embed_pending(store, HashingEmbedder(dimensions=64))
    new_model = HashingEmbedder(dimensions=32)
    assert store.count_pending_embeddings(new_model.name) == 5
    summary = embed_pending(store, new_model)
    assert summary.embedded == 5 and summary.dropped_other_models == 5
    assert store.embedding_models() == {new_model.name: 5}
