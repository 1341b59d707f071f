"""What goes in a digest: sections of papers with why, trending first, then the personal ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from paperradar.models import Paper
from paperradar.rank.display import one_line

SectionKind = Literal["trending", "recommended", "alert"]
SUBJECT_TITLE_CHARS = 90


class Card(Protocol):
    """A paper with the reasons it is shown (the service's Hit is one)."""

    @property
    def paper(self) -> Paper: ...

    @property
    def why(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class DigestSection:
    title: str
    hits: Sequence[Card]
    kind: SectionKind = "trending"


def compose(trending: DigestSection, personal: Sequence[DigestSection]) -> list[DigestSection]:
    """Every section worth a heading, trending always first; a paper shown above is not repeated below."""
    shown: set[str | None] = {hit.paper.id for hit in trending.hits}
    sections = [trending]
    for section in personal:
        fresh = [hit for hit in section.hits if hit.paper.id not in shown]
        shown.update(hit.paper.id for hit in fresh)
        if fresh:
            sections.append(DigestSection(section.title, fresh, section.kind))
    return sections


def subject(day: date, sections: Sequence[DigestSection]) -> str:
    """`paperradar, 3 May 2024: <top title> and 9 more`: one line whatever the titles hold."""
    papers = [hit.paper for section in sections for hit in section.hits]
    when = f"{day.day} {day:%B %Y}"
    if not papers:
        return f"paperradar, {when}"
    top = one_line(papers[0].title, SUBJECT_TITLE_CHARS)
    more = f" and {len(papers) - 1} more" if len(papers) > 1 else ""
    return f"paperradar, {when}: {top}{more}"
