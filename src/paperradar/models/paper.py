"""The Paper record: one paper, however many sources mention it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

# A repository named in an abstract or comment ("Code: https://github.com/owner/repo."): the link stops
# at the repository, and trailing punctuation of the sentence is not part of it.
_REPOSITORY = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com)/[\w.-]+/[\w.-]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CitationCount:
    """A citation count as one source reported it on one day."""

    count: int
    source: str | None = None
    as_of: date | None = None

    def newer_than(self, other: CitationCount | None) -> bool:
        """Which count a merged paper shows: the most recently read, the larger on a tie.

        Undated counts are older than any dated one, so a dated refresh always wins.
        """
        if other is None:
            return True
        mine = (self.as_of or date.min, self.count)
        theirs = (other.as_of or date.min, other.count)
        return mine > theirs


@dataclass(slots=True)
class Paper:
    """A paper's metadata. `id` is the public id; it is None until the store assigns one."""

    title: str
    id: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    published: date | None = None
    listing_date: date | None = None
    categories: list[str] = field(default_factory=list)
    venue: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    code_url: str | None = None
    citations: CitationCount | None = None
    comment: str | None = None  # the arXiv comment: pages, figures, venue

    @property
    def primary_category(self) -> str | None:
        return self.categories[0] if self.categories else None

    @property
    def abs_url(self) -> str | None:
        """The abstract page: the source's own link, else arXiv's, else the DOI resolver."""
        if self.url:
            return self.url
        if self.arxiv_id:
            return f"https://arxiv.org/abs/{self.arxiv_id}"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return None

    @property
    def pdf_link(self) -> str | None:
        if self.pdf_url:
            return self.pdf_url
        if self.arxiv_id:
            return f"https://arxiv.org/pdf/{self.arxiv_id}"
        return None

    @property
    def html_link(self) -> str | None:
        """arXiv's HTML rendering of the paper."""
        return f"https://arxiv.org/html/{self.arxiv_id}" if self.arxiv_id else None

    @property
    def code_link(self) -> str | None:
        """The code: the source's own link, else the first GitHub or GitLab repository the comment or abstract names."""
        if self.code_url:
            return self.code_url
        for text in (self.comment, self.abstract):
            match = _REPOSITORY.search(text or "")
            if match:
                return match.group(0).rstrip(".")
        return None

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of a paper (documented in docs/json.md)."""
        data = {"id": self.id, **asdict(self)}
        for key in ("published", "listing_date"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        cites = self.citations
        data["citations"] = cites.count if cites else None
        data["citations_source"] = cites.source if cites else None
        data["citations_date"] = cites.as_of.isoformat() if cites and cites.as_of else None
        data["url"] = self.abs_url
        data["pdf_url"] = self.pdf_link
        return data
