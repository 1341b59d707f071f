"""Citation edge files: JSON lines of `{"citing": ..., "cited": {...}, "date": ...}` (docs/formats.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from paperradar.models import CitedWork, cited_work
from paperradar.sources.base import BadRecord
from paperradar.sources.files.reading import TextFile, first_line

_IDS = ("arxiv", "doi", "openalex", "s2")


@dataclass(frozen=True, slots=True)
class EdgeRecord:
    """One line: the paper that cites (its id, arXiv id or DOI), the work it cites, and the day read."""

    citing: str
    cited: CitedWork
    as_of: date | None
    location: str


def is_edge_file(path: Path) -> bool:
    """Whether the file's first line is an edge (both `citing` and `cited`) rather than a paper."""
    try:
        first = json.loads(first_line(path) or "null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return isinstance(first, dict) and "citing" in first and "cited" in first


def to_edge(data: Any, location: str) -> EdgeRecord:
    """An edge from one decoded line; ValueError naming the field when it is not one."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object with `citing` and `cited`")
    citing = data.get("citing")
    if not isinstance(citing, str) or not citing.strip():
        raise ValueError("`citing`: expected the citing paper's id, arXiv id or DOI")
    cited = data.get("cited")
    if isinstance(cited, str):  # a bare identifier: an arXiv id, a DOI or an OpenAlex id
        cited = {"arxiv": cited, "doi": cited, "openalex": cited if cited.upper().startswith("W") else None}
    if not isinstance(cited, dict):
        raise ValueError("`cited`: expected an object of arxiv, doi, openalex, s2, title and year")
    year = cited.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise ValueError(f"`cited.year`: expected a whole year, got {year!r}")
    if any(cited.get(k) is not None and not isinstance(cited.get(k), str) for k in (*_IDS, "title")):
        raise ValueError("`cited`: identifiers and title are strings")
    work = cited_work(**{k: cited.get(k) for k in _IDS}, title=cited.get("title"), year=year)
    if not work.keys and not work.title:
        raise ValueError("`cited`: needs an arxiv id, doi, openalex or s2 id, or a title")
    day = data.get("date")
    try:
        as_of = date.fromisoformat(day) if isinstance(day, str) else None
    except ValueError:
        raise ValueError(f"`date`: expected YYYY-MM-DD, got {day!r}") from None
    if day is not None and as_of is None:
        raise ValueError(f"`date`: expected YYYY-MM-DD, got {day!r}")
    return EdgeRecord(citing.strip(), work, as_of, location)


def read_edges(path: Path) -> Iterator[EdgeRecord | BadRecord]:
    """Every edge of a file, or where and why a line is not one."""
    source = TextFile(path)
    try:
        for number, line in source.raw_lines():
            if not line.strip():
                continue
            location = f"{path}:{number}"
            try:
                yield to_edge(json.loads(line), location)
            except (ValueError, RecursionError) as exc:
                yield BadRecord(location, str(exc) if not isinstance(exc, json.JSONDecodeError) else
                                f"not valid JSON ({exc.msg} at column {exc.colno})")  # fmt: skip
    finally:
        source.close()
