"""The daily feed and trending lists: which papers, gathered from the store, ordered by trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from paperradar.models import Filters
from paperradar.rank.periods import Period
from paperradar.rank.trending import STARS, UPVOTES, Evidence, Trend, Weights, Window, rank
from paperradar.store.base import Store


@dataclass(frozen=True, slots=True)
class Feed:
    """A period's papers, best first, and the nearest periods before and after that have papers."""

    period: Period
    trends: list[Trend]
    previous: Period | None
    next: Period | None


def _evidence(store: Store, listed: list[tuple[str, date | None]], until: date) -> list[Evidence]:
    ids = [pid for pid, _ in listed]
    signals = store.signals_of(ids, (UPVOTES, STARS), until)
    snapshots = store.snapshots_of(ids, until)
    end = int(datetime.combine(until + timedelta(days=1), time(), UTC).timestamp()) - 1
    engagement = {
        pid: [(kind, datetime.fromtimestamp(at, UTC).date()) for kind, at in marks]
        for pid, marks in store.engagement_of(ids, end).items()
    }
    return [Evidence(pid, day, signals.get(pid, []), snapshots.get(pid, []), engagement.get(pid, []))
            for pid, day in listed]  # fmt: skip


def newest_period(store: Store, kind: str, filters: Filters) -> Period | None:
    day = store.listing_day(filters=filters)
    return Period.containing(kind, day) if day else None  # type: ignore[arg-type]


def feed(store: Store, period: Period, weights: Weights, filters: Filters, today: date | None = None) -> Feed:
    """Papers listed in the period, ordered by their trend over the period, ending on its last day or on
    `today` when the period is not over yet (this week's papers of today are "listed today")."""
    listed: list[tuple[str, date | None]] = list(store.listed(period.start, period.end, filters))
    end = min(period.end, today) if today and today >= period.start else period.end
    window = Window("day" if period.kind == "daily" else "week" if period.kind == "weekly" else "month", end)
    trends = rank(_evidence(store, listed, end), window, weights)
    before = store.listing_day(before=period.start, filters=filters)
    after = store.listing_day(after=period.end, filters=filters)
    return Feed(
        period,
        trends,
        Period.containing(period.kind, before) if before else None,
        Period.containing(period.kind, after) if after else None,
    )


def trending(store: Store, window: Window, weights: Weights, filters: Filters) -> list[Trend]:
    """Papers listed, upvoted, starred or cited in the window, by trend; papers with no score left out."""
    active = store.active(window.start, window.end, filters)
    return [t for t in rank(_evidence(store, active, window.end), window, weights) if t.score > 0]


def default_day(store: Store, today: date) -> date:
    """Where trending ends by default: today, or the newest activity when the data stops earlier
    (an imported corpus), so the page is never empty just because nothing was synced today."""
    newest = store.newest_activity()
    return min(newest, today) if newest else today
