"""What a search asks for: parsed keyword terms and the filters every retriever applies."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SearchMode(StrEnum):
    """How a search finds papers: by words (BM25), by meaning (embeddings), or both fused."""

    LEXICAL = "lexical"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"


MAX_COUNT = 2**63 - 1  # the largest integer both databases bind (SQLite INTEGER, PostgreSQL bigint)
YEARS = (1000, 3000)  # the years a filter may name, as the API and pages accept them


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions shared by every retriever and ranker; None means unrestricted.

    `problem()` says what is out of bounds: the service refuses such filters wherever they come in
    (searches, saved searches), so a value no database can bind is never kept or sent to one.
    """

    year_from: int | None = None
    year_to: int | None = None
    categories: tuple[str, ...] = ()
    venue: str | None = None
    min_citations: int | None = None
    has_code: bool | None = None

    @classmethod
    def for_year(cls, year: int | None) -> Filters:
        return cls(year_from=year, year_to=year)

    def problem(self) -> str | None:
        """The first filter out of bounds, as `name: must be ..., got ...`; None when all are usable."""
        low, high = YEARS
        for name, value in (("year_from", self.year_from), ("year_to", self.year_to)):
            if value is not None and not low <= value <= high:
                return f"{name}: must be a year from {low} to {high}, got {value}"
        if self.min_citations is not None and not 0 <= self.min_citations <= MAX_COUNT:
            return f"min_citations: must be 0 to {MAX_COUNT}, got {str(self.min_citations)[:30]}"
        return None

    def within_bounds(self) -> Filters:
        """These filters with integers brought into bounds, for filters stored before they were checked:
        a count above the largest still matches nothing, a year outside the range the same years."""
        low, high = YEARS

        def year(value: int | None) -> int | None:
            return None if value is None else min(max(value, low), high)

        cites = None if self.min_citations is None else min(max(self.min_citations, 0), MAX_COUNT)
        return Filters(year(self.year_from), year(self.year_to), self.categories, self.venue, cites, self.has_code)


@dataclass(frozen=True, slots=True)
class KeywordQuery:
    """A keyword query as parsed from what a user typed.

    `terms` are plain words (matched in any field), `phrases` must appear as written,
    `fields` holds (field, text) pairs restricted to one column, `excluded` words must not appear.
    """

    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    excluded: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)
    text: str = ""  # the free text as typed, without syntax: what a semantic retriever reads

    @property
    def highlights(self) -> tuple[str, ...]:
        """The words a results page marks: terms, phrases and title/abstract field words (not exclusions)."""
        texts = [*self.terms, *self.phrases, *(text for name, text in self.fields if name != "authors")]
        return tuple(dict.fromkeys(word for text in texts for word in text.split()))

    @property
    def constraints(self) -> KeywordQuery:
        """Only the parts every result must satisfy: phrases, one-field terms, exclusions."""
        return KeywordQuery(phrases=self.phrases, fields=self.fields, excluded=self.excluded, filters=self.filters)

    @property
    def has_constraints(self) -> bool:
        return bool(self.phrases or self.fields or self.excluded)

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.fields)
