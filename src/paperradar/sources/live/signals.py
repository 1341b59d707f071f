"""What live sources report about a paper besides its metadata: community signals and citation counts.

Signal(arxiv_id=..., kind=..., value=..., source="huggingface", as_of=date, url=None)
    kinds from Hugging Face daily papers (see hf_daily): "hf_daily_pick" (value 1, as_of = the day listed),
    "hf_upvotes", "hf_comments", "github_stars" (counts as read on as_of), "github_repo" and "project_page"
    (value 1, the link in `url`).
Citations(key, count, by_year, influential, year, ids)
    one provider's citation count for the id that was asked for (see openalex, semantic_scholar).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from paperradar.models import CitationCount


@dataclass(frozen=True, slots=True, kw_only=True)
class Signal:
    """One dated observation about a paper, with the page a user can check it on."""

    arxiv_id: str
    kind: str
    value: int
    source: str = "huggingface"
    as_of: date
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Citations:
    """A provider's citations for one paper, keyed by the id asked for (an arXiv id or a DOI).

    `by_year` maps a calendar year to the citations received in it (OpenAlex gives the last ~10 years);
    `influential` is Semantic Scholar's influential-citation count; `ids` are the provider's own ids for the
    work (doi, arxiv, openalex, s2...), useful to link identities.
    """

    key: str
    count: CitationCount
    by_year: dict[int, int] = field(default_factory=dict)
    influential: int | None = None
    year: int | None = None
    ids: dict[str, str] = field(default_factory=dict)
