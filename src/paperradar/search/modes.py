"""The three search modes over one parsed query: lexical (BM25), semantic (embeddings), hybrid (both).

Filters (years, categories, venue, citations, code) go to both retrievers, and the query's hard
parts (quoted phrases, ti:/au: fields, -exclusions) hold for semantic results too, so a mode
changes the order of results, never which papers are allowed.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from paperradar.embed import Embedder
from paperradar.models import KeywordQuery, SearchMode
from paperradar.search.fusion import Fused, reciprocal_rank_fusion, single
from paperradar.store.base import Ranking, Store

# Hybrid runs the keyword query on a worker thread while the query is embedded: both release the
# GIL (tantivy and torch), so the keyword side costs nothing extra on the clock.
_BESIDE = ThreadPoolExecutor(max_workers=4, thread_name_prefix="paperradar-lexical")

# How deep each retriever looks before fusion: a paper ranked 100th by one and 3rd by the other
# must still be able to reach the first page.
FUSION_DEPTH = 100
# A query with phrases or fields is ranked by meaning exactly among the papers that have them,
# when they are at most this many (else the nearest papers are checked for them).
CONSTRAINED_MAX = 20_000


def semantic_search(store: Store, embedder: Embedder, query: KeywordQuery, limit: int) -> Ranking:
    """Papers nearest the query's free text, kept only where they meet the query's hard parts."""
    if not query.text.strip():
        return []
    vector = embed_query(embedder, query.text)
    if query.phrases or query.fields:
        # Required words narrow the field: rank, by meaning, the papers that have them.
        required = store.keyword(query.constraints, CONSTRAINED_MAX, match_all=True)
        if len(required) < CONSTRAINED_MAX:
            among = [pid for pid, _ in required]
            return store.nearest(embedder.name, vector, limit, query.filters, among=among)
    depth = limit if not query.has_constraints else max(limit * 4, FUSION_DEPTH)
    ranking = store.nearest(embedder.name, vector, depth, query.filters)
    if query.has_constraints and ranking:
        allowed = store.matching([pid for pid, _ in ranking], query.constraints)
        ranking = [(pid, score) for pid, score in ranking if pid in allowed]
    return ranking[:limit]


def embed_query(embedder: Embedder, text: str) -> np.ndarray:
    """The query's vector (embedders may cache; the protocol is batch-first)."""
    cached = getattr(embedder, "embed_query", None)
    return cached(text) if cached else embedder.embed([text])[0]


def find(store: Store, embedder: Embedder | None, query: KeywordQuery, mode: SearchMode, limit: int) -> list[Fused]:
    """The top `limit` papers for a query in a mode, each with the retrievers that found it."""
    if mode is SearchMode.LEXICAL or embedder is None or not query.text.strip():
        return single("lexical", store.lexical(query, limit))
    if mode is SearchMode.SEMANTIC:
        return single("semantic", semantic_search(store, embedder, query, limit))
    depth = max(limit, FUSION_DEPTH)
    lexical = _BESIDE.submit(store.lexical, query, depth)
    semantic = semantic_search(store, embedder, query, depth)
    return reciprocal_rank_fusion({"lexical": lexical.result(), "semantic": semantic})[:limit]
