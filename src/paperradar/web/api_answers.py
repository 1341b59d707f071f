"""The shapes of the JSON API's answers, for the OpenAPI schema (docs/json.md in types).

The routes return the dicts of `to_dict()`; these models only describe them, so serving an answer costs no
validation. tests/web/test_api_conformance.py checks every answer against them. Fields are only ever added
(docs/json.md), so every model allows more than it names."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class PaperAnswer(_Answer):
    """A paper (docs/json.md); null where a field is unknown."""

    id: str
    arxiv_id: str | None
    doi: str | None
    title: str
    abstract: str
    authors: list[str]
    year: int | None
    published: date | None
    listing_date: date | None = Field(description="The day arXiv listed it.")
    categories: list[str]
    venue: str | None
    url: str | None
    pdf_url: str | None
    code_url: str | None
    citations: int | None
    citations_source: str | None = Field(description="Which provider counted `citations`.")
    citations_date: date | None = Field(description="When that count was read.")
    comment: str | None = Field(description="The arXiv comment: pages, figures, venue.")


class Result(PaperAnswer):
    """A paper in a list, with its score (higher is better; what it measures depends on the list)."""

    score: float
    found_by: list[str] = Field(default=[], description="Search only: the retrievers that found it.")
    rank: int | None = Field(default=None, description="Best-of lists only: its place, from 1.")
    why: list[str] = Field(default=[], description="Feeds, trending, recommendations: what the score is made of.")


class ResultPage(_Answer):
    results: list[Result]
    offset: int
    limit: int
    title: str = Field(default="", description="What the list is, where it has a name.")


class LatestPage(ResultPage):
    next_after: str | None = Field(description="The `after` of the next page; null on the last page.")


class CitationCount(_Answer):
    count: int
    source: str | None
    date: date | None


class PaperDetail(PaperAnswer):
    citation_history: list[CitationCount] = Field(description="Every count read, oldest first.")


class Period(_Answer):
    kind: str = Field(description="daily, weekly or monthly.")
    slug: str
    start: date
    end: date


class FeedAnswer(_Answer):
    title: str
    period: Period | None = Field(description="null when no paper has a listing day.")
    previous: str | None = Field(description="The slug of the nearest earlier period with papers.")
    next: str | None = Field(description="The slug of the nearest later period with papers.")
    total: int | None
    results: list[Result]
    offset: int
    limit: int


class TrendingAnswer(_Answer):
    title: str
    total: int | None
    results: list[Result]
    offset: int
    limit: int


class StatsAnswer(_Answer):
    papers: int
    with_abstract: int
    with_citations: int
    with_arxiv_id: int
    year_min: int | None
    year_max: int | None


# -- /api/me --------------------------------------------------------------------------------------
class UserAnswer(_Answer):
    id: int
    email: str
    is_admin: bool
    verified: bool


class LibraryEntry(_Answer):
    paper_id: str
    saved_at: int = Field(description="Unix time.")
    read: bool
    note: str
    tags: list[str]


class SavedPaper(PaperAnswer):
    library: LibraryEntry


class LibraryAnswer(_Answer):
    results: list[SavedPaper]
    tags: dict[str, int] = Field(description="How many saved papers carry each tag.")


class Saved(_Answer):
    saved: str = Field(description="The paper's public id.")


class Removed(_Answer):
    removed: bool


class Voted(_Answer):
    voted: bool


class Dismissed(_Answer):
    dismissed: bool


class Matched(_Answer):
    key: str
    paper_id: str
    matched_on: str = Field(description="arxiv, doi or title.")


class Unmatched(_Answer):
    key: str
    line: int
    reason: str


class ImportAnswer(_Answer):
    added: int
    matched: list[Matched]
    unmatched: list[Unmatched]


class RecommendationsAnswer(_Answer):
    title: str
    results: list[Result]


class SavedSearchAnswer(_Answer):
    id: int
    name: str
    query: str
    mode: str
    filters: dict[str, object]
    created_at: int = Field(description="Unix time.")
    last_seen: int | None = Field(description="Unix time; null until its alerts were first seen.")


class SearchesAnswer(_Answer):
    results: list[SavedSearchAnswer]


class Alert(SavedSearchAnswer):
    papers: list[Result]


class AlertsAnswer(_Answer):
    results: list[Alert]


class CitedWorkAnswer(_Answer):
    """A cited work outside the corpus, as its source named it."""

    paper_id: str | None
    title: str | None
    year: int | None
    ids: dict[str, str] = Field(description="arxiv, doi, openalex, s2: what the source gave.")


class ListingAnswer(_Answer):
    paper_id: str
    order: str
    in_corpus: int
    outside_corpus: int = Field(description="Works (references) or citing papers not in the corpus.")
    papers: list[PaperAnswer] = Field(description="Those in the corpus, ranked by `order`.")
    outside: list[CitedWorkAnswer] = Field(description="References only: the works not in the corpus.")


class Neighbour(PaperAnswer):
    shared_neighbours: int = Field(description="How many of the paper's neighbours it is linked to.")


class GraphAnswer(_Answer):
    paper_id: str
    prior: list[Neighbour] = Field(description="Most often cited by the paper's neighbours (co-citation).")
    derivative: list[Neighbour] = Field(description="Citing the most of its neighbours (bibliographic coupling).")


class GraphNode(PaperAnswer):
    x: float = Field(description="The circle's centre, in the `size` x `size` box (y downwards).")
    y: float
    r: float = Field(description="Its radius: larger for more citations.")
    band: int | None = Field(description="Its year band (an index into `bands`); null when its year is unknown.")
    why: list[str] = Field(description="Why it is in the graph, in words: 'cites this paper', 'similar (0.82)'…")
    similarity: float | None = Field(description="Cosine of its vector and the paper's; null without vectors.")


class GraphLink(_Answer):
    source: str = Field(description="A node's paper id; for `cites`, the citing paper.")
    target: str
    kind: str = Field(description="`cites` or `similar`.")
    weight: float = Field(description="`similar`: the cosine of the two papers' vectors; `cites`: 1.")


class YearBand(_Answer):
    band: int
    first: int
    last: int


class GraphLayoutAnswer(_Answer):
    paper_id: str
    size: int = Field(description="The width and height of the box the nodes sit in.")
    nodes: list[GraphNode] = Field(description="The paper itself first, then its neighbours, most relevant first.")
    links: list[GraphLink]
    bands: list[YearBand] = Field(description="The years each colour stands for, oldest first.")
