"""Exact keyword search for PostgresStore: a generated tsvector (title A, abstract B, authors C)
behind a GIN index, ranked with ts_rank_cd. Phrases, one-field matches and exclusions are checked
here; ranked search (`lexical`) is BM25 from the tantivy index (postgres/lexical.py), which falls
back to this when filters are too selective for its candidates.

User text only ever reaches PostgreSQL as a bound parameter of plainto_tsquery/phraseto_tsquery,
which treat it as plain words: no input can form a tsquery operator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from paperradar.models import KeywordQuery
from paperradar.store.base import Ranking
from paperradar.store.filters import where
from paperradar.store.postgres.dialect import POSTGRES

# ts_rank_cd's weights for D, C, B, A: title 4, authors 1.5, abstract 1, as the SQLite backend's bm25().
RANK_WEIGHTS = "{0.1, 0.375, 0.25, 1.0}"
# Divide a rank by 1 + log(document length): long abstracts do not win by repeating a word.
RANK_NORMALISATION = 1
_FIELD_WEIGHTS = {"title": "{a}", "abstract": "{b}", "authors": "{c}"}
_WORDS = "plainto_tsquery('english', %s)"
_PHRASE = "phraseto_tsquery('english', %s)"


@dataclass
class _Sql:
    text: str = ""
    params: list[object] = field(default_factory=list)


def _combine(parts: Sequence[str], operator: str) -> str:
    return "(" + f" {operator} ".join(parts) + ")"


def constraints(query: KeywordQuery) -> _Sql:
    """ " AND ..." conditions for the query's phrases, one-field texts and excluded words."""
    sql = _Sql()
    for phrase in query.phrases:
        sql.text += f" AND p.search @@ {_PHRASE}"
        sql.params.append(phrase)
    for name, text in query.fields:
        weights = _FIELD_WEIGHTS.get(name)
        if weights:  # the stored vector with only that field's words: positions kept, so phrases work
            sql.text += f" AND ts_filter(p.search, '{weights}') @@ {_PHRASE}"
            sql.params.append(text)
    for word in query.excluded:
        sql.text += f" AND NOT p.search @@ {_WORDS}"
        sql.params.append(word)
    return sql


def terms(query: KeywordQuery, match_all: bool) -> _Sql | None:
    """A tsquery expression of the plain terms (all, or any), or None without terms."""
    if not query.terms:
        return None
    return _Sql(_combine([_WORDS] * len(query.terms), "&&" if match_all else "||"), list(query.terms))


def rank_query(query: KeywordQuery) -> _Sql | None:
    """What a paper is scored against: any of the terms, phrases and one-field texts."""
    texts: list[object] = [*query.terms, *query.phrases, *(text for _, text in query.fields)]
    if not texts:
        return None
    return _Sql(_combine([_WORDS] * len(texts), "||"), texts)


class TextSearchMixin:
    """`keyword` and `matching`; needs the host's `_rows`."""

    _rows: Callable[..., list[tuple]]  # PostgresStore's: run a query, return its rows

    def keyword(self, query: KeywordQuery, limit: int, match_all: bool = True) -> Ranking:
        ranked = rank_query(query)
        if ranked is None or limit <= 0:
            return []
        required = constraints(query)
        words = terms(query, match_all)
        condition, params = where(query.filters, POSTGRES)
        match = f" AND p.search @@ {words.text}" if words else ""
        rows = self._rows(
            f"SELECT p.id, ts_rank_cd('{RANK_WEIGHTS}'::float4[], p.search, {ranked.text}, {RANK_NORMALISATION:d}) "
            f"AS rank FROM papers p "
            f"WHERE TRUE{match}{required.text}{condition} ORDER BY rank DESC, p.pk LIMIT %s",
            [*ranked.params, *(words.params if words else []), *required.params, *params, limit],
        )
        return [(pid, float(rank)) for pid, rank in rows]

    def matching(self, ids: Sequence[str], query: KeywordQuery) -> set[str]:
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return set()
        required = constraints(query)
        if not required.text:
            return set(wanted)
        rows = self._rows(f"SELECT p.id FROM papers p WHERE p.id = ANY(%s){required.text}", [wanted, *required.params])
        return {row[0] for row in rows}
