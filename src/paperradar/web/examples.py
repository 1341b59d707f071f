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
}
RESULT = {**PAPER, "score": 0.032787}
CURSOR = "MjAyMS0wNi0xOC8yMTA2LjA5Njg1"  # /latest's `after`: the day and id of the paper above
SEARCH_RESULT = {**RESULT, "found_by": ["lexical", "semantic"]}
RANKED = {**PAPER, "score": 14774.0, "rank": 1}
WHY = {**RESULT, "score": 5.61, "why": ["80 Hugging Face upvotes", "+40 citations this month (openalex)"]}
PERIOD = {"kind": "daily", "slug": "2021-06-18", "start": "2021-06-18", "end": "2021-06-18"}
FEED = {"title": "Papers of Friday 18 June 2021", "period": PERIOD, "previous": "2021-06-17", "next": None,
        "total": 1, "results": [WHY], "offset": 0, "limit": 25}  # fmt: skip

ANSWERS: dict[str, Any] = {
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


def answer(name: str) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: its 200 answer with an example body."""
    return {200: {"content": {"application/json": {"example": ANSWERS[name]}}}}
