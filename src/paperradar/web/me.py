"""What belongs to the signed-in user: the library page, /for-you, saved searches, votes, and the same as
JSON under /api/me (session cookie plus the X-CSRF-Token header). Every route names the user from the
session, never from the request, so nobody can reach another user's library."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from paperradar.errors import InputError
from paperradar.models import SearchMode
from paperradar.models.account import User
from paperradar.service import Library
from paperradar.service.shelf import parse_tags
from paperradar.web.api import SearchFilters
from paperradar.web.csrf import require_csrf
from paperradar.web.feeds import feed_response
from paperradar.web.session import back_to, require_user, see_other
from paperradar.web.templating import templates

pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
api = APIRouter(prefix="/api/me", tags=["me"])
Signed = Annotated[User, Depends(require_user)]
CSRF = [Depends(require_csrf)]
PaperKey = Annotated[str, Form(max_length=300)]
Next = Annotated[str, Form(max_length=2000)]
Tag = Annotated[str | None, Query(max_length=40)]
MAX_UPLOAD = 5_000_000
FOR_YOU = 30


def _library(request: Request) -> Library:
    return request.app.state.library


async def _read_upload(upload: UploadFile) -> str:
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
    _library(request).shelf.save(user, paper_id, tags=parse_tags(tags))
    return see_other(back_to(next, "/library"))


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
    report = _library(request).shelf.import_bibtex(user, await _read_upload(file), tags=parse_tags(tags))
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
               "tag": tag or "", "alerts": library.saved_searches.since_last_seen(user, date.today())}  # fmt: skip
    return templates.TemplateResponse(request, "for_you.html", context)


@pages.get("/for-you/feed/{token}.rss")
def for_you_feed(request: Request, token: Annotated[str, Path(max_length=4096)]) -> Response:
    """The secret-URL feed: the token names the user (no cookie: feed readers have none); revocable."""
    library = _library(request)
    user = library.accounts.user_for_feed(token)
    if user is None:
        return Response("this feed address is not valid (made anew on the account page?)", 404)
    page = library.recommendations(user.id, FOR_YOU)
    return feed_response("rss", "Recommended for you", str(request.url), str(request.base_url).rstrip("/"), page.hits)


@pages.post("/searches", dependencies=CSRF)
def save_search(request: Request, user: Signed, q: Annotated[str, Form(max_length=1000)],
                mode: Annotated[SearchMode, Form()] = SearchMode.HYBRID,
                year: Annotated[int | None, Form(ge=1000, le=3000)] = None,
                name: Annotated[str, Form(max_length=200)] = "") -> Response:  # fmt: skip
    from paperradar.models import Filters

    _library(request).saved_searches.save(user, q, mode.value, Filters.for_year(year), name)
    return see_other("/for-you")


@pages.post("/searches/{search_id}/delete", dependencies=CSRF)
def delete_search(request: Request, user: Signed, search_id: int) -> Response:
    _library(request).saved_searches.delete(user, search_id)
    return see_other("/for-you")


@pages.post("/searches/{search_id}/seen", dependencies=CSRF)
def seen_search(request: Request, user: Signed, search_id: int) -> Response:
    _library(request).saved_searches.mark_seen(user, search_id)
    return see_other("/for-you")


# -- JSON -------------------------------------------------------------------------------------------
def _entries(library: Library, user: User, tag: str | None) -> list[dict[str, Any]]:
    return [{**p.to_dict(), "library": e.to_dict()} for e, p in library.shelf.entries(user, tag)]


@api.get("", summary="The signed-in user")
def me(user: Signed) -> dict:
    return user.to_dict()


@api.get("/library", summary="Your saved papers, newest save first, with tags, notes and read marks")
def api_library(request: Request, user: Signed, tag: Tag = None) -> dict:
    library = _library(request)
    return {"results": _entries(library, user, tag), "tags": dict(library.shelf.tags(user))}


@api.put("/library/{paper_id:path}", summary="Save a paper (optionally with tags)", dependencies=CSRF)
def api_save(request: Request, user: Signed, paper_id: str,
             body: Annotated[dict[str, Any] | None, Body()] = None) -> dict:  # fmt: skip
    tags = (body or {}).get("tags")
    paper = _library(request).shelf.save(user, paper_id, tags=_tag_list(tags))
    return {"saved": paper.id}


@api.patch("/library/{paper_id:path}", summary="Change a saved paper's note, tags or read mark", dependencies=CSRF)
def api_update(request: Request, user: Signed, paper_id: str, body: Annotated[dict[str, Any], Body()]) -> dict:
    note, read = body.get("note"), body.get("read")
    if note is not None and not isinstance(note, str):
        raise InputError("note: must be text")
    if read is not None and not isinstance(read, bool):
        raise InputError("read: must be true or false")
    tags = _tag_list(body.get("tags")) if "tags" in body else None
    return _library(request).shelf.update(user, paper_id, note=note, read=read, tags=tags).to_dict()


def _tag_list(tags: object) -> list[str] | None:
    if tags is None:
        return None
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InputError("tags: must be a list of text")
    return tags


@api.delete("/library/{paper_id:path}", summary="Remove a paper from your library", dependencies=CSRF)
def api_unsave(request: Request, user: Signed, paper_id: str) -> dict:
    return {"removed": _library(request).shelf.unsave(user, paper_id)}


@api.post("/import", summary="Import a Zotero/BibTeX export into your library", dependencies=CSRF)
async def api_import(request: Request, user: Signed, file: UploadFile) -> dict:
    return _library(request).shelf.import_bibtex(user, await _read_upload(file)).to_dict()


@api.get("/export", summary="Your library as BibTeX, CSV or JSON")
def api_export(request: Request, user: Signed, fmt: Annotated[str, Query(alias="format", pattern="^(bibtex|csv|json)$")]
               = "json", tag: Tag = None) -> Response:  # fmt: skip
    text, media = _library(request).shelf.export(user, fmt, tag)
    return Response(text, media_type=f"{media}; charset=utf-8")


@api.put("/votes/{paper_id:path}", summary="Upvote a paper", dependencies=CSRF)
def api_vote(request: Request, user: Signed, paper_id: str) -> dict:
    return {"voted": _library(request).shelf.vote(user, paper_id, True)}


@api.delete("/votes/{paper_id:path}", summary="Take back an upvote", dependencies=CSRF)
def api_unvote(request: Request, user: Signed, paper_id: str) -> dict:
    return {"removed": _library(request).shelf.vote(user, paper_id, False)}


@api.put("/dismissed/{paper_id:path}", summary='Mark a paper "not interested"', dependencies=CSRF)
def api_dismiss(request: Request, user: Signed, paper_id: str) -> dict:
    return {"dismissed": _library(request).shelf.dismiss(user, paper_id)}


@api.get("/recommendations", summary="Papers like your library (or one tag of it), each with why")
def api_recommendations(request: Request, user: Signed, tag: Tag = None,
                        limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict:  # fmt: skip
    page = _library(request).recommendations(user.id, limit, tag)
    return {"results": [h.to_dict() for h in page.hits], "title": page.title}


@api.get("/searches", summary="Your saved searches")
def api_searches(request: Request, user: Signed) -> dict:
    return {"results": [s.to_dict() for s in _library(request).saved_searches.searches(user)]}


@api.post("/searches", summary="Save a search as an alert", dependencies=CSRF)
def api_save_search(
    request: Request,
    user: Signed,
    filters: SearchFilters,
    q: Annotated[str, Query(max_length=1000)],
    mode: SearchMode = SearchMode.HYBRID,
    name: Annotated[str, Query(max_length=200)] = "",
) -> dict:
    return _library(request).saved_searches.save(user, q, mode.value, filters, name).to_dict()


@api.delete("/searches/{search_id}", summary="Delete a saved search", dependencies=CSRF)
def api_delete_search(request: Request, user: Signed, search_id: int) -> dict:
    return {"removed": _library(request).saved_searches.delete(user, search_id)}


@api.get("/alerts", summary="New papers of each saved search listed between two days")
def api_alerts(request: Request, user: Signed, since: date, until: date | None = None) -> dict:
    found = _library(request).alerts(user.id, since, until or date.today())
    return {"results": [{**s.to_dict(), "papers": [h.to_dict() for h in hits]} for s, hits in found]}
