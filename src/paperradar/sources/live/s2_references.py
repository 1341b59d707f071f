"""Semantic Scholar reference lists: GET /graph/v1/paper/{id}/references, page by page.

API:
    refs = SemanticScholarReferences(client, api_key="...", base_url=PAPER_URL)
    refs.references(["2106.09685", "10.1038/s42256-024-00832-8"]) -> dict[str, list[CitedWork]]

One paper a call (the batch endpoint caps nested lists; this one pages through them all with
`offset`/`next`). Each element is `{"citedPaper": {"paperId", "externalIds", "title", "year"}}`; a
reference Semantic Scholar could not resolve has `paperId: null` and keeps only its title, and stays a
stub named by that title. A paper the service does not know (HTTP 404) is absent from the answer, to be
asked again next run; an empty list is a paper that cites nothing known.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from paperradar.errors import SourceError
from paperradar.models import CitedWork, cited_work
from paperradar.sources.live.http import HttpError, PoliteClient
from paperradar.sources.live.semantic_scholar import s2_id

PAPER_URL = "https://api.semanticscholar.org/graph/v1/paper"
FIELDS = "externalIds,title,year"
PAGE = 1000  # the service's largest page
MAX_REFERENCES = 10_000  # beyond this a list is not a paper's references


def cited_from(element: Any) -> CitedWork | None:
    """One element of a references page, or None when it names nothing (no id and no title)."""
    paper = element.get("citedPaper") if isinstance(element, dict) else None
    if not isinstance(paper, dict):
        return None
    external: dict[str, Any] = paper["externalIds"] if isinstance(paper.get("externalIds"), dict) else {}
    year = paper.get("year")
    title = paper.get("title") if isinstance(paper.get("title"), str) else None
    s2 = paper.get("paperId") if isinstance(paper.get("paperId"), str) else None
    work = cited_work(arxiv=_text(external.get("ArXiv")), doi=_text(external.get("DOI")), s2=s2, title=title,
                      year=year if isinstance(year, int) else None)  # fmt: skip
    return work if work.keys or work.title else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class SemanticScholarReferences:
    """Reference lists from Semantic Scholar; see the module docstring."""

    name = "semantic_scholar"

    def __init__(self, client: PoliteClient, *, api_key: str | None = None, base_url: str = PAPER_URL) -> None:
        self._client, self._base = client, base_url.rstrip("/")
        self._headers = {"x-api-key": api_key} if api_key else {}

    def references(self, keys: Iterable[str]) -> dict[str, list[CitedWork]]:
        found: dict[str, list[CitedWork]] = {}
        for key in keys:
            works = self._references(s2_id(key))
            if works is not None:
                found[key] = works
        return found

    def _references(self, paper: str) -> list[CitedWork] | None:
        works: list[CitedWork] = []
        offset = 0
        url = f"{self._base}/{paper}/references"
        while True:
            try:
                fetched = self._client.get(url, params={"fields": FIELDS, "offset": offset, "limit": PAGE},
                                           headers=self._headers)  # fmt: skip
            except HttpError as exc:
                if exc.status == 404:
                    return None
                if exc.status in (401, 403):
                    raise SourceError(str(exc), "check the Semantic Scholar API key") from None
                raise
            body = fetched.json()
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise SourceError(f"{fetched.url}: expected a Semantic Scholar page with `data`")
            works.extend(w for w in map(cited_from, data) if w is not None)
            following = body.get("next")
            if not data or not isinstance(following, int) or following <= offset or following >= MAX_REFERENCES:
                return works
            offset = following
