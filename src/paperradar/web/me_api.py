"""The signed-in user's data as JSON under /api/me: library, votes, "not interested", recommendations,
saved searches and their alerts. Session cookie required; every change also needs the X-CSRF-Token header
(the token the pages put in their forms). Each route answers for the signed-in user's data only."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from paperradar.errors import InputError
from paperradar.models import SearchMode
from paperradar.service import Library
from paperradar.service.shelf import EXPORTS
from paperradar.web.api import IsoDay, SearchFilters, text_answer
from paperradar.web.api_answers import (
    AlertsAnswer,
    Dismissed,
    ImportAnswer,
    LibraryAnswer,
    LibraryEntry,
    RecommendationsAnswer,
    Removed,
    Saved,
    SavedSearchAnswer,
    SearchesAnswer,
    UserAnswer,
    Voted,
)
from paperradar.web.api_errors import errors
from paperradar.web.examples import PAPER, RESULT
from paperradar.web.me import CSRF, SearchId, Signed, read_upload

api = APIRouter(prefix="/api/me", tags=["me"])

PaperId = Annotated[str, Path(max_length=300, description="Public id, arXiv id or DOI.", examples=["2106.09685"])]
Tag = Annotated[str | None, Query(max_length=40, description="Only papers with this tag.", examples=["peft"])]
ENTRY = {
    "paper_id": PAPER["id"],
    "saved_at": 1764576000,
    "read": False,
    "note": "Try on our 7B model",
    "tags": ["peft"],
}
SEARCH = {"id": 1, "name": "low-rank adapters", "query": "low-rank adaptation", "mode": "hybrid",
          "filters": {"categories": ["cs.CL"]}, "created_at": 1764576000, "last_seen": None}  # fmt: skip


READS = errors(401, 422)
CHANGES = errors(401, 403, 422)
CHANGES_TO_A_PAPER = errors(401, 403, 404, 422)
CHANGES_WITH_A_BODY = errors(400, 401, 403, 404, 413, 422)  # 400: a body that does not parse


def _answer(model: type, example: object) -> dict[int | str, dict[str, Any]]:
    """A 200 answer: its shape (web/api_answers.py; the route returns a dict it describes) and an example."""
    return {200: {"model": model, "content": {"application/json": {"example": example}}}}


def _library(request: Request) -> Library:
    return request.app.state.library


@api.get(
    "",
    response_model=None,
    summary="The signed-in user",
    responses=_answer(UserAnswer, {"id": 1, "email": "you@example.org", "is_admin": False, "verified": True})
    | errors(401),
)
def me(user: Signed) -> dict:
    """Who the session cookie belongs to (401 without one). Never includes the password or its hash."""
    return user.to_dict()


@api.get("/library", summary="Your saved papers, newest save first, with tags, notes and read marks",
         response_model=None,
         responses=_answer(LibraryAnswer, {"results": [{**PAPER, "library": ENTRY}], "tags": {"peft": 1}})
         | READS)  # fmt: skip
def api_library(request: Request, user: Signed, tag: Tag = None) -> dict:
    """Each saved paper with your `library` entry (tags, note, read mark), and the count of each tag."""
    library = _library(request)
    entries = [{**p.to_dict(), "library": e.to_dict()} for e, p in library.shelf.entries(user, tag)]
    return {"results": entries, "tags": dict(library.shelf.tags(user))}


@api.put("/library/{paper_id:path}", summary="Save a paper (optionally with tags)", dependencies=CSRF,
         response_model=None, responses=_answer(Saved, {"saved": PAPER["id"]}) | CHANGES_WITH_A_BODY)  # fmt: skip
def api_save(request: Request, user: Signed, paper_id: PaperId,
             body: Annotated[dict[str, Any] | None, Body(examples=[{"tags": ["peft"]}])] = None) -> dict:  # fmt: skip
    """Saving a paper already saved keeps it (and adds the tags given)."""
    paper = _library(request).shelf.save(user, paper_id, tags=_tag_list((body or {}).get("tags")))
    return {"saved": paper.id}


@api.patch("/library/{paper_id:path}", summary="Change a saved paper's note, tags or read mark", dependencies=CSRF,
           response_model=None, responses=_answer(LibraryEntry, ENTRY) | CHANGES_WITH_A_BODY)  # fmt: skip
def api_update(request: Request, user: Signed, paper_id: PaperId,
               body: Annotated[dict[str, Any], Body(examples=[{"note": "Read §3", "read": True}])],
               ) -> dict:  # fmt: skip
    """Any of `note` (text), `tags` (a list replacing the old ones) and `read` (true or false)."""
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


@api.delete("/library/{paper_id:path}", summary="Remove a paper from your library", dependencies=CSRF,
            response_model=None, responses=_answer(Removed, {"removed": True}) | CHANGES_TO_A_PAPER)  # fmt: skip
def api_unsave(request: Request, user: Signed, paper_id: PaperId) -> dict:
    """`removed` is false when the paper was not in your library."""
    return {"removed": _library(request).shelf.unsave(user, paper_id)}


@api.post("/import", summary="Import a Zotero/BibTeX export into your library", dependencies=CSRF,
          response_model=None,
          responses=_answer(ImportAnswer, {"added": 1, "matched": [{"key": "hu2021lora", "paper_id": PAPER["id"],
                                                       "matched_on": "arxiv"}],
                              "unmatched": [{"key": "unknown2020", "line": 12,
                                             "reason": "no paper in this database matches it"}]})
          | errors(400, 401, 403, 413, 422))  # fmt: skip
async def api_import(request: Request, user: Signed, file: UploadFile) -> dict:
    """A .bib file (multipart field `file`, UTF-8, at most 5 MB), matched by arXiv id, DOI, then title.
    A malformed file changes nothing and names the entry and line."""
    text = await read_upload(file)  # parsing and saving block: the thread pool, not the event loop
    return (await run_in_threadpool(_library(request).shelf.import_bibtex, user, text)).to_dict()


def _sent(media: str) -> str:
    return f"{media}; charset=utf-8"


EXPORTED = text_answer(
    {
        _sent(EXPORTS["bibtex"]): "@misc{hu2021lora,\n  title = {{LoRA}}\n}",
        _sent(EXPORTS["csv"]): "id,title,authors,year,arxiv_id,doi,url,tags,read,note,saved_at\r\n",
    }
)
EXPORTED[200]["content"][_sent(EXPORTS["json"])] = {"schema": {"type": "array", "items": {"type": "object"}},
                                                    "example": [{**PAPER, "library": ENTRY}]}  # fmt: skip


@api.get("/export", summary="Your library as BibTeX, CSV or JSON", response_class=Response,
         responses=EXPORTED | READS)  # fmt: skip
def api_export(request: Request, user: Signed,
               fmt: Annotated[str, Query(alias="format", pattern="^(bibtex|csv|json)$",
                                         description="bibtex (Zotero imports it back), csv or json.",
                                         examples=["bibtex"])] = "json",
               tag: Tag = None) -> Response:  # fmt: skip
    """The whole library, or one tag of it, as a file."""
    text, media = _library(request).shelf.export(user, fmt, tag)
    return Response(text, media_type=_sent(media))


@api.put("/votes/{paper_id:path}", summary="Upvote a paper", dependencies=CSRF, response_model=None,
         responses=_answer(Voted, {"voted": True}) | CHANGES_TO_A_PAPER)  # fmt: skip
def api_vote(request: Request, user: Signed, paper_id: PaperId) -> dict:
    """One vote per user and paper; votes feed the trending score (docs/trending.md)."""
    return {"voted": _library(request).shelf.vote(user, paper_id, True)}


@api.delete("/votes/{paper_id:path}", summary="Take back an upvote", dependencies=CSRF, response_model=None,
            responses=_answer(Removed, {"removed": True}) | CHANGES_TO_A_PAPER)  # fmt: skip
def api_unvote(request: Request, user: Signed, paper_id: PaperId) -> dict:
    """`removed` is false when you had not voted for it."""
    return {"removed": _library(request).shelf.vote(user, paper_id, False)}


@api.put("/dismissed/{paper_id:path}", summary='Mark a paper "not interested"', dependencies=CSRF,
         response_model=None, responses=_answer(Dismissed, {"dismissed": True}) | CHANGES_TO_A_PAPER)  # fmt: skip
def api_dismiss(request: Request, user: Signed, paper_id: PaperId) -> dict:
    """The paper is never recommended to you again, and papers like it rank lower."""
    return {"dismissed": _library(request).shelf.dismiss(user, paper_id)}


@api.get(
    "/recommendations",
    response_model=None,
    summary="Papers like your library (or one tag of it), each with why",
    responses=_answer(
        RecommendationsAnswer,
        {
            "title": "For you",
            "results": [
                {**RESULT, "why": ["close to “QLoRA: Efficient Finetuning of Quantized LLMs” in your library"]}
            ],
        },
    )
    | READS,
)
def api_recommendations(request: Request, user: Signed, tag: Tag = None,
                        limit: Annotated[int, Query(ge=1, le=100, description="How many.", examples=[20])] = 20,
                        ) -> dict:  # fmt: skip
    """Ranked by a model of your library against what you marked "not interested"; `why` names the saved
    papers each one is closest to."""
    page = _library(request).recommendations(user.id, limit, tag)
    return {"results": [h.to_dict() for h in page.hits], "title": page.title}


@api.get("/searches", summary="Your saved searches", response_model=None,
         responses=_answer(SearchesAnswer, {"results": [SEARCH]}) | errors(401))  # fmt: skip
def api_searches(request: Request, user: Signed) -> dict:
    """Each saved search with its query, mode and filters."""
    return {"results": [s.to_dict() for s in _library(request).saved_searches.searches(user)]}


@api.post("/searches", summary="Save a search as an alert", dependencies=CSRF, response_model=None,
          responses=_answer(SavedSearchAnswer, SEARCH) | CHANGES)  # fmt: skip
def api_save_search(
    request: Request,
    user: Signed,
    filters: SearchFilters,
    q: Annotated[str, Query(max_length=1000, description="The search text.", examples=["low-rank adaptation"])],
    mode: Annotated[SearchMode, Query(description="hybrid, lexical or semantic.", examples=["hybrid"])]
    = SearchMode.HYBRID,
    name: Annotated[str, Query(max_length=200, description="A name for it (default: the query).",
                               examples=["low-rank adapters"])] = "",
) -> dict:  # fmt: skip
    """Its new matches show on /for-you and in your daily digest."""
    return _library(request).saved_searches.save(user, q, mode.value, filters, name).to_dict()


@api.delete("/searches/{search_id}", summary="Delete a saved search", dependencies=CSRF, response_model=None,
            responses=_answer(Removed, {"removed": True}) | CHANGES)  # fmt: skip
def api_delete_search(request: Request, user: Signed, search_id: SearchId) -> dict:
    """`removed` is false when you have no saved search of that id."""
    return {"removed": _library(request).saved_searches.delete(user, search_id)}


@api.get("/alerts", summary="New papers of each saved search listed between two days", response_model=None,
         responses=_answer(AlertsAnswer, {"results": [{**SEARCH, "papers": [RESULT]}]}) | READS)  # fmt: skip
def api_alerts(request: Request, user: Signed,
               since: Annotated[date, Query(description="First listing day.", examples=["2026-11-24"]), IsoDay],
               until: Annotated[date | None, Query(description="Last listing day (default today).",
                                                   examples=["2026-12-01"]), IsoDay] = None) -> dict:  # fmt: skip
    """For each saved search, the papers it matches among those listed in [since, until]."""
    found = _library(request).alerts(user.id, since, until or _library(request).today())
    return {"results": [{**s.to_dict(), "papers": [h.to_dict() for h in hits]} for s, hits in found]}
