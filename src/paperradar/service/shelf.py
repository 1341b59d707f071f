"""A user's library: save, tag, annotate, mark read; import a Zotero/BibTeX export; export as BibTeX,
CSV or JSON; upvotes and "not interested". Every call takes the signed-in user: nothing crosses users."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from paperradar.errors import InputError, PaperNotFound
from paperradar.ingest.bibtex_file import read_bibtex
from paperradar.models import Paper
from paperradar.models.account import ShelfEntry, User
from paperradar.rank.bibtex import bibliography

if TYPE_CHECKING:
    from paperradar.service import Library

MAX_TAGS, MAX_TAG_CHARS, MAX_NOTE_CHARS = 20, 40, 10_000
EXPORTS = {"bibtex": "application/x-bibtex", "csv": "text/csv", "json": "application/json"}


@dataclass(slots=True)
class BibImport:
    """What an import matched (entry key, paper id, matched on) and what it did not (key, line, why)."""

    matched: list[tuple[str, str, str]] = field(default_factory=list)
    unmatched: list[tuple[str, int, str]] = field(default_factory=list)
    added: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "matched": [{"key": k, "paper_id": p, "matched_on": m} for k, p, m in self.matched],
            "unmatched": [{"key": k, "line": n, "reason": r} for k, n, r in self.unmatched],
        }


@dataclass(slots=True)
class Marks:
    """What the cards on a page show a signed-in user: which papers they saved (with tags) and voted for."""

    saved: set[str]
    tags: dict[str, tuple[str, ...]]
    voted: set[str]


def clean_tags(tags: list[str]) -> list[str]:
    """Tags trimmed, lower-cased, control characters refused, bounded in length and number."""
    cleaned = []
    for raw in tags:
        tag = " ".join(raw.split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_CHARS:
            raise InputError(f"tags: {tag[:20]!r}… is longer than {MAX_TAG_CHARS} characters")
        if any(unicodedata.category(ch).startswith("C") for ch in tag):
            raise InputError("tags: control characters are not allowed")
        cleaned.append(tag)
    unique = list(dict.fromkeys(cleaned))
    if len(unique) > MAX_TAGS:
        raise InputError(f"tags: at most {MAX_TAGS} per paper, got {len(unique)}")
    return unique


def parse_tags(text: str) -> list[str]:
    """Tags typed in one box, separated by commas."""
    return clean_tags(text.split(",")) if text else []


class Shelf:
    """The library use cases; `Library.shelf`."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.store = library.store

    def _now(self) -> int:
        return int(self.library.settings.clock.now().timestamp())

    def _paper_id(self, key: str) -> str:
        return self.library.paper(key).id or ""

    def _changed(self, user: User, tags: list[str] | tuple[str, ...] | None = None) -> None:
        """Refit the profiles a change touched: the whole library's and those of `tags` (None: all)."""
        self.library.recommender.refresh(user, tags)

    # -- saving and annotating --------------------------------------------------------------------
    def save(self, user: User, key: str, tags: list[str] | None = None) -> Paper:
        paper = self.library.paper(key)
        cleaned = clean_tags(tags or [])
        self.store.save(user.id, paper.id or "", self._now())
        if cleaned:
            self.store.update_entry(user.id, paper.id or "", tags=cleaned)
        self._changed(user, cleaned)
        return paper

    def unsave(self, user: User, key: str) -> bool:
        paper_id = self._paper_id(key)
        before = self.store.shelf(user.id, paper_ids=[paper_id])
        removed = self.store.unsave(user.id, paper_id)
        if removed:
            self._changed(user, before[0].tags if before else ())
        return removed

    def update(self, user: User, key: str, *, note: str | None = None, read: bool | None = None,
               tags: list[str] | None = None) -> ShelfEntry:  # fmt: skip
        if note is not None and len(note) > MAX_NOTE_CHARS:
            raise InputError(f"note: at most {MAX_NOTE_CHARS} characters, got {len(note)}")
        paper_id = self._paper_id(key)
        cleaned = clean_tags(tags) if tags is not None else None
        before = self.store.shelf(user.id, paper_ids=[paper_id])
        if not self.store.update_entry(user.id, paper_id, note=note, is_read=read, tags=cleaned):
            raise PaperNotFound(f"paper {paper_id!r} is not in your library", hint="save it first")
        if cleaned is not None and before and set(cleaned) != set(before[0].tags):
            self._changed(user, sorted(set(cleaned) | set(before[0].tags)))
        return self.store.shelf(user.id, paper_ids=[paper_id])[0]

    def entries(self, user: User, tag: str | None = None) -> list[tuple[ShelfEntry, Paper]]:
        """The user's saved papers with their records, newest save first (one batch read)."""
        shelf = self.store.shelf(user.id, tag=tag.lower() if tag else None)
        papers = {p.id: p for p in self.store.papers([e.paper_id for e in shelf])}
        return [(e, papers[e.paper_id]) for e in shelf if e.paper_id in papers]

    def saved_ids(self, user: User | None, paper_ids: list[str]) -> set[str]:
        """Which of these papers the user has saved (for the buttons on a page of cards)."""
        if user is None or not paper_ids:
            return set()
        return {e.paper_id for e in self.store.shelf(user.id, paper_ids=paper_ids)}

    def tags(self, user: User) -> list[tuple[str, int]]:
        return self.store.tags(user.id)

    def marks(self, user: User) -> Marks:
        """The user's saved papers, their tags and votes, in two reads whatever papers a page shows."""
        entries = self.store.shelf(user.id)
        return Marks({e.paper_id for e in entries}, {e.paper_id: e.tags for e in entries if e.tags},
                     self.store.voted(user.id, None))  # fmt: skip

    # -- votes and "not interested" ---------------------------------------------------------------
    def vote(self, user: User, key: str, up: bool = True) -> bool:
        paper_id = self._paper_id(key)
        return self.store.vote(user.id, paper_id, self._now()) if up else self.store.unvote(user.id, paper_id)

    def voted_ids(self, user: User | None, paper_ids: list[str]) -> set[str]:
        return self.store.voted(user.id, paper_ids) if user is not None and paper_ids else set()

    def dismiss(self, user: User, key: str) -> bool:
        dismissed = self.store.dismiss(user.id, self._paper_id(key), self._now())
        if dismissed:
            self._changed(user)
        return dismissed

    # -- import and export ------------------------------------------------------------------------
    def import_bibtex(self, user: User, text: str, tags: list[str] | None = None) -> BibImport:
        """Save every entry that matches a paper (arXiv id, then DOI, then title); report the rest."""
        entries = read_bibtex(text)  # refuses a malformed file before anything is saved
        tags = clean_tags(tags or [])
        report = BibImport()
        with self.store.transaction():
            for entry in entries:
                found = self.store.candidates(entry.arxiv_id, entry.doi, entry.title_fingerprint)
                usable = [c for c in found if c.matched_on != "title" or _same_year(entry.year, c.paper.year)]
                if not usable:
                    report.unmatched.append((entry.key, entry.line, "no paper in this database matches it"))
                    continue
                best = usable[0]
                paper_id = best.paper.id or ""
                report.matched.append((entry.key, paper_id, best.matched_on))
                if self.store.save(user.id, paper_id, self._now()):
                    report.added += 1
                if tags:
                    current = self.store.shelf(user.id, paper_ids=[paper_id])[0].tags
                    self.store.update_entry(user.id, paper_id, tags=clean_tags([*current, *tags]))
        if report.added or tags:
            self._changed(user)
        return report

    def export(self, user: User, fmt: str, tag: str | None = None) -> tuple[str, str]:
        """The library as (text, media type): BibTeX that Zotero imports back, CSV or JSON."""
        if fmt not in EXPORTS:
            raise InputError(f"format: must be bibtex, csv or json, got {fmt[:20]!r}")
        rows = self.entries(user, tag)
        if fmt == "bibtex":
            return bibliography([p for _, p in rows]), EXPORTS[fmt]
        if fmt == "json":
            items = [{**p.to_dict(), "library": e.to_dict()} for e, p in rows]
            return json.dumps(items, ensure_ascii=False, indent=1), EXPORTS[fmt]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["id", "title", "authors", "year", "arxiv_id", "doi", "url", "tags", "read", "note", "saved_at"]
        )
        for e, p in rows:
            writer.writerow([p.id, _cell(p.title), _cell("; ".join(p.authors)), p.year or "", p.arxiv_id or "",
                             p.doi or "", p.abs_url or "", _cell(", ".join(e.tags)), int(e.is_read), _cell(e.note),
                             e.saved_at])  # fmt: skip
        return out.getvalue(), EXPORTS[fmt]


def _same_year(a: int | None, b: int | None) -> bool:
    """A title match counts unless both years are known and differ (reissued titles are common)."""
    return a is None or b is None or a == b


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (=, +, -, @ lead a formula in Excel and friends)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
