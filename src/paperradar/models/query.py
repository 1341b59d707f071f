"""What a search asks for: parsed keyword terms and the filters every retriever applies."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SearchMode(StrEnum):
    """How a search finds papers: by words (BM25), by meaning (embeddings), or both fused."""

    LEXICAL = "lexical"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrictions shared by every retriever and ranker; None means unrestricted."""

    year_from: int | None = None
    year_to: int | None = None
    categories: tuple[str, ...] = ()
    venue: str | None = None
    min_citations: int | None = None
    has_code: bool | None = None

    @classmethod
    def for_year(cls, year: int | None) -> Filters:
        return cls(year_from=year, year_to=year)


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
