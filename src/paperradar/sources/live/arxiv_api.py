"""The arXiv search API (Atom feeds at export.arxiv.org/api/query) for ad-hoc queries and id lookups.

API:
    api = ArxivApi(client, base_url=API_URL, page_size=100)
    search = api.search("ti:diffusion AND cat:cs.LG", id_list=(), sort_by="submittedDate",
                        sort_order="descending", start=0, max_results=300)     # an ArxivSearch
    for page in search.pages(): page.records, page.total_results, page.start_index, page.url
    search.read() / search.progress()          # the Source protocol; duplicates across pages are dropped
    api.papers(["2106.09685", "hep-th/9608091v2"]) -> dict[str, Paper]     # by versionless id; misses absent

Paging follows opensearch:totalResults and stops at `max_results` (None: every result; arXiv serves at most
30,000 per query). A page that comes back empty before the total is reached is asked for again
(`empty_page_retries`), as the service is known to do that transiently. An error feed (HTTP 400 for a bad
query or id) becomes a SourceError quoting arXiv's own explanation. Both the 2016 feed format (inline
namespaces, `scheme` on primary_category) and the 2026 one are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

import httpx

from paperradar.errors import InputError, SourceError
from paperradar.models import Paper, normalise_arxiv_id
from paperradar.sources.base import BadRecord, Record
from paperradar.sources.files.fields import FieldError, to_paper
from paperradar.sources.live.http import Fetched, HttpError, PoliteClient

API_URL = "https://export.arxiv.org/api/query"
ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
ARXIV = "{http://arxiv.org/schemas/atom}"
MAX_PAGE = 2000  # arXiv's advice for one call
SORT_BY = ("relevance", "lastUpdatedDate", "submittedDate")
SORT_ORDER = ("ascending", "descending")
_QUERY_HINT = "check the query syntax and the ids"


@dataclass(frozen=True, slots=True)
class ResultPage:
    """One feed: its entries as records and the opensearch counters."""

    url: str
    records: list[Record | BadRecord] = field(default_factory=list)
    total_results: int = 0
    start_index: int = 0
    items_per_page: int = 0


def _text(parent: Element, tag: str) -> str | None:
    node = parent.find(tag)
    return node.text if node is not None and node.text and node.text.strip() else None


def _number(feed: Element, tag: str, url: str) -> int:
    value = (_text(feed, f"{OPENSEARCH}{tag}") or "").strip()
    if not (value.isascii() and value.isdigit()):
        raise SourceError(f"{url}: the feed has no opensearch:{tag}")
    return int(value)


def _error_entry(feed: Element) -> str | None:
    """arXiv's explanation when the feed is an error report (one entry whose id is under /api/errors)."""
    for entry in feed.iterfind(f"{ATOM}entry"):
        if "/api/errors" in (_text(entry, f"{ATOM}id") or ""):
            return " ".join((_text(entry, f"{ATOM}summary") or "unknown error").split())
    return None


def parse_entry(entry: Element, location: str) -> Record | BadRecord:
    """One Atom <entry> as a paper; published is the v1 date, the primary category comes first."""
    raw_id = (_text(entry, f"{ATOM}id") or "").strip()
    where = f"{location}#{raw_id}"
    arxiv_id = normalise_arxiv_id(raw_id)
    if arxiv_id is None:
        return BadRecord(where, f"entry id {raw_id[:80]!r} is not an arXiv abstract link")
    primary = entry.find(f"{ARXIV}primary_category")
    categories = [c.get("term", "") for c in entry.iterfind(f"{ATOM}category") if c.get("term")]
    native: dict[str, Any] = {
        "id": arxiv_id,
        "title": _text(entry, f"{ATOM}title"),
        "abstract": _text(entry, f"{ATOM}summary"),
        "authors": [n.text for n in entry.iterfind(f"{ATOM}author/{ATOM}name") if n.text and n.text.strip()] or None,
        "published": (_text(entry, f"{ATOM}published") or "").strip() or None,
        "categories": categories or None,
        "primary_category": primary.get("term") if primary is not None else None,
        "doi": _text(entry, f"{ARXIV}doi"),
        "venue": _text(entry, f"{ARXIV}journal_ref"),
    }
    try:
        return Record(to_paper(native), where)
    except FieldError as exc:
        return BadRecord(where, str(exc))


def parse_feed(fetched: Fetched) -> ResultPage:
    """A feed as a ResultPage; an error feed raises SourceError with arXiv's message."""
    feed = fetched.xml()
    if feed.tag != f"{ATOM}feed":
        raise SourceError(f"{fetched.url}: not an Atom feed (root element {feed.tag!r})")
    problem = _error_entry(feed)
    if problem:
        raise SourceError(f"{fetched.url}: arXiv refused the query: {problem}", _QUERY_HINT)
    records = [parse_entry(entry, fetched.url) for entry in feed.iterfind(f"{ATOM}entry")]
    return ResultPage(
        fetched.url,
        records,
        _number(feed, "totalResults", fetched.url),
        _number(feed, "startIndex", fetched.url),
        _number(feed, "itemsPerPage", fetched.url),
    )


class ArxivSearch:
    """One query's results, page by page; a Source."""

    name = "arxiv-api"

    def __init__(self, api: ArxivApi, params: dict[str, str], start: int, max_results: int | None) -> None:
        self._api, self._params, self._start, self._max = api, params, start, max_results
        self._done = 0
        self._total: int | None = None

    def pages(self) -> Iterator[ResultPage]:
        start, wanted, retries = self._start, self._max, 0
        while wanted is None or self._done < wanted:
            size = self._api.page_size if wanted is None else min(self._api.page_size, wanted - self._done)
            page = self._api.fetch_page({**self._params, "start": str(start), "max_results": str(size)})
            self._total = page.total_results
            if not page.records:
                if start >= page.total_results or retries >= self._api.empty_page_retries:
                    if start < page.total_results:
                        raise SourceError(
                            f"{page.url}: arXiv returned an empty page before result {page.total_results}",
                            "try again later",
                        )
                    return
                retries += 1
                continue
            retries = 0
            self._done += len(page.records)
            start += len(page.records)
            yield page
            if start >= page.total_results:
                return

    def read(self) -> Iterator[Record | BadRecord]:
        seen: set[str] = set()
        for page in self.pages():
            for item in page.records:
                if isinstance(item, Record) and item.paper.arxiv_id:
                    if item.paper.arxiv_id in seen:
                        continue  # relevance order can shift between calls, repeating an entry
                    seen.add(item.paper.arxiv_id)
                yield item

    def progress(self) -> tuple[int, int | None]:
        total = self._total if self._max is None or self._total is None else min(self._total, self._max)
        return self._done, total


class ArxivApi:
    """The arXiv search API; see the module docstring."""

    def __init__(
        self, client: PoliteClient, *, base_url: str = API_URL, page_size: int = 100, empty_page_retries: int = 2
    ) -> None:
        if not 1 <= page_size <= MAX_PAGE:
            raise InputError(f"page size {page_size} is outside 1..{MAX_PAGE}")
        self._client, self._base = client, base_url
        self.page_size, self.empty_page_retries = page_size, empty_page_retries

    def search(
        self,
        query: str = "",
        *,
        id_list: Sequence[str] = (),
        sort_by: str | None = None,
        sort_order: str | None = None,
        start: int = 0,
        max_results: int | None = None,
    ) -> ArxivSearch:
        if not query.strip() and not id_list:
            raise InputError("an arXiv search needs a query or a list of ids")
        if sort_by is not None and sort_by not in SORT_BY:
            raise InputError(f"sort_by {sort_by!r} is not one of {', '.join(SORT_BY)}")
        if sort_order is not None and sort_order not in SORT_ORDER:
            raise InputError(f"sort_order {sort_order!r} is not one of {', '.join(SORT_ORDER)}")
        params = {"search_query": query, "id_list": ",".join(id_list)}
        params.update({k: v for k, v in (("sortBy", sort_by), ("sortOrder", sort_order)) if v})
        return ArxivSearch(self, params, start, max_results)

    def papers(self, ids: Iterable[str]) -> dict[str, Paper]:
        """Papers by arXiv id (any version or prefix), keyed by the versionless id; unknown ids are absent."""
        wanted = list(dict.fromkeys(normalise_arxiv_id(i) or i.strip() for i in ids))
        found: dict[str, Paper] = {}
        for chunk in range(0, len(wanted), self.page_size):
            batch = wanted[chunk : chunk + self.page_size]
            for item in self.search(id_list=batch, max_results=len(batch)).read():
                if isinstance(item, Record) and item.paper.arxiv_id:
                    found[item.paper.arxiv_id] = item.paper
        return found

    def fetch_page(self, params: dict[str, str]) -> ResultPage:
        try:
            fetched = self._client.get(self._base, params=params)
        except HttpError as exc:
            problem = _error_in(exc) if exc.status == 400 else None
            if problem:
                raise SourceError(f"{exc.url}: arXiv refused the query (HTTP 400): {problem}", _QUERY_HINT) from None
            raise
        return parse_feed(fetched)


def _error_in(exc: HttpError) -> str | None:
    """arXiv's explanation inside a 400 answer, if the body is the usual error feed."""
    try:
        return _error_entry(Fetched(exc.url, exc.status, httpx.Headers(), exc.body).xml())
    except SourceError:
        return None
