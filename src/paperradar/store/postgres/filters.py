"""Render `Filters` as a SQL condition on the `papers` table aliased `p`, with bound parameters."""

from __future__ import annotations

from paperradar.models import Filters


def where(filters: Filters | None) -> tuple[str, list[object]]:
    """(" AND ..." SQL, parameters); empty when nothing is filtered."""
    if filters is None:
        return "", []
    clauses: list[str] = []
    params: list[object] = []
    if filters.year_from is not None:
        clauses.append("p.year >= %s")
        params.append(filters.year_from)
    if filters.year_to is not None:
        clauses.append("p.year <= %s")
        params.append(filters.year_to)
    if filters.categories:
        clauses.append("p.categories && %s::text[]")  # any of them: the GIN index answers it
        params.append(list(filters.categories))
    if filters.venue:
        clauses.append("lower(p.venue) = lower(%s)")  # SQLite compares with COLLATE NOCASE
        params.append(filters.venue)
    if filters.min_citations is not None:
        clauses.append("p.citations >= %s")
        params.append(filters.min_citations)
    if filters.has_code is True:
        clauses.append("p.code_url IS NOT NULL")
    elif filters.has_code is False:
        clauses.append("p.code_url IS NULL")
    if not clauses:
        return "", []
    return " AND " + " AND ".join(clauses), params
