"""OpenAlex reference lists: what each paper cites, as works with their DOI, arXiv id, title and year.

API:
    refs = OpenAlexReferences(client, api_key="...", base_url=WORKS_URL)
    refs.references(["2106.09685", "10.1038/s42256-024-00832-8"]) -> dict[str, list[CitedWork]]

A work's `referenced_works` are bare OpenAlex ids (W...), so two kinds of list call are made: the papers
by DOI (`filter=doi:a|b|...`, as the citation lookup asks), then the works they cite by id
(`filter=openalex:W1|W2|...`), at most 100 values a call, for the identifiers and title that let a cited
work find its corpus paper. A cited id OpenAlex no longer answers for stays a stub with its id alone.
Keys OpenAlex does not know are absent from the answer (an empty list is a paper that cites nothing known).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from paperradar.models import CitedWork, cited_work, normalise_doi
from paperradar.sources.live.http import PoliteClient
from paperradar.sources.live.openalex import ARXIV_DOI, MAX_OR_VALUES, WORKS_URL, doi_for, works_listed

CITING_FIELDS = "id,doi,cited_by_count,referenced_works"
CITED_FIELDS = "id,doi,ids,display_name,publication_year"


def _short_id(value: Any) -> str | None:
    return value.rsplit("/", 1)[-1].upper() if isinstance(value, str) and value.strip() else None


def cited_from(work: dict[str, Any]) -> CitedWork:
    """A cited work as OpenAlex describes it (its 10.48550 DOI also gives its arXiv id)."""
    doi = normalise_doi(work.get("doi"))
    arxiv = doi[len(ARXIV_DOI) :] if doi and doi.startswith(ARXIV_DOI) else None
    year = work.get("publication_year")
    return cited_work(arxiv=arxiv, doi=doi, openalex=_short_id(work.get("id")), title=work.get("display_name"),
                      year=year if isinstance(year, int) else None)  # fmt: skip


class OpenAlexReferences:
    """Reference lists from OpenAlex; see the module docstring."""

    name = "openalex"

    def __init__(self, client: PoliteClient, *, api_key: str | None = None, base_url: str = WORKS_URL) -> None:
        self._client, self._key, self._base = client, api_key, base_url.rstrip("/")

    def references(self, keys: Iterable[str]) -> dict[str, list[CitedWork]]:
        by_doi: dict[str, list[str]] = {}
        for key in keys:
            by_doi.setdefault(doi_for(key), []).append(key)
        # DOIs that would break the filter syntax are rare enough to go without (asked again next run).
        plain = [d for d in by_doi if "|" not in d and "," not in d]
        cites: dict[str, list[str]] = {}
        for start in range(0, len(plain), MAX_OR_VALUES):
            best: dict[str, dict[str, Any]] = {}
            for work in self._list("doi", plain[start : start + MAX_OR_VALUES], CITING_FIELDS):
                doi = normalise_doi(work.get("doi"))
                counted = work.get("cited_by_count") if isinstance(work.get("cited_by_count"), int) else -1
                if doi and counted >= best.get(doi, {}).get("cited_by_count", -1):
                    best[doi] = work  # duplicate works for one DOI: the most-cited is the merged one
            for doi, work in best.items():
                ids = [w for w in map(_short_id, work.get("referenced_works") or []) if w]
                cites[doi] = list(dict.fromkeys(ids))
        described = self._describe([w for ids in cites.values() for w in ids])
        found: dict[str, list[CitedWork]] = {}
        for doi, ids in cites.items():
            works = [described.get(w) or cited_work(openalex=w) for w in ids]
            for key in by_doi[doi]:
                found[key] = works
        return found

    def _describe(self, ids: list[str]) -> dict[str, CitedWork]:
        unique = list(dict.fromkeys(ids))
        described: dict[str, CitedWork] = {}
        for start in range(0, len(unique), MAX_OR_VALUES):
            for work in self._list("openalex", unique[start : start + MAX_OR_VALUES], CITED_FIELDS):
                short = _short_id(work.get("id"))
                if short:
                    described[short] = cited_from(work)
        return described

    def _list(self, attribute: str, values: list[str], fields: str) -> Iterator[dict[str, Any]]:
        """Every work of one OR-filter, page by page."""
        params = {"filter": f"{attribute}:" + "|".join(values), "select": fields, "per-page": MAX_OR_VALUES,
                  "api_key": self._key}  # fmt: skip
        return works_listed(self._client, self._base, params)
