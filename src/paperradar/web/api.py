"""The JSON API under /api: the same Library calls as the pages, as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from paperradar.models import Filters
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


@router.get("/search", summary="Keyword search", response_description='{"results": [...]} best first')
def search(request: Request, q: QueryText = "", limit: Limit = 20, offset: Offset = 0, year: Year = None) -> dict:
    return _results(_library(request).search(q, limit=limit, offset=offset, filters=Filters.for_year(year)))


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
) -> dict:
    page = _library(request).best(year=year, since=since, until=until, limit=limit, offset=offset)
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
