"""The JSON API under /api: the same Library calls as the pages, as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response

from paperradar.models import Filters, SearchMode
from paperradar.service import Library, Page

router = APIRouter(prefix="/api", tags=["api"])

QueryText = Annotated[str, Query(max_length=10_000, description="Search text; see docs/search.md for syntax.")]
Limit = Annotated[int, Query(ge=1, le=1000, description="How many results.")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="How many results to skip (paging).")]
Year = Annotated[int | None, Query(ge=1000, le=3000)]


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
    category: Annotated[list[str] | None, Query(max_length=40, description="arXiv category; repeatable.")] = None,
    venue: Annotated[str | None, Query(max_length=200)] = None,
    min_citations: Annotated[int | None, Query(ge=0)] = None,
    has_code: Annotated[bool | None, Query(description="true: only papers with code; false: only without.")] = None,
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
    summary="Search by words and meaning",
    response_description='{"results": [...]} best first; each result has `score` and `found_by` (its retrievers)',
)
def search(
    request: Request,
    filters: SearchFilters,
    q: QueryText = "",
    mode: Annotated[SearchMode, Query(description="hybrid (default), lexical or semantic.")] = SearchMode.HYBRID,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict:
    return _results(_library(request).search(q, limit=limit, offset=offset, filters=filters, mode=mode))


@router.get("/papers/{paper_id:path}/similar", summary="Papers most like one paper, best first, without it")
def similar(
    request: Request,
    paper_id: str,
    filters: SearchFilters,
    limit: Limit = 20,
    focus: Annotated[
        str | None,
        Query(max_length=2000, description="Some of the paper's text (its method, say): papers alike in that respect."),
    ] = None,
) -> dict:
    return _results(_library(request).similar(paper_id, limit=limit, filters=filters, focus=focus))


@router.get(
    "/papers/{paper_id:path}/bibtex",
    summary="One paper as a BibTeX entry",
    response_class=PlainTextResponse,
    responses={200: {"content": {"application/x-bibtex": {"example": "@misc{hu2021lora,\n  title = {{LoRA}}\n}"}}}},
)
def bibtex(request: Request, paper_id: str) -> Response:
    entry = _library(request).bibtex(paper_id)
    return PlainTextResponse(entry, media_type="application/x-bibtex; charset=utf-8")


@router.get("/papers/{paper_id:path}", summary="One paper by public id, arXiv id or DOI")
def paper(request: Request, paper_id: str) -> dict:
    library = _library(request)
    found = library.paper(paper_id)
    data = found.to_dict()
    data["citation_history"] = [
        {"count": c.count, "source": c.source, "date": c.as_of.isoformat() if c.as_of else None}
        for c in library.store.citation_history(found.id or "")
    ]
    return data


@router.get("/best", summary="Most cited papers of a year or a range of years")
def best(
    request: Request,
    year: Year = None,
    since: Year = None,
    until: Year = None,
    limit: Limit = 100,
    offset: Offset = 0,
    category: Annotated[str | None, Query(max_length=40, description="Only papers in this arXiv category.")] = None,
    venue: Annotated[str | None, Query(max_length=200)] = None,
    normalise: Annotated[str, Query(pattern="^(none|age)$", description="age: citations per year.")] = "none",
) -> dict:
    filters = Filters(categories=(category,) if category else (), venue=venue or None)
    page = _library(request).best(year=year, since=since, until=until, limit=limit, offset=offset, filters=filters,
                                  normalise=normalise)  # fmt: skip
    return _results(page, ranked=True)


@router.get("/latest", summary="Newest papers first")
def latest(request: Request, limit: Limit = 25, offset: Offset = 0) -> dict:
    return _results(_library(request).latest(limit=limit, offset=offset))


@router.get("/stats", summary="How many papers the database holds")
def stats(request: Request) -> dict:
    numbers = _library(request).stats()
    return {
        "papers": numbers.papers,
        "with_abstract": numbers.with_abstract,
        "with_citations": numbers.with_citations,
        "with_arxiv_id": numbers.with_arxiv_id,
        "year_min": numbers.years[0],
        "year_max": numbers.years[1],
    }
