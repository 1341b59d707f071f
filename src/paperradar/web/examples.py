"""Examples for the OpenAPI schema: what a parameter looks like and what each /api route answers."""

from __future__ import annotations

from typing import Any

PAPER: dict[str, Any] = {
    "id": "2106.09685",
    "arxiv_id": "2106.09685",
    "doi": None,
    "title": "LoRA: Low-Rank Adaptation of Large Language Models",
    "abstract": "We propose Low-Rank Adaptation, or LoRA, which freezes the pretrained model weights…",
    "authors": ["Edward J. Hu", "Yelong Shen"],
    "year": 2021,
    "published": "2021-06-17",
    "listing_date": "2021-06-18",
    "categories": ["cs.CL", "cs.LG"],
    "venue": None,
    "url": "https://arxiv.org/abs/2106.09685",
    "pdf_url": "https://arxiv.org/pdf/2106.09685",
    "code_url": "https://github.com/microsoft/LoRA",
    "citations": 14774,
    "citations_source": "openalex",
    "citations_date": "2025-06-01",
    "comment": "ICLR 2022",
}
RESULT = {**PAPER, "score": 0.032787}
CURSOR = "MjAyMS0wNi0xOC8yMTA2LjA5Njg1"  # /latest's `after`: the day and id of the paper above
SEARCH_RESULT = {**RESULT, "found_by": ["lexical", "semantic"]}
RANKED = {**PAPER, "score": 14774.0, "rank": 1}
WHY = {**RESULT, "score": 5.61, "why": ["80 Hugging Face upvotes", "+40 citations in 30 days (openalex)"]}
PERIOD = {"kind": "daily", "slug": "2021-06-18", "start": "2021-06-18", "end": "2021-06-18"}
FEED = {"title": "Papers of Friday 18 June 2021", "period": PERIOD, "previous": "2021-06-17", "next": None,
        "total": 1, "results": [WHY], "offset": 0, "limit": 25}  # fmt: skip

STUB = {"paper_id": None, "title": "Attention is all you need", "year": 2017,
        "ids": {"doi": "10.5555/3295222.3295349", "openalex": "W2963403868"}}  # fmt: skip
LISTING = {"paper_id": "2106.09685", "order": "citations", "in_corpus": 1, "outside_corpus": 1,
           "papers": [PAPER], "outside": [STUB]}  # fmt: skip

ANSWERS: dict[str, Any] = {
    "references": LISTING,
    "citations": {**LISTING, "outside_corpus": 14773, "outside": []},
    "graph": {
        "paper_id": "2106.09685",
        "prior": [{**PAPER, "shared_neighbours": 12}],
        "derivative": [{**PAPER, "shared_neighbours": 7}],
    },
    "graph_layout": {
        "paper_id": "2106.09685",
        "size": 640,
        "nodes": [
            {**PAPER, "x": 320.0, "y": 320.0, "r": 22.0, "band": 1, "why": ["this paper"], "similarity": None},
            {
                **PAPER,
                "id": "2012.13255",
                "arxiv_id": "2012.13255",
                "title": "Intrinsic Dimensionality Explains the Effectiveness of Language Model Fine-Tuning",
                "year": 2020,
                "citations": 412,
                "x": 251.4,
                "y": 298.0,
                "r": 15.3,
                "band": 0,
                "why": ["cited by this paper", "similar (0.71)"],
                "similarity": 0.71,
            },
        ],
        "links": [
            {"source": "2106.09685", "target": "2012.13255", "kind": "cites", "weight": 1.0},
        ],
        "bands": [{"band": 0, "first": 2020, "last": 2020}, {"band": 1, "first": 2021, "last": 2021}],
    },
    "search": {"results": [SEARCH_RESULT], "offset": 0, "limit": 20},
    "similar": {"results": [{**RESULT, "score": 0.81}], "offset": 0, "limit": 20, "title": PAPER["title"]},
    "paper": {**PAPER, "citation_history": [{"count": 14774, "source": "openalex", "date": "2025-06-01"}]},
    "best": {"title": "The best AI papers of 2021", "results": [RANKED], "offset": 0, "limit": 100},
    "latest": {"results": [{**RESULT, "score": 737959.0}], "offset": 0, "limit": 25, "next_after": CURSOR},
    "feed": FEED,
    "trending": {"title": "Trending this week", "total": 1, "results": [WHY], "offset": 0, "limit": 25},
    "stats": {
        "papers": 74728,
        "with_abstract": 74728,
        "with_citations": 51000,
        "with_arxiv_id": 74728,
        "year_min": 1993,
        "year_max": 2025,
    },
}


def answer(name: str, model: type) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: its 200 answer, its shape (web/api_answers.py) and an example body.
    The route says `response_model=None`: it returns a dict that the model describes, not validates."""
    return {200: {"model": model, "content": {"application/json": {"example": ANSWERS[name]}}}}
