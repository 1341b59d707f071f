"""Keyword search: every word required first, then papers matching only some of them."""

from __future__ import annotations

from paperradar.models import KeywordQuery
from paperradar.store.base import Ranking, Store


def keyword_search(store: Store, query: KeywordQuery, limit: int) -> Ranking:
    """The BM25 ranking for a query. Papers with all the words come first; when they are fewer than
    asked for, papers with some of the words follow, scored below every all-words match."""
    ranking = store.keyword(query, limit, match_all=True)
    if len(ranking) >= limit or len(query.terms) < 2:
        return ranking
    seen = {pid for pid, _ in ranking}
    extra = [(pid, score) for pid, score in store.keyword(query, limit, match_all=False) if pid not in seen]
    if ranking and extra:
        # BM25 scores of two queries are not comparable; keep the order, and keep scores falling.
        ceiling = min(score for _, score in ranking)
        top = max(score for _, score in extra) or 1.0
        extra = [(pid, ceiling * 0.999 * score / top) for pid, score in extra]
    return (ranking + extra)[:limit]
