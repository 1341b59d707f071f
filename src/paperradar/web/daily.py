"""The daily feed and trending: pages, their JSON and their feeds, from the same Library calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from paperradar.models import Filters
from paperradar.service import MAX_WINDOW, FeedPage, Library, Page
from paperradar.web.api import IsoDay
from paperradar.web.api_answers import FeedAnswer, TrendingAnswer
from paperradar.web.api_errors import errors
from paperradar.web.examples import answer
from paperradar.web.feeds import feed_response
from paperradar.web.paging import PageNumber, page_window
from paperradar.web.templating import templates

pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
api = APIRouter(prefix="/api", tags=["api"])

WindowName = Literal["day", "week", "month"]
Format = Annotated[
    Literal["html", "rss", "atom", "json"],
    Query(alias="format", description="html, rss, atom or json (JSON Feed 1.1)."),
]
Category = Annotated[
    str | None, Query(max_length=40, description="Only papers in this arXiv category.", examples=["cs.CL"])
]
Limit = Annotated[int, Query(ge=1, le=1000, description="How many results.", examples=[25])]
Offset = Annotated[
    int, Query(ge=0, le=MAX_WINDOW - 1, description="How many results to skip; offset + limit ≤ 1000.", examples=[0])
]
Window = Annotated[WindowName, Query(description="How far back signals count: day, week or month.", examples=["week"])]
Day = Annotated[
    date | None, Query(description="The last day of the window (default: today).", examples=["2024-05-03"]), IsoDay
]


def _library(request: Request) -> Library:
    return request.app.state.library


def _filters(category: str | None) -> Filters:
    return Filters(categories=(category,) if category else ())


def _render(request: Request, fmt: str, template: str, page: Page, context: dict[str, Any]) -> Response:
    if fmt != "html":
        base = str(request.base_url).rstrip("/")
        page_url = str(request.url.remove_query_params("format"))
        return feed_response(fmt, page.title, page_url, base, page.hits, _library(request))
    return templates.TemplateResponse(request, template, {"page": page, **context})


SEEN_COOKIE = "seen"  # the newest listing day this browser has been shown: "new" badges need no account


def _seen(request: Request) -> date | None:
    try:
        return date.fromisoformat(request.cookies.get(SEEN_COOKIE, "")[:10])
    except ValueError:
        return None


def _feed_page(request: Request, found: FeedPage, fmt: str, number: int, category: str | None) -> Response:
    kind = found.period.kind if found.period else "daily"
    seen = _seen(request)
    context = {"feed": found, "number": number, "category": category or "", "kind": kind, "new_since": seen}
    response = _render(request, fmt, "daily.html", found.page, context)
    shown = [h.paper.listing_date for h in found.page.hits if h.paper.listing_date]
    if fmt == "html" and shown and (seen is None or max(shown) > seen):
        response.set_cookie(SEEN_COOKIE, max(shown).isoformat(), max_age=365 * 86400, httponly=True, samesite="lax")
    return response


@pages.get("/")
def home(request: Request, category: Category = None, page: PageNumber = 1, fmt: Format = "html") -> Response:
    size, offset = page_window(request, page)
    found = _library(request).daily(limit=size, offset=offset, filters=_filters(category))
    if found.period is None and not category:  # no listing dates (the seed papers alone): say what there is
        library = _library(request)
        if fmt != "html":  # a feed of the front page still has items: the newest papers
            latest = library.latest(limit=size, offset=offset)
            return _render(request, fmt, "index.html", replace(latest, title="Latest papers"), {"number": page})
        context = {"papers": library.paper_count()}
        return _render(request, fmt, "welcome.html", library.best(limit=10), context)
    return _feed_page(request, found, fmt, page, category)


def _period_page(kind: str) -> Callable[..., Response]:
    def period(request: Request, slug: str, category: Category = None, page: PageNumber = 1,
               fmt: Format = "html") -> Response:  # fmt: skip
        size, offset = page_window(request, page)
        found = _library(request).daily(kind, slug[:20], limit=size, offset=offset,
                                        filters=_filters(category))  # fmt: skip
        return _feed_page(request, found, fmt, page, category)

    return period


@pages.get("/trending")
def trending(request: Request, window: WindowName = "week", day: date | None = None, category: Category = None,
             page: PageNumber = 1, fmt: Format = "html") -> Response:  # fmt: skip
    size, offset = page_window(request, page)
    found = _library(request).trending(window, day, limit=size, offset=offset, filters=_filters(category))
    context = {"window": window, "number": page, "category": category or ""}
    return _render(request, fmt, "trending.html", found, context)


def _feed_json(found: FeedPage) -> dict[str, Any]:
    page = found.page
    return {
        "title": page.title,
        "period": found.period and {"kind": found.period.kind, "slug": found.period.slug,
                                    "start": found.period.start.isoformat(), "end": found.period.end.isoformat()},
        "previous": found.previous.slug if found.previous else None,
        "next": found.next.slug if found.next else None,
        "total": page.total,
        "results": [hit.to_dict() for hit in page.hits],
        "offset": page.offset,
        "limit": page.limit,
    }  # fmt: skip


@api.get(
    "/daily",
    response_model=None,
    summary="Papers of the newest day with papers, best first, each with `why`",
    responses=answer("feed", FeedAnswer) | errors(422),
)
def api_newest(request: Request, category: Category = None, limit: Limit = 25, offset: Offset = 0) -> dict:
    """The home page's list: the newest listing day, ordered by the trending score over that day."""
    return _feed_json(_library(request).daily(limit=limit, offset=offset, filters=_filters(category)))


def _period_api(kind: str, example: str) -> Callable[..., dict]:
    def api_period(request: Request, slug: str, category: Category = None, limit: Limit = 25,
                   offset: Offset = 0) -> dict:  # fmt: skip
        """One period's papers, with the nearest periods before and after that have papers."""
        found = _library(request).daily(kind, slug[:20], limit=limit, offset=offset, filters=_filters(category))
        return _feed_json(found)

    # Set here, not in the signature: annotations are strings under `from __future__`, and this one names a local.
    api_period.__annotations__["slug"] = Annotated[str, Path(max_length=20, examples=[example])]

    return api_period


for _kind, _shape, _example in (("daily", "YYYY-MM-DD", "2024-05-03"), ("weekly", "YYYY-Www", "2024-W18"),
                                ("monthly", "YYYY-MM", "2024-05")):  # fmt: skip
    pages.add_api_route(f"/{_kind}/{{slug}}", _period_page(_kind), methods=["GET"])
    _summary = f"Papers listed in one period ({_shape}), best first, each with `why`"
    api.add_api_route(f"/{_kind}/{{slug}}", _period_api(_kind, _example), methods=["GET"], summary=_summary,
                      response_model=None, responses=answer("feed", FeedAnswer) | errors(422))  # fmt: skip


@api.get("/trending", response_model=None, summary="Trending papers over a day, week or month, each with `why`",
         responses=answer("trending", TrendingAnswer) | errors(422))  # fmt: skip
def api_trending(request: Request, window: Window = "week", day: Day = None, category: Category = None,
                 limit: Limit = 25, offset: Offset = 0) -> dict:  # fmt: skip
    """Papers ranked by the trending formula of docs/trending.md, each with the reasons it ranks there."""
    found = _library(request).trending(window, day, limit=limit, offset=offset, filters=_filters(category))
    results = [hit.to_dict() for hit in found.hits]
    return {"title": found.title, "total": found.total, "results": results, "offset": offset, "limit": limit}
