"""OpenAlex citation lookups in batches: cited_by_count and per-year counts for arXiv ids and DOIs.

API:
    oa = OpenAlex(client, api_key="...", base_url=WORKS_URL, batch_size=50, today=<UTC date>)
    oa.citations(["2106.09685", "10.1038/s42256-024-00832-8"]) -> dict[str, Citations]
    oa.citation("2106.09685") -> Citations | None

Keys are arXiv ids (any version or prefix) or DOIs; results are keyed by the key as given, and ids OpenAlex
does not know are absent. arXiv papers are looked up by their DataCite DOI 10.48550/arXiv.<id>, which is how
OpenAlex records the arXiv version of a work. One list call asks for up to `batch_size` DOIs at once
(`filter=doi:a|b|...`, OpenAlex ORs at most 100 values); DOIs that would break that syntax (a `|` or `,`)
are asked one by one. When OpenAlex holds several works for one DOI the most-cited is kept. Counts are
CitationCount(source="openalex", as_of=today()). OpenAlex needs an API key since February 2026; it is sent
as the `api_key` query parameter and masked in every message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from paperradar.errors import InputError, SourceError
from paperradar.models import CitationCount, normalise_arxiv_id, normalise_doi
from paperradar.sources.live.http import HttpError, PoliteClient
from paperradar.sources.live.signals import Citations

WORKS_URL = "https://api.openalex.org/works"
MAX_OR_VALUES = 100
FIELDS = "id,doi,ids,cited_by_count,counts_by_year,publication_year"
ARXIV_DOI = "10.48550/arxiv."


def works_listed(client: PoliteClient, base: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every work of one list query (an OR-filter), page by page until `meta.count` is reached."""
    page, seen = 1, 0
    while True:
        fetched = client.get(base, params={**params, "page": page})
        body = fetched.json()
        results = body.get("results") if isinstance(body, dict) else None
        count = (body.get("meta") or {}).get("count") if isinstance(body, dict) else None
        if not isinstance(results, list):
            raise SourceError(f"{fetched.url}: expected an OpenAlex list with `results`")
        yield from (work for work in results if isinstance(work, dict))
        seen += len(results)
        if not results or not isinstance(count, int) or seen >= count:
            return
        page += 1


def doi_for(key: str) -> str:
    """The DOI OpenAlex files a key under: an arXiv id becomes its 10.48550 DOI; a DOI is canonicalised."""
    arxiv_id = normalise_arxiv_id(key)
    if arxiv_id:
        return ARXIV_DOI + arxiv_id.lower()
    doi = normalise_doi(key)
    if doi is None:
        raise InputError(f"{key[:80]!r} is neither an arXiv id nor a DOI")
    return doi


def parse_work(work: Any, key: str, as_of: date) -> Citations | None:
    """A work object's citations, or None when it carries no count (e.g. a `select` without it)."""
    if not isinstance(work, dict) or not isinstance(work.get("cited_by_count"), int):
        return None
    by_year: dict[int, int] = {}
    for row in work.get("counts_by_year") or []:
        if isinstance(row, dict) and isinstance(row.get("year"), int) and isinstance(row.get("cited_by_count"), int):
            by_year[row["year"]] = row["cited_by_count"]
    ids = {k: str(v) for k, v in (work.get("ids") or {}).items() if isinstance(v, (str, int))}
    doi = normalise_doi(work.get("doi"))
    if doi and doi.startswith(ARXIV_DOI):
        ids.setdefault("arxiv", doi[len(ARXIV_DOI) :])
    year = work.get("publication_year")
    return Citations(
        key,
        CitationCount(work["cited_by_count"], "openalex", as_of),
        by_year,
        None,
        year if isinstance(year, int) else None,
        ids,
    )


class OpenAlex:
    """Citation counts from OpenAlex; see the module docstring."""

    name = "openalex"

    def __init__(
        self,
        client: PoliteClient,
        *,
        api_key: str | None = None,
        base_url: str = WORKS_URL,
        batch_size: int = 50,
        today: Callable[[], date] = lambda: datetime.now(UTC).date(),
    ) -> None:
        if not 1 <= batch_size <= MAX_OR_VALUES:
            raise InputError(f"batch size {batch_size} is outside 1..{MAX_OR_VALUES}")
        self._client, self._key, self._base = client, api_key, base_url.rstrip("/")
        self._batch, self._today = batch_size, today

    def citation(self, key: str) -> Citations | None:
        return self.citations([key]).get(key)

    def citations(self, keys: Iterable[str]) -> dict[str, Citations]:
        by_doi: dict[str, list[str]] = {}
        for key in keys:
            by_doi.setdefault(doi_for(key), []).append(key)
        as_of = self._today()
        plain = [d for d in by_doi if "|" not in d and "," not in d]
        works: dict[str, Any] = {}
        for start in range(0, len(plain), self._batch):
            works.update(self._batch_lookup(plain[start : start + self._batch]))
        for doi in by_doi.keys() - set(plain):
            work = self._single(doi)
            if work is not None:
                works[doi] = work
        found: dict[str, Citations] = {}
        for doi, work in works.items():
            for key in by_doi.get(doi, []):
                parsed = parse_work(work, key, as_of)
                if parsed is not None:
                    found[key] = parsed
        return found

    def _params(self, **extra: Any) -> dict[str, Any]:
        return {**extra, "select": FIELDS, "api_key": self._key}

    def _batch_lookup(self, dois: list[str]) -> dict[str, Any]:
        best: dict[str, Any] = {}
        params = self._params(filter="doi:" + "|".join(dois), **{"per-page": MAX_OR_VALUES})
        for work in works_listed(self._client, self._base, params):
            doi = normalise_doi(work.get("doi"))
            counted = work.get("cited_by_count") if doi else None
            if doi and isinstance(counted, int) and counted >= best.get(doi, {}).get("cited_by_count", -1):
                best[doi] = work  # duplicate works for one DOI: the most-cited is the merged one
        return best

    def _single(self, doi: str) -> Any:
        try:
            return self._client.get(f"{self._base}/doi:{quote(doi, safe='/')}", params=self._params()).json()
        except HttpError as exc:
            if exc.status == 404:  # OpenAlex answers an unknown DOI with an HTML 404 page
                return None
            raise
