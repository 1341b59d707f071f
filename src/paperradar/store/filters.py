"""Render `Filters` as a SQL condition on the `papers` table aliased `p`, with bound parameters."""

from __future__ import annotations

from paperradar.models import Filters
from paperradar.store.dialect import Dialect


def where(filters: Filters | None, dialect: Dialect) -> tuple[str, list[object]]:
    """(" AND ..." SQL, parameters); empty when nothing is filtered."""
    if filters is None:
        return "", []
    m = dialect.mark
    clauses: list[str] = []
    params: list[object] = []
    if filters.year_from is not None:
        clauses.append(f"p.year >= {m}")
        params.append(filters.year_from)
    if filters.year_to is not None:
        clauses.append(f"p.year <= {m}")
        params.append(filters.year_to)
    if filters.categories:
        condition, values = dialect.any_category(filters.categories)
        clauses.append(condition)
        params.extend(values)
    if filters.venue:
        clauses.append(dialect.venue_is())
        params.append(filters.venue)
    if filters.min_citations is not None:
        clauses.append(f"p.citations >= {m}")
        params.append(filters.min_citations)
    if filters.has_code is True:
        clauses.append("p.code_url IS NOT NULL")
    elif filters.has_code is False:
        clauses.append("p.code_url IS NULL")
    if not clauses:
        return "", []
    return " AND " + " AND ".join(clauses), params
