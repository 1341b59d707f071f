"""Convert between `Paper` records and rows of the `papers` table, in either backend's types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from paperradar.models import CitationCount, Paper
from paperradar.store.dialect import Dialect

COLUMNS = (
    "id, arxiv_id, doi, title, abstract, authors, year, published, listing_date, categories, "
    "venue, url, pdf_url, code_url, citations, citations_source, citations_date, comment"
)
PREFIXED = ", ".join(f"p.{name.strip()}" for name in COLUMNS.split(","))  # for a query that names papers `p`


def to_paper(row: Sequence[Any], dialect: Dialect) -> Paper:
    (pid, arxiv_id, doi, title, abstract, authors, year, published, listing_date, categories,
     venue, url, pdf_url, code_url, citations, citations_source, citations_date, comment) = row[:18]  # fmt: skip
    cites = None
    if citations is not None:
        cites = CitationCount(citations, citations_source, dialect.read_day(citations_date))
    return Paper(
        id=pid,
        arxiv_id=arxiv_id,
        doi=doi,
        title=title,
        abstract=abstract,
        authors=dialect.read_names(authors),
        year=year,
        published=dialect.read_day(published),
        listing_date=dialect.read_day(listing_date),
        categories=dialect.read_names(categories),
        venue=venue,
        url=url,
        pdf_url=pdf_url,
        code_url=code_url,
        citations=cites,
        comment=comment,
    )


def to_values(paper: Paper, dialect: Dialect) -> tuple:
    """The column values, in COLUMNS order."""
    cites = paper.citations
    return (
        paper.id,
        paper.arxiv_id,
        paper.doi,
        paper.title,
        paper.abstract,
        dialect.names(paper.authors),
        paper.year,
        dialect.day(paper.published),
        dialect.day(paper.listing_date),
        dialect.names(paper.categories),
        paper.venue,
        paper.url,
        paper.pdf_url,
        paper.code_url,
        cites.count if cites else None,
        cites.source if cites else None,
        dialect.day(cites.as_of) if cites else None,
        paper.comment,
    )
