"""The HTML pages. Each route makes one Library call and renders a template."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from paperradar.models import Filters, SearchMode
from paperradar.service import Library, Page
from paperradar.web.api import After, SearchFilters
from paperradar.web.daily import Format
from paperradar.web.feeds import feed_response
from paperradar.web.paging import PageNumber, page_window
from paperradar.web.templating import templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

Year = Annotated[int | None, Query(ge=1000, le=3000)]


def _library(request: Request) -> Library:
    return request.app.state.library


def _feed(request: Request, fmt: str, title: str, page: Page) -> Response:
    page_url = str(request.url.remove_query_params("format"))
    return feed_response(fmt, title, page_url, str(request.base_url).rstrip("/"), page.hits, _library(request))


@router.get("/latest")
def latest(request: Request, page: PageNumber = 1, after: After = None, fmt: Format = "html") -> Response:
    size, offset = page_window(request, page)  # `page` from older links; "Older" links carry `after`, which wins
    found = _library(request).latest(limit=size, offset=0 if after else offset, after=after)
    if fmt != "html":
        return _feed(request, fmt, "Latest papers", found)
    return templates.TemplateResponse(request, "index.html", {"page": found, "number": page, "after": after})


@router.get("/search")
def search(
    request: Request,
    filters: SearchFilters,
    q: Annotated[str, Query(max_length=10_000)] = "",
    mode: SearchMode = SearchMode.HYBRID,
    page: PageNumber = 1,
    fmt: Format = "html",
) -> Response:
    size, offset = page_window(request, page)
    found = _library(request).search(q, limit=size, offset=offset, filters=filters, mode=mode)
    if fmt != "html":
        return _feed(request, fmt, f"Search: {q[:200]}", found)
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "format")]
    context = {
        "q": q,
        "mode": mode.value,
        "modes": [m.value for m in SearchMode],
        "year": request.query_params.get("year"),
        "category": filters.categories[0] if filters.categories else "",
        "has_code": filters.has_code,
        "base_query": urlencode(kept) + "&" if kept else "",  # the pager keeps every filter
    }
    return templates.TemplateResponse(request, "search.html", {**context, "page": found, "number": page})


SIMILAR_ON_PAGE = 10
WORKS_ON_PAGE = 25  # of each citation list; the rest are counted, and all of them are in the JSON
NEIGHBOURS_ON_PAGE = 10


@router.get("/papers/{paper_id:path}/graph")
def paper_graph(request: Request, paper_id: str) -> HTMLResponse:
    """The paper's neighbourhood drawn as a graph (SVG, no script), then listed. Before the paper's own
    route, whose `{paper_id:path}` would take "/graph" for part of an id."""
    view = _library(request).graph.view(paper_id)
    return templates.TemplateResponse(request, "graph.html", {"paper": view.paper, "view": view})


@router.get("/papers/{paper_id:path}")
def paper(request: Request, paper_id: str) -> HTMLResponse:
    library = _library(request)
    found = library.paper(paper_id)
    history = library.citation_history(found.id or "")
    similar = library.similar(found.id or "", limit=SIMILAR_ON_PAGE).hits if library.has_embeddings() else []
    graph = {
        "references": library.graph.references(found.id or "", limit=WORKS_ON_PAGE),
        "cited_by": library.graph.citations(found.id or "", limit=WORKS_ON_PAGE),
        "neighbours": library.graph.neighbourhood(found.id or "", NEIGHBOURS_ON_PAGE),
        "shown": WORKS_ON_PAGE,
    }
    context = {"paper": found, "history": history, "similar": similar, "graph": graph}
    return templates.TemplateResponse(request, "paper.html", context)


BestFormat = Annotated[
    Literal["html", "rss", "atom", "json", "markdown", "bibtex"],
    Query(alias="format", description="Page, feed or export."),
]
Text = Annotated[str | None, Query(max_length=200)]
Normalise = Annotated[Literal["none", "age"], Query()]


def _best(request: Request, fmt: str, context: dict, **asked) -> Response:
    category, venue, normalise = context["category"], context["venue"], context["normalise"]
    filters = Filters(categories=(category,) if category else (), venue=venue or None)
    library = _library(request)
    found = library.best(filters=filters, normalise=normalise, **asked)
    if fmt == "markdown":
        return PlainTextResponse(library.best_markdown(found), media_type="text/markdown; charset=utf-8")
    if fmt == "bibtex":
        return PlainTextResponse(library.bibliography(found), media_type="application/x-bibtex; charset=utf-8")
    if fmt != "html":
        return _feed(request, fmt, found.title, found)
    return templates.TemplateResponse(request, "best.html", {"page": found, **context})


@router.get("/best/{year}")
def best_of_year(
    request: Request,
    year: Annotated[int, Path(ge=1000, le=3000)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    category: Text = None,
    venue: Text = None,
    normalise: Normalise = "none",
    fmt: BestFormat = "html",
) -> Response:
    context = {"year": year, "category": category or "", "venue": venue or "", "normalise": normalise}
    return _best(request, fmt, context, year=year, limit=limit)


@router.get("/best")
def best(
    request: Request,
    since: Year = None,
    until: Year = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    category: Text = None,
    venue: Text = None,
    normalise: Normalise = "none",
    fmt: BestFormat = "html",
) -> Response:
    context = {"since": since, "until": until, "category": category or "", "venue": venue or "", "normalise": normalise}
    return _best(request, fmt, context, since=since, until=until, limit=limit)


@router.get("/robots.txt", response_class=PlainTextResponse)
def robots() -> str:
    return "User-agent: *\nDisallow: /api/\nDisallow: /subscribe\nDisallow: /unsubscribe\n"


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page links: the same icon, not a 404 on every page."""
    return FileResponse(FilePath(__file__).parent / "static" / "favicon.svg", media_type="image/svg+xml")
