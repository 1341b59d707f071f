"""Similar papers: the nearest neighbours of a paper's own vector.

Content-based, so a paper imported a minute ago has neighbours at once (it is embedded on the
spot when its vector is not stored yet). Blending citation links in later means fusing a second
ranking here, as hybrid search does.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from paperradar.embed import Embedder, paper_text
from paperradar.models import Filters, Paper
from paperradar.search.query import STOPWORDS
from paperradar.store.base import Ranking, Store

# Blend weights for "similar in this respect" (z-scores over the candidate pool), tuned on CSFCube's
# dev folds by bench/csfcube.py: the whole paper stays the main signal, the focus steers it.
FOCUS_WEIGHTS = (2.0, 0.5, 0.5)  # whole-paper cosine, focus-text cosine, focus-text BM25
FOCUS_POOL = 200


def similar_papers(
    store: Store,
    embedder: Embedder,
    paper: Paper,
    limit: int,
    filters: Filters | None = None,
    focus: str | None = None,
) -> Ranking:
    """Up to `limit` papers most like `paper`, best first, without the paper itself. With `focus`
    (a sentence or two of the paper: its method, say), papers alike in that respect come first."""
    assert paper.id is not None
    vector = store.embedding(embedder.name, paper.id)
    if vector is None:
        vector = embedder.embed([paper_text(paper.title, paper.abstract)])[0]
    if not focus or not focus.strip():
        return store.nearest(embedder.name, vector, limit, filters, exclude=[paper.id])
    focus_vector = embedder.embed([focus])[0]
    depth = max(FOCUS_POOL, limit)
    pool = list(
        dict.fromkeys(
            pid
            for ranking in (
                store.nearest(embedder.name, vector, depth, filters, exclude=[paper.id]),
                store.nearest(embedder.name, focus_vector, depth, filters, exclude=[paper.id]),
            )
            for pid, _ in ranking
        )
    )
    vectors = store.embeddings(embedder.name, pool)
    pool = [pid for pid in pool if pid in vectors]
    if not pool:
        return []
    matrix = np.vstack([vectors[pid] for pid in pool])
    texts = {p.id: paper_text(p.title, p.abstract) for p in store.papers(pool)}
    scores = focus_scores(
        matrix @ vector, matrix @ focus_vector, bm25_scores(focus, [texts.get(pid, "") for pid in pool])
    )
    order = np.argsort(-scores, kind="stable")[:limit]
    return [(pool[i], float(scores[i])) for i in order]


def focus_scores(paper_cosine: np.ndarray, focus_cosine: np.ndarray, focus_bm25: Sequence[float]) -> np.ndarray:
    """The blend behind "similar in this respect": each signal as z-scores over the pool, weighted."""
    total = np.zeros(len(paper_cosine))
    for weight, values in zip(FOCUS_WEIGHTS, (paper_cosine, focus_cosine, focus_bm25), strict=True):
        values = np.asarray(values, dtype=np.float64)
        total += weight * (values - values.mean()) / (values.std() or 1.0)
    return total


def sentence_match(query_sentences: np.ndarray, candidate_sentences: np.ndarray) -> float:
    """How well a candidate covers the query's sentences: for each query sentence its best cosine
    among the candidate's sentences, averaged. Matches "uses the same method" even when the two
    abstracts spend most of their words on different things."""
    if len(query_sentences) == 0 or len(candidate_sentences) == 0:
        return 0.0
    return float((query_sentences @ candidate_sentences.T).max(axis=1).mean())


_TOKEN = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS and len(t) > 1]


def bm25_scores(query: str, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> list[float]:
    """BM25 of `query` against each of a small set of documents (statistics from the set itself):
    for re-ranking a candidate pool without a round trip to the index."""
    docs = [Counter(_tokens(d)) for d in documents]
    if not docs:
        return []
    lengths = [sum(d.values()) for d in docs]
    average = (sum(lengths) / len(docs)) or 1.0
    frequency = Counter(term for d in docs for term in d)
    scores = []
    terms = set(_tokens(query))
    for doc, length in zip(docs, lengths, strict=True):
        score = 0.0
        for term in terms:
            tf = doc.get(term, 0)
            if tf:
                idf = math.log(1 + (len(docs) - frequency[term] + 0.5) / (frequency[term] + 0.5))
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average))
        scores.append(score)
    return scores
