"""Similar papers: the nearest neighbours of a paper's own vector, re-ranked by the citation graph
where the paper has edges.

Content-based first, so a paper imported a minute ago has neighbours at once (it is embedded on the
spot when its vector is not stored yet). When the paper cites or is cited by corpus papers, its
graph closeness (direct links, co-citation, coupling) is fused into the embedding ranking of a wider
pool, as hybrid search fuses BM25: only papers the embedding already finds near can rise, so filters
hold and an off-topic citation never enters. bench/graph_similar.py measures it on CSFCube.
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
# The graph's vote beside the embedding's (weighted reciprocal-rank fusion, k as hybrid search's), and
# the embedding pool it re-ranks. bench/graph_similar.py on CSFCube (direct links only): 0.25 is what
# its dev folds choose, +0.7 MAP over the embedding alone (within noise); 0.5 already costs 0.7 MAP
# and 1.0 costs 4.7. So the embedding stays first and the graph nudges: about one paper of a top 10.
GRAPH_WEIGHT = 0.25
GRAPH_POOL = 100
GRAPH_K = 10
DIRECT_LINK = 2.0  # a paper it cites or that cites it counts as two shared neighbours
NEIGHBOUR_LIMIT = 50  # co-cited and coupled papers read per paper


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
        graph = graph_of(store, paper.id)
        if not graph:
            return store.nearest(embedder.name, vector, limit, filters, exclude=[paper.id])
        near = store.nearest(embedder.name, vector, max(GRAPH_POOL, limit), filters, exclude=[paper.id])
        return with_graph(near, graph, limit)
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
    order = np.argsort(-scores, kind="stable")
    ranking = [(pool[i], float(scores[i])) for i in order]
    graph = graph_of(store, paper.id)
    return with_graph(ranking, graph, limit) if graph else ranking[:limit]


def graph_of(store: Store, paper_id: str) -> Ranking:
    """The paper's graph closeness (`graph_closeness`) from the store's edges; empty without edges."""
    references = [e.work.paper_id for e in store.references(paper_id) if e.work.paper_id]
    citing = [e.citing for e in store.citing(paper_id)]
    if not references and not citing:
        return []  # no direct link: co-citation and coupling go through neighbours, so they are empty too
    return graph_closeness(references, citing, store.co_cited(paper_id, NEIGHBOUR_LIMIT),
                           store.coupled(paper_id, NEIGHBOUR_LIMIT))  # fmt: skip


def graph_closeness(references: Sequence[str], citing: Sequence[str], co_cited: Ranking, coupled: Ranking) -> Ranking:
    """Corpus papers close to one in the citation graph, closest first: `DIRECT_LINK` for a paper it
    cites or that cites it, plus the neighbours it shares with it by co-citation and by coupling."""
    score: dict[str, float] = {}
    for pid in [*references, *citing]:
        score[pid] = DIRECT_LINK
    for ranking in (co_cited, coupled):
        for pid, shared in ranking:
            score[pid] = score.get(pid, 0.0) + shared
    return sorted(score.items(), key=lambda item: -item[1])


def with_graph(embedding: Ranking, graph: Ranking, limit: int, weight: float = GRAPH_WEIGHT) -> Ranking:
    """The embedding ranking re-ranked by weighted reciprocal-rank fusion with the graph's, over the
    embedding's papers only. Graph ties (all direct links score alike) go by the embedding's order."""
    position = {pid: n for n, (pid, _) in enumerate(embedding)}
    linked = sorted((item for item in graph if item[0] in position), key=lambda item: (-item[1], position[item[0]]))
    scores = {pid: 1.0 / (GRAPH_K + n + 1) for n, (pid, _) in enumerate(embedding)}
    for n, (pid, _) in enumerate(linked):
        scores[pid] += weight / (GRAPH_K + n + 1)
    order = sorted(scores, key=lambda pid: (-scores[pid], position[pid]))
    return [(pid, scores[pid]) for pid in order[:limit]]


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
