"""What both backends' batch writes share: one row per identity key and per snapshot.

A statement that inserts the same (key, paper) twice cannot also resolve the conflict, and a batch of
records often names a key or a snapshot more than once, so the rows are made unique first, with the
same rule a row-by-row write follows: the first year known for a key wins, the first read of a day
wins for a snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from paperradar.models import CitationCount


def unique_keys(rows: Sequence[tuple[str, str, int | None]]) -> list[tuple[str, str, int | None]]:
    """(paper id, key, year) rows with each (paper id, key) once, keeping the first year that is known."""
    years: dict[tuple[str, str], int | None] = {}
    for paper_id, key, year in rows:
        if years.get((paper_id, key)) is None:
            years[(paper_id, key)] = year
    return [(paper_id, key, year) for (paper_id, key), year in years.items()]


def unique_snapshots(rows: Sequence[tuple[str, CitationCount]]) -> list[tuple[int, str, CitationCount]]:
    """(position, paper id, count) of the first row for each (paper, source, day)."""
    first: dict[tuple[str, str, date | None], tuple[int, str, CitationCount]] = {}
    for position, (paper_id, count) in enumerate(rows):
        first.setdefault((paper_id, count.source or "", count.as_of), (position, paper_id, count))
    return list(first.values())
