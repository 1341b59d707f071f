"""The native record schema: field names, their common aliases, and how each value is checked.

Documented in docs/formats.md; every file in the seed and reference datasets maps through this.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from paperradar.models import CitationCount, Paper, normalise_arxiv_id, normalise_doi
from paperradar.models.identity import arxiv_year

# Size bounds: input beyond these is not a paper's metadata but a mistake or an attack.
MAX_TITLE = 1_000
MAX_ABSTRACT = 50_000
MAX_AUTHORS = 5_000
MAX_AUTHOR_NAME = 2_000
MAX_URL = 2_000
MAX_CATEGORIES = 50
MAX_COMMENT = 2_000

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "arxiv_id", "arxiv", "arxivId", "arXiv"),
    "doi": ("doi", "DOI"),
    "title": ("title",),
    "abstract": ("abstract", "summary"),
    "authors": ("authors", "author"),
    "year": ("year",),
    "published": ("published", "publication_date", "published_date", "date"),
    "listing_date": ("listing_date", "announced", "announced_date"),
    "categories": ("categories", "category"),
    "primary_category": ("primary_category",),
    "venue": ("venue", "journal", "booktitle"),
    "citations": ("citations", "citation_count", "citationCount", "cited_by_count", "gs_citation"),
    "citations_source": ("citations_source",),
    "citations_date": ("citations_date",),
    "url": ("url", "abs_url", "site", "link"),
    "pdf_url": ("pdf_url", "pdf"),
    "code_url": ("code_url", "github", "code", "repo"),
    "comment": ("comment", "comments"),
}
# A count read from a field that names its provider says where it came from.
_IMPLIED_SOURCE = {"gs_citation": "google_scholar", "cited_by_count": "openalex", "citationCount": "semantic_scholar"}
_AUTHOR_SPLIT = re.compile(r"\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s*;\s*")


class FieldError(ValueError):
    """A field whose value cannot be used; the message names the field."""


def pick(record: Mapping[str, Any], name: str) -> tuple[str | None, Any]:
    """(the alias found, its value) for a schema field; empty values count as absent."""
    for alias in ALIASES[name]:
        value = record.get(alias)
        if value not in (None, "", [], {}):
            return alias, value
    return None, None


def clean_text(value: Any, field: str, limit: int) -> str:
    if not isinstance(value, str):
        raise FieldError(f"{field}: expected text, got {type(value).__name__}")
    text = " ".join(value.split())  # collapses every run of white space; much faster than a regex
    if "\x00" in text:
        raise FieldError(f"{field}: contains a NUL character")
    if len(text) > limit:
        raise FieldError(f"{field}: {len(text)} characters, more than the {limit} allowed")
    return text


def parse_authors(value: Any) -> list[str]:
    """A list of names, or one string "A, B and C" / "A; B"."""
    if isinstance(value, str):
        names = [n for n in _AUTHOR_SPLIT.split(clean_text(value, "authors", MAX_AUTHORS * 50)) if n]
    elif isinstance(value, list):
        names = []
        for item in value:
            if isinstance(item, dict):  # {"name": ...} as several APIs give it
                item = item.get("name", "")
            if isinstance(item, str) and len(item) > 200 and ("," in item or ";" in item):
                names.extend(parse_authors(item))  # a whole author list stuffed into one entry
                continue
            names.append(clean_text(item, "authors", MAX_AUTHOR_NAME))
        names = [n for n in names if n]
    else:
        raise FieldError(f"authors: expected a list or a string, got {type(value).__name__}")
    if len(names) > MAX_AUTHORS:
        raise FieldError(f"authors: {len(names)} names, more than the {MAX_AUTHORS} allowed")
    return names


def parse_categories(value: Any) -> list[str]:
    if isinstance(value, str):
        items = value.replace(",", " ").split()
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value if v.strip()]
    else:
        raise FieldError("categories: expected a list of strings or a space-separated string")
    if len(items) > MAX_CATEGORIES:
        raise FieldError(f"categories: {len(items)} given, more than the {MAX_CATEGORIES} allowed")
    return list(dict.fromkeys(items))


def parse_int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise FieldError(f"{field}: expected a whole number, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise FieldError(f"{field}: expected a whole number, got {value!r}"[:200])
    if not low <= value <= high:
        raise FieldError(f"{field}: {value} is outside {low}..{high}")
    return value


def parse_date(value: Any, field: str) -> date:
    """An ISO date or date-time (YYYY-MM-DD...)."""
    if not isinstance(value, str):
        raise FieldError(f"{field}: expected a date as YYYY-MM-DD, got {type(value).__name__}")
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise FieldError(f"{field}: {text[:40]!r} is not a date (YYYY-MM-DD)") from None


def parse_url(value: Any, field: str) -> str | None:
    """A web link, or None for anything that is not http(s): a source's URL is never trusted to be one."""
    text = clean_text(value, field, MAX_URL)
    if text.lower().startswith(("https://", "http://")):
        return text
    if re.fullmatch(r"[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+", text) and field == "code_url":
        return f"https://github.com/{text}"  # "owner/repo", as code links are often given
    return None


def to_paper(record: Mapping[str, Any]) -> Paper:
    """Map a native record onto a Paper, or raise FieldError naming the field at fault."""
    if not isinstance(record, Mapping):
        raise FieldError(f"expected a JSON object, got {type(record).__name__}")
    _alias, title = pick(record, "title")
    if title is None:
        raise FieldError("title: missing")
    paper = Paper(title=clean_text(title, "title", MAX_TITLE))
    if not paper.title:
        raise FieldError("title: empty")

    alias, value = pick(record, "id")
    if value is not None:
        paper.arxiv_id = normalise_arxiv_id(str(value))
        if alias != "id" and paper.arxiv_id is None:
            raise FieldError(f"{alias}: {str(value)[:40]!r} is not an arXiv id")
    _alias, value = pick(record, "doi")
    if value is not None:
        paper.doi = normalise_doi(str(value))

    _alias, value = pick(record, "abstract")
    if value is not None:
        paper.abstract = clean_text(value, "abstract", MAX_ABSTRACT)
    _alias, value = pick(record, "authors")
    if value is not None:
        paper.authors = parse_authors(value)
    alias, value = pick(record, "year")
    if value is not None:
        paper.year = parse_int(value, alias or "year", 1600, 2200)
    for name in ("published", "listing_date"):
        alias, value = pick(record, name)
        if value is not None:
            setattr(paper, name, parse_date(value, alias or name))
    _alias, value = pick(record, "categories")
    categories = parse_categories(value) if value is not None else []
    _alias, primary = pick(record, "primary_category")
    if isinstance(primary, str) and primary.strip():
        categories = [primary.strip(), *[c for c in categories if c != primary.strip()]]
    paper.categories = categories
    _alias, value = pick(record, "venue")
    if value is not None:
        paper.venue = clean_text(str(value), "venue", MAX_TITLE) or None
    _alias, value = pick(record, "comment")
    if value is not None:
        paper.comment = clean_text(value, "comment", MAX_COMMENT) or None
    for name in ("url", "pdf_url", "code_url"):
        alias, value = pick(record, name)
        if value is not None:
            setattr(paper, name, parse_url(value, name))

    alias, value = pick(record, "citations")
    if value is not None:
        count = parse_int(value, alias or "citations", 0, 100_000_000)
        _a, source = pick(record, "citations_source")
        _a, as_of = pick(record, "citations_date")
        paper.citations = CitationCount(
            count,
            clean_text(source, "citations_source", 100) if source else _IMPLIED_SOURCE.get(alias or ""),
            parse_date(as_of, "citations_date") if as_of else None,
        )

    if paper.year is None:
        day = paper.published or paper.listing_date
        paper.year = day.year if day else arxiv_year(paper.arxiv_id)
    return paper
