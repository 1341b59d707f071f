"""Hugging Face daily papers: the papers picked for a day and their community signals.

API:
    hf = HfDaily(client, base_url=HF_URL, page_size=100, max_pages=10, today=<UTC date>)
    day = hf.day(date(2026, 3, 6))    # a DailyPapers
    day.records                       # list[Record | BadRecord]: arXiv id, title, summary, authors, publishedAt
    day.signals                       # list[Signal]: hf_daily_pick, hf_upvotes, hf_comments, github_stars, github_repo,
                                      #   project_page (see signals.py for the meaning of each kind)
    day.not_modified                  # True when every page was answered 304 from the client's cache

Assumptions about GET /api/daily_papers, which has no published reference beyond its parameter list:
the answer is a JSON list of items `{paper: {id, title, summary, authors: [{name}], publishedAt, upvotes,
githubRepo, githubStars, projectPage, ...}, numComments, title, summary, publishedAt, ...}`; `date=YYYY-MM-DD`
selects the day's listing; `limit` (<= 100) and a 0-based page number `p` page through it. Paging stops at a
short page, at a page that adds nothing new (in case `p` is ignored), or after `max_pages`. Counts are dated
the day they are read (`today`); the pick is dated the day of the listing. Pages are fetched conditionally,
so re-reading a day to refresh its counts costs little when nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from paperradar.errors import InputError, SourceError
from paperradar.models import normalise_arxiv_id
from paperradar.sources.base import BadRecord, Record
from paperradar.sources.files.fields import FieldError, parse_int, parse_url, to_paper
from paperradar.sources.live.http import PoliteClient
from paperradar.sources.live.signals import Signal

HF_URL = "https://huggingface.co/api/daily_papers"
PAPER_PAGE = "https://huggingface.co/papers/{}"
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class DailyPapers:
    """One day's listing: the papers, their signals, and whether the service said nothing changed."""

    day: date
    records: list[Record | BadRecord] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    not_modified: bool = False


def _filled(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _count(value: Any, name: str) -> int | None:
    if value is None:
        return None
    return parse_int(value, name, 0, 10**12)


def parse_item(item: Any, day: date, today: date, location: str) -> tuple[Record | BadRecord, list[Signal]]:
    """One list item as a paper and its signals; signals need an arXiv id, so a bad item has none."""
    if not isinstance(item, dict) or not isinstance(item.get("paper"), dict):
        return BadRecord(location, "item without a paper object"), []
    paper = item["paper"]
    raw_id = str(paper.get("id") or "")
    where = f"{location}#{raw_id}"
    arxiv_id = normalise_arxiv_id(raw_id)
    if arxiv_id is None:
        return BadRecord(where, f"paper id {raw_id[:80]!r} is not an arXiv id"), []
    authors = paper.get("authors")
    native = {
        "id": arxiv_id,
        "title": paper.get("title") or item.get("title"),
        "abstract": paper.get("summary") or item.get("summary"),
        "authors": [a for a in authors if not isinstance(a, dict) or a.get("name")]
        if isinstance(authors, list)
        else None,
        "published": paper.get("publishedAt"),
        "code_url": paper.get("githubRepo"),
    }
    try:
        record = Record(to_paper(native), where)
        page = PAPER_PAGE.format(arxiv_id)
        code = record.paper.code_url
        project = parse_url(paper["projectPage"], "projectPage") if _filled(paper.get("projectPage")) else None
        signals = [Signal(arxiv_id=arxiv_id, kind="hf_daily_pick", value=1, as_of=day, url=page)]
        observed = (
            ("hf_upvotes", paper.get("upvotes"), page),
            ("hf_comments", item.get("numComments"), page),
            ("github_stars", paper.get("githubStars") if code else None, code),
            ("github_repo", 1 if code else None, code),
            ("project_page", 1 if project else None, project),
        )
        for kind, raw, link in observed:
            value = _count(raw, kind)
            if value is not None:
                signals.append(Signal(arxiv_id=arxiv_id, kind=kind, value=value, as_of=today, url=link))
    except FieldError as exc:
        return BadRecord(where, str(exc)), []
    return record, signals


class HfDaily:
    """Hugging Face's daily papers; see the module docstring."""

    name = "huggingface"

    def __init__(
        self,
        client: PoliteClient,
        *,
        base_url: str = HF_URL,
        page_size: int = MAX_LIMIT,
        max_pages: int = 10,
        today: Callable[[], date] = lambda: datetime.now(UTC).date(),
    ) -> None:
        if not 1 <= page_size <= MAX_LIMIT:
            raise InputError(f"page size {page_size} is outside 1..{MAX_LIMIT}")
        self._client, self._base = client, base_url
        self._size, self._max_pages, self._today = page_size, max_pages, today

    def day(self, day: date) -> DailyPapers:
        today = self._today()
        if day > today:
            raise InputError(f"{day} is in the future; Hugging Face lists papers up to today ({today})")
        listing = DailyPapers(day)
        seen: set[str] = set()
        unchanged = True
        for url, items, not_modified in self._pages(day):
            unchanged = unchanged and not_modified
            fresh = 0
            for item in items:
                record, signals = parse_item(item, day, today, url)
                if isinstance(record, Record):
                    key = record.paper.arxiv_id or ""
                    if key in seen:
                        continue
                    seen.add(key)
                    fresh += 1
                listing.records.append(record)
                listing.signals.extend(signals)
            if len(items) < self._size or not fresh:
                break
        return DailyPapers(day, listing.records, listing.signals, unchanged and bool(listing.records))

    def _pages(self, day: date) -> Iterator[tuple[str, list[Any], bool]]:
        for number in range(self._max_pages):
            params = {"date": day.isoformat(), "limit": self._size, "p": number}
            fetched = self._client.get(self._base, params=params, conditional=True)
            items = fetched.json()
            if not isinstance(items, list):
                raise SourceError(f"{fetched.url}: expected a JSON list of daily papers, got {type(items).__name__}")
            yield fetched.url, items, fetched.not_modified
