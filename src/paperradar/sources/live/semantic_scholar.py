"""Semantic Scholar citation lookups through POST /graph/v1/paper/batch: counts for arXiv ids and DOIs.

API:
    s2 = SemanticScholar(client, api_key="...", base_url=BATCH_URL, batch_size=500, today=<UTC date>)
    s2.citations(["2106.09685", "10.18653/v1/N19-1423"]) -> dict[str, Citations]
    s2.citation("2106.09685") -> Citations | None

Keys are arXiv ids (sent as ARXIV:<id>) or DOIs (sent as DOI:<doi>); results are keyed by the key as
given. The service answers with one element per id sent, in order, and null for an id it does not know;
those keys are absent from the result. Each Citations carries citationCount as
CitationCount(source="semantic_scholar", as_of=today()), influentialCitationCount, the year, and the
externalIds (ArXiv, DOI, CorpusId...) plus the paperId as ids["s2"]. The API key, when given, travels in
the `x-api-key` header. Without a key the shared pool often answers 429 without Retry-After; the client
backs off and retries, then gives up with a SourceError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from paperradar.errors import InputError, SourceError
from paperradar.models import CitationCount, normalise_arxiv_id, normalise_doi
from paperradar.sources.live.http import HttpError, PoliteClient
from paperradar.sources.live.signals import Citations

BATCH_URL = "https://api.semanticscholar.org/graph/v1/paper/batch"
FIELDS = "externalIds,citationCount,influentialCitationCount,year"
MAX_BATCH = 500  # the service's limit on ids per call


def s2_id(key: str) -> str:
    """The id form /paper/batch understands for an arXiv id or a DOI."""
    arxiv_id = normalise_arxiv_id(key)
    if arxiv_id:
        return f"ARXIV:{arxiv_id}"
    doi = normalise_doi(key)
    if doi is None:
        raise InputError(f"{key[:80]!r} is neither an arXiv id nor a DOI")
    return f"DOI:{doi}"


def parse_paper(paper: Any, key: str, as_of: date) -> Citations | None:
    """One element of a batch answer, or None for null or an element without a citation count."""
    if not isinstance(paper, dict) or not isinstance(paper.get("citationCount"), int):
        return None
    external = paper.get("externalIds") or {}
    ids = {str(k): str(v) for k, v in external.items() if isinstance(v, (str, int))}
    if isinstance(paper.get("paperId"), str):
        ids["s2"] = paper["paperId"]
    influential = paper.get("influentialCitationCount")
    year = paper.get("year")
    return Citations(
        key,
        CitationCount(paper["citationCount"], "semantic_scholar", as_of),
        {},
        influential if isinstance(influential, int) else None,
        year if isinstance(year, int) else None,
        ids,
    )


class SemanticScholar:
    """Citation counts from Semantic Scholar; see the module docstring."""

    name = "semantic_scholar"

    def __init__(
        self,
        client: PoliteClient,
        *,
        api_key: str | None = None,
        base_url: str = BATCH_URL,
        batch_size: int = MAX_BATCH,
        today: Callable[[], date] = lambda: datetime.now(UTC).date(),
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise InputError(f"batch size {batch_size} is outside 1..{MAX_BATCH}")
        self._client, self._base, self._batch, self._today = client, base_url, batch_size, today
        self._headers = {"x-api-key": api_key} if api_key else {}

    def citation(self, key: str) -> Citations | None:
        return self.citations([key]).get(key)

    def citations(self, keys: Iterable[str]) -> dict[str, Citations]:
        by_id: dict[str, list[str]] = {}
        for key in keys:
            by_id.setdefault(s2_id(key), []).append(key)
        wanted = list(by_id)
        as_of = self._today()
        found: dict[str, Citations] = {}
        for start in range(0, len(wanted), self._batch):
            batch = wanted[start : start + self._batch]
            for sent, paper in zip(batch, self._lookup(batch), strict=True):
                for key in by_id[sent]:
                    parsed = parse_paper(paper, key, as_of)
                    if parsed is not None:
                        found[key] = parsed
        return found

    def _lookup(self, ids: list[str]) -> list[Any]:
        try:
            fetched = self._client.post_json(self._base, {"ids": ids}, params={"fields": FIELDS}, headers=self._headers)
        except HttpError as exc:
            if exc.status in (401, 403):
                raise SourceError(str(exc), "check the Semantic Scholar API key") from None
            raise
        answer = fetched.json()
        if not isinstance(answer, list) or len(answer) != len(ids):
            got = f"{len(answer)} elements" if isinstance(answer, list) else type(answer).__name__
            raise SourceError(f"{fetched.url}: expected one element per id sent ({len(ids)}), got {got}")
        return answer
