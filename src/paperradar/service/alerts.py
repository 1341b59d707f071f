"""Saved searches as alerts: a search kept with its mode and filters, and the papers it newly matches."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from paperradar.errors import InputError
from paperradar.models import Filters, Paper, SearchMode
from paperradar.models.account import SavedSearch, User
from paperradar.service.results import Hit, check_filters

if TYPE_CHECKING:
    from paperradar.service import Library

MAX_SEARCHES, MAX_QUERY, MAX_NAME = 50, 500, 100
SCAN = 200  # best matches of a saved search looked through for new ones
DEFAULT_DAYS = 7


def filters_to_dict(filters: Filters) -> dict[str, Any]:
    """Only the filters set, as JSON can hold them."""
    return {
        k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(filters).items() if v not in (None, ())
    }


def filters_from_dict(data: dict[str, Any]) -> Filters:
    """A saved search's filters as stored; integers saved before they were bounded are brought into bounds,
    so one old search can never break its owner's page or their digest."""
    known = {f.name for f in dataclasses.fields(Filters)}
    values: dict[str, Any] = {k: tuple(v) if k == "categories" else v for k, v in data.items() if k in known}
    return Filters(**values).within_bounds()


def _day(paper: Paper) -> date:
    """When a paper came out: its listing day, else publication day, else 1 January of its year."""
    return paper.listing_date or paper.published or (date(paper.year, 1, 1) if paper.year else date.min)


def _utc_day(timestamp: int) -> date:
    """The UTC day of a stored time (never the server's local one: every date is a UTC date)."""
    return datetime.fromtimestamp(timestamp, UTC).date()


class Alerts:
    """`Library.alerts_for` (the saved-search use cases)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.store = library.store

    def _now(self) -> int:
        return int(self.library.settings.clock.now().timestamp())

    def save(self, user: User, query: str, mode: str = "hybrid", filters: Filters | None = None,
             name: str = "") -> SavedSearch:  # fmt: skip
        query = " ".join((query or "").split())
        if not query or len(query) > MAX_QUERY:
            raise InputError(f"q: a saved search needs a query of 1 to {MAX_QUERY} characters")
        try:
            mode = SearchMode(mode).value
        except ValueError:
            raise InputError(f"mode: must be lexical, semantic or hybrid, got {str(mode)[:40]!r}") from None
        check_filters(filters)
        if len(self.store.saved_searches(user.id)) >= MAX_SEARCHES:
            raise InputError(f"saved searches: at most {MAX_SEARCHES}; delete one first")
        name = " ".join((name or query).split())[:MAX_NAME]
        return self.store.add_saved_search(user.id, name, query, mode, filters_to_dict(filters or Filters()),
                                           self._now())  # fmt: skip

    def searches(self, user: User) -> list[SavedSearch]:
        return self.store.saved_searches(user.id)

    def delete(self, user: User, search_id: int) -> bool:
        return self.store.delete_saved_search(user.id, search_id)

    def new_matches(self, search: SavedSearch, since: date, until: date) -> list[Hit]:
        """Papers the search matches that were listed (or published) in [since, until], best first."""
        page = self.library.search(
            search.query, limit=SCAN, filters=filters_from_dict(search.filters), mode=search.mode
        )
        return [h for h in page.hits if since <= _day(h.paper) <= until]

    def alerts(self, user_id: int, since: date, until: date) -> list[tuple[SavedSearch, list[Hit]]]:
        if since > until:
            raise InputError(f"since: {since.isoformat()} is after until {until.isoformat()}")
        return [(s, self.new_matches(s, since, until)) for s in self.store.saved_searches(user_id)]

    def since_last_seen(self, user: User, until: date) -> list[tuple[SavedSearch, list[Hit]]]:
        """For the user's page: each search's new papers since they last looked (else the last week)."""
        found = []
        for search in self.store.saved_searches(user.id):
            seen = _utc_day(search.last_seen) if search.last_seen else until - timedelta(days=DEFAULT_DAYS)
            found.append((search, self.new_matches(search, seen, until)))
        return found

    def mark_seen(self, user: User, search_id: int) -> bool:
        return self.store.mark_seen(user.id, search_id, self._now())
