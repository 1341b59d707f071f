"""Best-of lists: the most cited papers of a year or a range of years."""

from __future__ import annotations

from dataclasses import dataclass, replace

from paperradar.errors import InputError
from paperradar.models import Filters
from paperradar.store.base import Ranking, Store


@dataclass(frozen=True, slots=True)
class BestOfRange:
    """Which years a best-of list covers; None ends are open."""

    since: int | None = None
    until: int | None = None

    @classmethod
    def of(cls, year: int | None = None, since: int | None = None, until: int | None = None) -> BestOfRange:
        if year is not None and (since is not None or until is not None):
            raise InputError("--year: give a year, or --since/--until, not both")
        if year is not None:
            return cls(year, year)
        if since is not None and until is not None and since > until:
            raise InputError(f"--since: {since} is after --until {until}")
        return cls(since, until)

    @property
    def title(self) -> str:
        if self.since is not None and self.since == self.until:
            return f"The best AI papers of {self.since}"
        if self.since is not None and self.until is not None:
            return f"The best AI papers from {self.since} to {self.until}"
        if self.since is not None:
            return f"The best AI papers from {self.since} to now"
        if self.until is not None:
            return f"The best AI papers up to {self.until}"
        return "The best AI papers"


def best_of(store: Store, years: BestOfRange, filters: Filters, limit: int, offset: int = 0,
            per_year_to: int | None = None) -> Ranking:  # fmt: skip
    """Papers ranked by citation count, most cited first; ties go to the paper known longest.
    With `per_year_to` (this year), by citations per year since publication instead, which lets a
    strong recent paper stand beside an old classic.

    A paper with no year is only left out when the range has a bound (or when normalising by age):
    an all-time list includes it.
    """
    scoped = replace(filters, year_from=years.since, year_to=years.until)
    if per_year_to is not None:
        return store.by_citations_per_year(scoped, per_year_to, limit, offset)
    return store.by_citations(scoped, limit, offset)


def undated_cited(store: Store, filters: Filters) -> int:
    """How many papers with a citation count (and these filters) have no year: a bounded range
    cannot hold them, so a list over one should say how many it leaves out."""
    cited = replace(filters, year_from=None, year_to=None, min_citations=filters.min_citations or 0)
    dated = replace(cited, year_from=-(10**6), year_to=10**6)
    return store.count(cited) - store.count(dated)
