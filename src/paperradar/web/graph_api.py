"""The citation graph under /api/papers/{id}: references, citing papers, prior and derivative works, and the
neighbourhood graph the page /papers/{id}/graph draws.

Included before web/api.py's router, whose `/papers/{paper_id:path}` would take these paths for ids."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from paperradar.service import Library
from paperradar.web.api import Limit, PaperId
from paperradar.web.api_answers import GraphAnswer, GraphLayoutAnswer, ListingAnswer
from paperradar.web.api_errors import errors
from paperradar.web.examples import answer

router = APIRouter(prefix="/api", tags=["api"])
Order = Annotated[
    Literal["citations", "date"],
    Query(description="Rank the corpus papers by citations (most first) or by date (newest first).",
          examples=["citations"]),
]  # fmt: skip


def _library(request: Request) -> Library:
    return request.app.state.library


@router.get("/papers/{paper_id:path}/references", response_model=None, summary="What a paper cites",
            responses=answer("references", ListingAnswer) | errors(404, 422))  # fmt: skip
def references(request: Request, paper_id: PaperId, order: Order = "citations") -> dict:
    """The works the paper cites: those in the corpus as papers, ranked; the others as the identifiers and
    title their source gave, counted in `outside_corpus`. Each edge's source and day are in docs/json.md."""
    return _library(request).graph.references(paper_id, order).to_dict()


@router.get("/papers/{paper_id:path}/citations", response_model=None, summary="The corpus papers citing a paper",
            responses=answer("citations", ListingAnswer) | errors(404, 422))  # fmt: skip
def citations(request: Request, paper_id: PaperId, order: Order = "citations") -> dict:
    """The papers of the corpus that cite this one, ranked; `outside_corpus` is how many more its citation
    count says there are."""
    return _library(request).graph.citations(paper_id, order).to_dict()


@router.get("/papers/{paper_id:path}/graph", response_model=None, summary="Prior and derivative works of a paper",
            responses=answer("graph", GraphAnswer) | errors(404, 422))  # fmt: skip
def graph(request: Request, paper_id: PaperId, limit: Limit = 20) -> dict:
    """Prior works (most often cited by the paper's neighbours: co-citation) and derivative works (citing
    the most of its neighbours: bibliographic coupling); neighbours are what it cites and what cites it."""
    return _library(request).graph.neighbourhood(paper_id, limit).to_dict()


@router.get("/papers/{paper_id:path}/graph/layout", response_model=None, summary="A paper's neighbourhood as a graph",
            responses=answer("graph_layout", GraphLayoutAnswer) | errors(404, 422))  # fmt: skip
def graph_layout(request: Request, paper_id: PaperId) -> dict:
    """What the page /papers/{id}/graph draws: about 40 papers around this one (the first node), chosen from
    what it cites, what cites it, prior and derivative works and similar papers, each with where it sits in
    a `size` x `size` box, its radius (by citations), its year band and why it is there; and the links
    between them (`cites`: source cites target; `similar`: each node to its most similar others)."""
    return _library(request).graph.view(paper_id).to_dict()
