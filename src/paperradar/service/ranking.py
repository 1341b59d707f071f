"""Lists of papers: the newest, the most cited of some years (also as Markdown and BibTeX), a day's,
week's or month's listings by trend, and what is trending."""

from __future__ import annotations

from datetime import date

from paperradar.errors import InputError
from paperradar.models import Filters
from paperradar.rank import daily as feeds
from paperradar.rank.best import BestOfRange, best_of, undated_cited
from paperradar.rank.bibtex import bibliography
from paperradar.rank.markdown import best_of_markdown
from paperradar.rank.periods import Period
from paperradar.rank.trending import Trend, Weights, Window
from paperradar.service import cursor
from paperradar.service.base import LibraryBase
from paperradar.service.results import FeedPage, Hit, Page, check_filters, check_limit
from paperradar.store.base import latest_key

NO_SIGNALS = (
    "None of these papers has Hugging Face upvotes, GitHub stars, votes, saves or citation gains here yet, "
    "so they rank by how recently they were listed alone."
)


class Ranking(LibraryBase):
    """`Library.latest`, `best`, `daily` and `trending`."""

    def latest(
        self, limit: int = 25, offset: int = 0, filters: Filters | None = None, after: str | None = None
    ) -> Page:
        """Newest papers first. `after` (a page's `next_after`) goes on from that page at any depth;
        `offset` stays for old links, bounded like every list's."""
        check_limit(limit, offset)
        check_filters(filters)
        key = None
        if after is not None:
            if offset:
                raise InputError(f"offset: not with after (the cursor says where the page starts), got {offset}")
            key = cursor.decode(after)
            if not self.store.papers([key[1]]):
                raise InputError("after: names no paper here (use the link of the previous page)")
        ranking = self.store.latest(filters or Filters(), limit + 1, offset, after=key)  # one more: is there a next?
        shown = ranking[:limit]
        more = cursor.encode(latest_key(*shown[-1])) if len(ranking) > limit else None
        return Page(self._hydrate(shown), offset, limit, next_after=more)

    def best(
        self,
        year: int | None = None,
        since: int | None = None,
        until: int | None = None,
        limit: int = 100,
        offset: int = 0,
        filters: Filters | None = None,
        normalise: str | None = None,
    ) -> Page:
        """Most cited papers of a range of years; `normalise="age"` ranks by citations per year."""
        check_limit(limit, offset)
        check_filters(filters)
        if normalise not in (None, "", "none", "age"):
            raise InputError(f"normalise: must be age or none, got {str(normalise)[:20]!r}")
        years = BestOfRange.of(year, since, until)
        per_year = self.today().year if normalise == "age" else None
        ranking = best_of(self.store, years, filters or Filters(), limit, offset, per_year_to=per_year)
        title = years.title + (" (citations per year)" if per_year else "")
        notes: tuple[str, ...] = ()
        if years.since is not None or years.until is not None or per_year:
            undated = undated_cited(self.store, filters or Filters())
            if undated:
                notes = (f"{undated:,} cited paper{'s' if undated > 1 else ''} with no known year "
                         f"{'are' if undated > 1 else 'is'} left out: a range of years cannot place "
                         f"{'them' if undated > 1 else 'it'} (the all-time list includes them).",)  # fmt: skip
        return Page(self._hydrate(ranking), offset, limit, title=title, notes=notes)

    def best_markdown(self, page: Page) -> str:
        """A best-of page as Markdown, ranks continuing from its offset."""
        return best_of_markdown(page.title, [h.paper for h in page.hits], page.offset + 1)

    def bibliography(self, page: Page) -> str:
        """The papers of a page as a .bib file."""
        return bibliography([h.paper for h in page.hits])

    def daily(
        self, kind: str = "daily", slug: str | None = None, limit: int = 25, offset: int = 0,
        filters: Filters | None = None,
    ) -> FeedPage:  # fmt: skip
        """Papers listed in a day, ISO week or month (the newest with papers when `slug` is None), by trend."""
        check_limit(limit, offset)
        check_filters(filters)
        filters = filters or Filters()
        period = Period.parse(kind, slug) if slug else feeds.newest_period(self.store, kind, filters)
        if period is None:
            return FeedPage(Page([], offset, limit, total=0), None, None, None)
        today = feeds.default_day(self.store, self.settings.clock.today())  # the demo's: its newest day
        found = feeds.feed(self.store, period, self._weights(), filters, today)
        page = self._hydrate_trends(found.trends, limit, offset, period.title)
        return FeedPage(page, period, found.previous, found.next)

    def trending(
        self, window: str = "week", day: date | None = None, limit: int = 25, offset: int = 0,
        filters: Filters | None = None,
    ) -> Page:  # fmt: skip
        """Papers trending over a day, week or month ending on `day` (default: today, or the newest data)."""
        check_limit(limit, offset)
        check_filters(filters)
        end = day or feeds.default_day(self.store, self.today())
        span = Window.of(window, end)
        trends = feeds.trending(self.store, span, self._weights(), filters or Filters())
        return self._hydrate_trends(trends, limit, offset, f"Trending {span.phrase} (to {end.isoformat()})")

    def _weights(self) -> Weights:
        s = self.settings
        return Weights(s.trending_weight_upvotes, s.trending_weight_stars, s.trending_weight_citations,
                       s.trending_weight_recency, s.trending_half_life_days, s.trending_weight_votes,
                       s.trending_weight_saves)  # fmt: skip

    def _hydrate_trends(self, trends: list[Trend], limit: int, offset: int, title: str) -> Page:
        shown = trends[offset : offset + limit]
        papers = {p.id: p for p in self.store.papers([t.paper_id for t in shown])}
        hits = [Hit(papers[t.paper_id], t.score, why=t.reasons) for t in shown if t.paper_id in papers]
        notes = (NO_SIGNALS,) if trends and not any(set(t.parts) - {"recency"} for t in trends) else ()
        return Page(hits, offset, limit, title=title, total=len(trends), notes=notes)
