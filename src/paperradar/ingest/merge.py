"""Merge rules: which stored paper a record is, and how their fields combine.

A merge never loses a field any record had, and merging the same record twice changes nothing,
so re-importing a file is a no-op.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from paperradar.models import Paper
from paperradar.store.base import Candidate


def same_paper(candidate: Candidate, record: Paper) -> bool:
    """Whether a candidate found by a shared key really is the record's paper."""
    stored = candidate.paper
    if candidate.matched_on == "arxiv":
        return True
    if stored.arxiv_id and record.arxiv_id and stored.arxiv_id != record.arxiv_id:
        return False  # two arXiv ids: two papers that share a title or a DOI
    if candidate.matched_on == "doi":
        return True
    # A title alone identifies a paper only within a year, when both records say which.
    return stored.year is None or record.year is None or stored.year == record.year


def choose(candidates: list[Candidate], record: Paper) -> Paper | None:
    """The stored paper the record belongs to: the first match by arXiv id, then DOI, then title."""
    for candidate in candidates:
        if same_paper(candidate, record):
            return candidate.paper
    return None


def _earliest(a: date | None, b: date | None) -> date | None:
    if a and b:
        return min(a, b)
    return a or b


def merge(stored: Paper, record: Paper) -> Paper:
    """The stored paper with the record's knowledge added. The stored id and title stay."""
    citations = stored.citations
    if record.citations and record.citations.newer_than(citations):
        citations = record.citations
    return replace(
        stored,
        arxiv_id=stored.arxiv_id or record.arxiv_id,
        doi=stored.doi or record.doi,
        # The longer text is the fuller one: listings often cut abstracts and author lists short.
        abstract=record.abstract if len(record.abstract) > len(stored.abstract) else stored.abstract,
        authors=record.authors if len(record.authors) > len(stored.authors) else stored.authors,
        year=stored.year if stored.year is not None else record.year,
        published=_earliest(stored.published, record.published),
        listing_date=_earliest(stored.listing_date, record.listing_date),
        categories=stored.categories + [c for c in record.categories if c not in stored.categories],
        venue=stored.venue or record.venue,
        url=stored.url or record.url,
        pdf_url=stored.pdf_url or record.pdf_url,
        code_url=stored.code_url or record.code_url,
        comment=stored.comment or record.comment,
        citations=citations,
    )
