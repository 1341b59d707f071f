"""What belongs to the signed-in user: the library page, /for-you, saved searches, votes, and the same as
JSON under /api/me (session cookie plus the X-CSRF-Token header). Every route names the user from the
session, never from the request, so nobody can reach another user's library."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL

from paperradar.errors import InputError
from paperradar.models import SearchMode
from paperradar.models.account import User
from paperradar.service import Library
from paperradar.service.shelf import parse_tags
from paperradar.web.csrf import require_csrf
from paperradar.web.feeds import feed_response
from paperradar.web.session import back_to, require_user, see_other
from paperradar.web.templating import templates

pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Signed = Annotated[User, Depends(require_user)]
CSRF = [Depends(require_csrf)]
PaperKey = Annotated[str, Form(max_length=300)]
Next = Annotated[str, Form(max_length=2000)]
Tag = Annotated[str | None, Query(max_length=40)]
SearchId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The saved search's id.", examples=[1])]  # a store's int
MAX_UPLOAD = 5_000_000
FOR_YOU = 30


def _library(request: Request) -> Library:
    return request.app.state.library


async def read_upload(upload: UploadFile) -> str:
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InputError(f"file: larger than {MAX_UPLOAD // 1_000_000} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("file: not UTF-8 text (export BibTeX from Zotero with the UTF-8 character set)") from None


# -- pages ------------------------------------------------------------------------------------------
@pages.get("/library")
def library_page(request: Request, user: Signed, tag: Tag = None) -> Response:
    shelf = _library(request).shelf
    context = {"entries": shelf.entries(user, tag), "tags": shelf.tags(user), "tag": tag or "", "user": user}
    return templates.TemplateResponse(request, "library.html", context)


@pages.post("/library/save", dependencies=CSRF)
def save(request: Request, user: Signed, paper_id: PaperKey, next: Next = "/library",
         tags: Annotated[str, Form(max_length=2000)] = "") -> Response:  # fmt: skip
    paper = _library(request).shelf.save(user, paper_id, tags=parse_tags(tags))
    # Back where the form was, scrolled to the card, which confirms the save and shows its tags.
    page = URL(back_to(next, "/library")).include_query_params(saved=paper.id).replace(fragment=f"p-{paper.id}")
    return see_other(str(page))


@pages.post("/library/unsave", dependencies=CSRF)
def unsave(request: Request, user: Signed, paper_id: PaperKey, next: Next = "/library") -> Response:
    _library(request).shelf.unsave(user, paper_id)
    return see_other(back_to(next, "/library"))


@pages.post("/library/update", dependencies=CSRF)
def update(request: Request, user: Signed, paper_id: PaperKey, next: Next = "/library",
           note: Annotated[str | None, Form(max_length=20_000)] = None,
           tags: Annotated[str | None, Form(max_length=2000)] = None,
           read: Annotated[str | None, Form(pattern="^(yes|no)$")] = None) -> Response:  # fmt: skip
    _library(request).shelf.update(user, paper_id, note=note, tags=None if tags is None else parse_tags(tags),
                                   read=None if read is None else read == "yes")  # fmt: skip
    return see_other(back_to(next, "/library"))


@pages.post("/library/import", dependencies=CSRF)
async def import_form(request: Request, user: Signed, file: UploadFile,
                      tags: Annotated[str, Form(max_length=2000)] = "") -> Response:  # fmt: skip
    text = await read_upload(file)  # parsing and saving block: the thread pool, not the event loop
    report = await run_in_threadpool(_library(request).shelf.import_bibtex, user, text, tags=parse_tags(tags))
    return templates.TemplateResponse(request, "imported.html", {"report": report, "name": file.filename or ""})


@pages.get("/library/export")
def export(request: Request, user: Signed, fmt: Annotated[str, Query(alias="format", pattern="^(bibtex|csv|json)$")]
           = "bibtex", tag: Tag = None) -> Response:  # fmt: skip
    text, media = _library(request).shelf.export(user, fmt, tag)
    extension = {"bibtex": "bib"}.get(fmt, fmt)
    return Response(
        text,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="paperradar-library.{extension}"'},
    )


@pages.post("/vote", dependencies=CSRF)
def vote(request: Request, user: Signed, paper_id: PaperKey, next: Next = "/",
         up: Annotated[str, Form(pattern="^(yes|no)$")] = "yes") -> Response:  # fmt: skip
    _library(request).shelf.vote(user, paper_id, up == "yes")
    return see_other(back_to(next))


@pages.post("/dismiss", dependencies=CSRF)
def dismiss(request: Request, user: Signed, paper_id: PaperKey, next: Next = "/for-you") -> Response:
    _library(request).shelf.dismiss(user, paper_id)
    return see_other(back_to(next, "/for-you"))


@pages.get("/for-you")
def for_you(request: Request, user: Signed, tag: Tag = None) -> Response:
    library = _library(request)
    context = {"page": library.recommendations(user.id, FOR_YOU, tag), "tags": library.shelf.tags(user),
               "tag": tag or "", "alerts": library.saved_searches.since_last_seen(user, library.today())}  # fmt: skip
    return templates.TemplateResponse(request, "for_you.html", context)


@pages.get("/for-you/feed/{token}.rss")
def for_you_feed(request: Request, token: Annotated[str, Path(max_length=4096)]) -> Response:
    """The secret-URL feed: the token names the user (no cookie: feed readers have none); revocable."""
    library = _library(request)
    user = library.accounts.user_for_feed(token)
    if user is None:
        return Response("this feed address is not valid (made anew on the account page?)", 404)
    page = library.recommendations(user.id, FOR_YOU)
    base = str(request.base_url).rstrip("/")
    return feed_response("rss", "Recommended for you", str(request.url), base, page.hits, library)


@pages.post("/searches", dependencies=CSRF)
def save_search(request: Request, user: Signed, q: Annotated[str, Form(max_length=1000)],
                mode: Annotated[SearchMode, Form()] = SearchMode.HYBRID,
                year: Annotated[int | None, Form(ge=1000, le=3000)] = None,
                name: Annotated[str, Form(max_length=200)] = "") -> Response:  # fmt: skip
    from paperradar.models import Filters

    _library(request).saved_searches.save(user, q, mode.value, Filters.for_year(year), name)
    return see_other("/for-you")


@pages.post("/searches/{search_id}/delete", dependencies=CSRF)
def delete_search(request: Request, user: Signed, search_id: SearchId) -> Response:
    _library(request).saved_searches.delete(user, search_id)
    return see_other("/for-you")


@pages.post("/searches/{search_id}/seen", dependencies=CSRF)
def seen_search(request: Request, user: Signed, search_id: SearchId) -> Response:
    _library(request).saved_searches.mark_seen(user, search_id)
    return see_other("/for-you")
