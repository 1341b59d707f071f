"""Convert between `Paper` records and rows of the `papers` table."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from paperradar.models import CitationCount, Paper

COLUMNS = (
    "id, arxiv_id, doi, title, abstract, authors, year, published, listing_date, categories, "
    "venue, url, pdf_url, code_url, citations, citations_source, citations_date, comment"
)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def to_paper(row: sqlite3.Row | tuple) -> Paper:
    (pid, arxiv_id, doi, title, abstract, authors, year, published, listing_date, categories,
     venue, url, pdf_url, code_url, citations, citations_source, citations_date, comment) = row[:18]  # fmt: skip
    cites = None
    if citations is not None:
        cites = CitationCount(citations, citations_source, _date(citations_date))
    return Paper(
        id=pid,
        arxiv_id=arxiv_id,
        doi=doi,
        title=title,
        abstract=abstract,
        authors=json.loads(authors),
        year=year,
        published=_date(published),
        listing_date=_date(listing_date),
        categories=json.loads(categories),
        venue=venue,
        url=url,
        pdf_url=pdf_url,
        code_url=code_url,
        citations=cites,
        comment=comment,
    )


def to_values(paper: Paper) -> tuple:
    """The column values, in COLUMNS order."""
    cites = paper.citations
    return (
        paper.id,
        paper.arxiv_id,
        paper.doi,
        paper.title,
        paper.abstract,
        json.dumps(paper.authors, ensure_ascii=False),
        paper.year,
        paper.published.isoformat() if paper.published else None,
        paper.listing_date.isoformat() if paper.listing_date else None,
        json.dumps(paper.categories, ensure_ascii=False),
        paper.venue,
        paper.url,
        paper.pdf_url,
        paper.code_url,
        cites.count if cites else None,
        cites.source if cites else None,
        cites.as_of.isoformat() if cites and cites.as_of else None,
        paper.comment,
    )
