"""Convert between `Paper` records and rows of the PostgreSQL `papers` table (native arrays and dates)."""

from __future__ import annotations

from paperradar.models import CitationCount, Paper

# Same columns, in the same order, as the SQLite backend's rows.py.
COLUMNS = (
    "id, arxiv_id, doi, title, abstract, authors, year, published, listing_date, categories, "
    "venue, url, pdf_url, code_url, citations, citations_source, citations_date, comment"
)
PREFIXED = ", ".join(f"p.{name.strip()}" for name in COLUMNS.split(","))


def to_paper(row: tuple) -> Paper:
    (pid, arxiv_id, doi, title, abstract, authors, year, published, listing_date, categories,
     venue, url, pdf_url, code_url, citations, citations_source, citations_date, comment) = row[:18]  # fmt: skip
    cites = None
    if citations is not None:
        cites = CitationCount(citations, citations_source, citations_date)
    return Paper(
        id=pid,
        arxiv_id=arxiv_id,
        doi=doi,
        title=title,
        abstract=abstract,
        authors=list(authors),
        year=year,
        published=published,
        listing_date=listing_date,
        categories=list(categories),
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
        list(paper.authors),
        paper.year,
        paper.published,
        paper.listing_date,
        list(paper.categories),
        paper.venue,
        paper.url,
        paper.pdf_url,
        paper.code_url,
        cites.count if cites else None,
        cites.source if cites else None,
        cites.as_of if cites else None,
        paper.comment,
    )
