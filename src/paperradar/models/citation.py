"""The citation graph's records: a work a paper cites (in the corpus or not), and an edge to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from paperradar.models.identity import normalise_arxiv_id, normalise_doi

# Where edges come from: the names stored with every edge.
EDGE_SOURCES = ("openalex", "semanticscholar", "file")
_OPENALEX_PREFIX = "https://openalex.org/"


@dataclass(frozen=True, slots=True)
class CitedWork:
    """A cited work as a source named it. `keys` are its identifiers, strongest first ('arxiv:...',
    'doi:...', 'openalex:W...', 's2:...'); `paper_id` is the corpus paper it is, once one claims it.
    A work no corpus paper is stays a stub with whatever identifiers and title the source gave."""

    keys: tuple[str, ...]
    title: str | None = None
    year: int | None = None
    paper_id: str | None = None

    @property
    def arxiv_id(self) -> str | None:
        return self._key("arxiv")

    @property
    def doi(self) -> str | None:
        return self._key("doi")

    def _key(self, kind: str) -> str | None:
        return next((k.split(":", 1)[1] for k in self.keys if k.startswith(kind + ":")), None)

    def to_dict(self) -> dict[str, Any]:
        ids = {key.split(":", 1)[0]: key.split(":", 1)[1] for key in self.keys}
        return {"paper_id": self.paper_id, "title": self.title, "year": self.year, "ids": ids}


def cited_work(
    *,
    arxiv: str | None = None,
    doi: str | None = None,
    openalex: str | None = None,
    s2: str | None = None,
    title: str | None = None,
    year: int | None = None,
) -> CitedWork:
    """A CitedWork from raw identifiers, normalised as papers' are (so a later import of the paper
    finds it); identifiers that do not parse are dropped."""
    keys = []
    if (arxiv_id := normalise_arxiv_id(arxiv)) is not None:
        keys.append(f"arxiv:{arxiv_id}")
    if (canonical := normalise_doi(doi)) is not None:
        keys.append(f"doi:{canonical}")
    if openalex and (work := openalex.strip().removeprefix(_OPENALEX_PREFIX).upper()):
        keys.append(f"openalex:{work}")
    if s2 and s2.strip():
        keys.append(f"s2:{s2.strip()}")
    return CitedWork(tuple(keys), (title or "").strip() or None, year)


@dataclass(frozen=True, slots=True)
class Edge:
    """`citing` (a corpus paper's id) cites `work`, as these sources read it; `as_of` is the newest read."""

    citing: str
    work: CitedWork
    sources: tuple[str, ...]
    as_of: date

    def to_dict(self) -> dict[str, Any]:
        return {"citing": self.citing, "cited": self.work.to_dict(), "sources": list(self.sources),
                "date": self.as_of.isoformat()}  # fmt: skip
