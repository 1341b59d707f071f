"""What the use cases answer with (a hit, a page of hits, a period's page) and the bounds every page keeps."""

from __future__ import annotations

from dataclasses import dataclass

from paperradar.errors import InputError
from paperradar.models import Filters, Paper
from paperradar.rank.periods import Period

MAX_LIMIT = 1_000
# The deepest result any page reaches (offset + limit), as search engines stop at about a thousand: past it a
# request would rank ever more papers only to throw them away, holding the search indexes meanwhile.
MAX_WINDOW = 1_000


@dataclass(frozen=True, slots=True)
class Hit:
    paper: Paper
    score: float
    found_by: tuple[str, ...] = ()  # for search results: the retrievers that returned the paper
    why: tuple[str, ...] = ()  # for trending and the daily feed: what the score is made of

    def to_dict(self) -> dict[str, object]:
        """A result as the CLI's --json and the JSON API both print it: the paper plus its score."""
        data: dict[str, object] = {**self.paper.to_dict(), "score": round(self.score, 6)}
        if self.found_by:
            data["found_by"] = list(self.found_by)
        if self.why:
            data["why"] = list(self.why)
        return data


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a ranking, hydrated into papers."""

    hits: list[Hit]
    offset: int
    limit: int
    title: str = ""
    total: int | None = None  # how many there are in all, where that is known cheaply
    highlights: tuple[str, ...] = ()  # for search results: the query's words, for pages to mark
    notes: tuple[str, ...] = ()  # what a reader should know about the list: what it leaves out, what it ranks by
    next_after: str | None = None  # lists paged by key (latest): the `after` of the next page; None on the last


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One page of a period's papers, with the nearest periods before and after that have papers."""

    page: Page
    period: Period | None
    previous: Period | None
    next: Period | None


def check_limit(limit: int, offset: int = 0) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise InputError(f"offset: must not be negative, got {offset}")
    if offset + limit > MAX_WINDOW:
        raise InputError(f"offset: offset + limit must be at most {MAX_WINDOW}, got {offset} + {limit}")


def check_filters(filters: Filters | None) -> None:
    """Refuse filters out of bounds (a count no database can bind, a year out of range), naming the field."""
    problem = filters.problem() if filters is not None else None
    if problem:
        raise InputError(problem)
