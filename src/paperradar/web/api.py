"""The JSON API under /api: the same Library calls as the pages, as JSON."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BeforeValidator

from paperradar.models import Filters, SearchMode
from paperradar.service import MAX_WINDOW, Library, Page
from paperradar.web.api_answers import LatestPage, PaperDetail, ResultPage, StatsAnswer
from paperradar.web.api_errors import errors
from paperradar.web.examples import CURSOR, answer

router = APIRouter(prefix="/api", tags=["api"])

QueryText = Annotated[
    str,
    Query(
        max_length=10_000,
        description="Search text; see docs/search.md for syntax.",
        openapi_examples={
            "words": {"summary": "Plain words", "value": "low rank adaptation"},
            "syntax": {
                "summary": "A phrase, a field and an exclusion",
                "value": '"attention is all" au:vaswani -survey',
            },
        },
    ),
]
Limit = Annotated[int, Query(ge=1, le=1000, description="How many results.", examples=[20])]
Offset = Annotated[
    int, Query(ge=0, le=MAX_WINDOW - 1, description="How many results to skip; offset + limit ≤ 1000.", examples=[0])
]
After = Annotated[
    str | None,
    Query(max_length=500, description="Where the page starts: the previous answer's `next_after`.", examples=[CURSOR]),
]
Year = Annotated[int | None, Query(ge=1000, le=3000, description="A year of publication.", examples=[2021])]
MAX_CITATIONS = 1_000_000_000  # far above any paper's; a bigger number would overflow the stores' integers


def _iso_day(value: object) -> object:
    """A day as the schema says (format date, YYYY-MM-DD): pydantic alone also takes a number, as seconds
    since 1970, so `day=0` answered for 1 January 1970."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a day as YYYY-MM-DD")
    return value


IsoDay = BeforeValidator(_iso_day)  # beside Query() in the Annotated of every date parameter
PaperId = Annotated[str, Path(description="Public id, arXiv id or DOI.", examples=["2106.09685"])]
Venue = Annotated[str | None, Query(max_length=200, description="Only papers from this venue.", examples=["NeurIPS"])]


def _library(request: Request) -> Library:
    return request.app.state.library


def _results(page: Page, ranked: bool = False) -> dict[str, Any]:
    results = [hit.to_dict() for hit in page.hits]
    if ranked:
        for rank, item in enumerate(results, start=page.offset + 1):
            item["rank"] = rank
    body: dict[str, Any] = {"results": results, "offset": page.offset, "limit": page.limit}
    if page.title:
        body["title"] = page.title
    return body


def search_filters(
    year: Year = None,
    year_from: Year = None,
    year_to: Year = None,
    category: Annotated[
        list[str] | None, Query(max_length=40, description="arXiv category; repeatable.", examples=[["cs.CL"]])
    ] = None,
    venue: Venue = None,
    min_citations: Annotated[
        int | None, Query(ge=0, le=MAX_CITATIONS, description="At least this many citations.", examples=[100])
    ] = None,
    has_code: Annotated[
        bool | None, Query(description="true: only papers with code; false: only without.", examples=[True])
    ] = None,
) -> Filters:
    """The filters every search endpoint takes (a dependency, so pages and API parse them alike)."""
    if year is not None:
        year_from = year_to = year
    return Filters(
        year_from=year_from,
        year_to=year_to,
        categories=tuple((category or [])[:20]),
        venue=venue,
        min_citations=min_citations,
        has_code=has_code,
    )


SearchFilters = Annotated[Filters, Depends(search_filters)]


@router.get(
    "/search",
    response_model=None,
    summary="Search by words and meaning",
    response_description='{"results": [...]} best first; each result has `score` and `found_by` (its retrievers)',
    responses=answer("search", ResultPage) | errors(422),
)
def search(
    request: Request,
    filters: SearchFilters,
    q: QueryText = "",
    mode: Annotated[
        SearchMode, Query(description="hybrid (default), lexical or semantic.", examples=["hybrid"])
    ] = SearchMode.HYBRID,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict:
    """Search by words (BM25), by meaning (embeddings) or both fused; the same filters as the search page."""
    return _results(_library(request).search(q, limit=limit, offset=offset, filters=filters, mode=mode))


@router.get(
    "/papers/{paper_id:path}/similar",
    response_model=None,
    summary="Papers most like one paper, best first, without it",
    responses=answer("similar", ResultPage) | errors(404, 422),
)
def similar(
    request: Request,
    paper_id: PaperId,
    filters: SearchFilters,
    limit: Limit = 20,
    focus: Annotated[
        str | None,
        Query(
            max_length=2000,
            description="Some of the paper's text (its method, say): papers alike in that respect.",
            examples=["low-rank updates of the weight matrices"],
        ),
    ] = None,
) -> dict:
    """The papers nearest in meaning to one paper (cosine similarity of their embeddings)."""
    return _results(_library(request).similar(paper_id, limit=limit, filters=filters, focus=focus))


BIBTEX = "application/x-bibtex; charset=utf-8"


def text_answer(media_types: dict[str, str]) -> dict[int | str, dict[str, Any]]:
    """The `responses=` 200 entry of a route answering text, by media type as sent (with its charset) and an
    example of each. Such a route says `response_class=Response`, so FastAPI adds no JSON type of its own."""
    content = {media: {"schema": {"type": "string"}, "example": example} for media, example in media_types.items()}
    return {200: {"content": content}}


@router.get(
    "/papers/{paper_id:path}/bibtex",
    summary="One paper as a BibTeX entry",
    response_class=Response,
    responses=text_answer({BIBTEX: "@misc{hu2021lora,\n  title = {{LoRA}}\n}"}) | errors(404, 422),
)
def bibtex(request: Request, paper_id: PaperId) -> Response:
    """The paper's BibTeX entry, as the paper page shows it."""
    return Response(_library(request).bibtex(paper_id), media_type=BIBTEX)


@router.get("/papers/{paper_id:path}", response_model=None, summary="One paper by public id, arXiv id or DOI",
            responses=answer("paper", PaperDetail) | errors(404, 422))  # fmt: skip
def paper(request: Request, paper_id: PaperId) -> dict:
    """One paper with its citation counts over time, oldest first."""
    library = _library(request)
    found = library.paper(paper_id)
    data = found.to_dict()
    data["citation_history"] = [
        {"count": c.count, "source": c.source, "date": c.as_of.isoformat() if c.as_of else None}
        for c in library.citation_history(found.id or "")
    ]
    return data


@router.get("/best", response_model=None, summary="Most cited papers of a year or a range of years",
            responses=answer("best", ResultPage) | errors(422))  # fmt: skip
def best(
    request: Request,
    year: Year = None,
    since: Year = None,
    until: Year = None,
    limit: Limit = 100,
    offset: Offset = 0,
    category: Annotated[
        str | None, Query(max_length=40, description="Only papers in this arXiv category.", examples=["cs.CL"])
    ] = None,
    venue: Venue = None,
    normalise: Annotated[
        str, Query(pattern="^(none|age)$", description="age: citations per year.", examples=["age"])
    ] = "none",
) -> dict:
    """A best-of list, ranked by citations or by citations per year since publication; `rank` counts from 1."""
    filters = Filters(categories=(category,) if category else (), venue=venue or None)
    page = _library(request).best(year=year, since=since, until=until, limit=limit, offset=offset, filters=filters,
                                  normalise=normalise)  # fmt: skip
    return _results(page, ranked=True)


@router.get(
    "/latest", response_model=None, summary="Newest papers first", responses=answer("latest", LatestPage) | errors(422)
)
def latest(request: Request, limit: Limit = 25, offset: Offset = 0, after: After = None) -> dict:
    """The newest papers by listing or publication date, as the /latest page lists them. Page on with
    `after` set to the answer's `next_after` (null on the last page): any depth, and papers added
    meanwhile neither repeat nor go missing."""
    page = _library(request).latest(limit=limit, offset=offset, after=after)
    return {**_results(page), "next_after": page.next_after}


@router.get(
    "/stats", response_model=None, summary="How many papers the database holds", responses=answer("stats", StatsAnswer)
)
def stats(request: Request) -> dict:
    """Counts of papers, and of those with abstracts, citations and arXiv ids; the years they span."""
    numbers = _library(request).stats()
    return {
        "papers": numbers.papers,
        "with_abstract": numbers.with_abstract,
        "with_citations": numbers.with_citations,
        "with_arxiv_id": numbers.with_arxiv_id,
        "year_min": numbers.years[0],
        "year_max": numbers.years[1],
    }
