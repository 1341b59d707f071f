"""Merge rules: which stored paper a record is, and how fields combine."""

from datetime import date

from paperradar.ingest.merge import choose, merge
from paperradar.models import CitationCount, Paper
from paperradar.store.base import Candidate


def test_merge_keeps_every_field_either_record_had():
    stored = Paper(id="p1", title="A Title", abstract="short", authors=["A"], year=2021, categories=["cs.LG"])
    record = Paper(
        title="A title",
        arxiv_id="2101.00001",
        doi="10.1/x",
        abstract="a much longer abstract",
        authors=["A", "B"],
        categories=["cs.LG", "cs.CL"],
        venue="ICML",
        code_url="https://github.com/a/b",
        published=date(2021, 1, 2),
    )
    merged = merge(stored, record)
    assert merged.id == "p1" and merged.title == "A Title"
    assert merged.arxiv_id == "2101.00001" and merged.doi == "10.1/x"
    assert merged.abstract == "a much longer abstract"
    assert merged.authors == ["A", "B"]
    assert merged.categories == ["cs.LG", "cs.CL"]
    assert merged.venue == "ICML" and merged.code_url == "https://github.com/a/b"
    assert merged.year == 2021 and merged.published == date(2021, 1, 2)


def test_merging_the_same_record_twice_changes_nothing():
    stored = Paper(id="p1", title="T", abstract="abc", citations=CitationCount(5))
    record = Paper(title="T", abstract="abcdef", categories=["x"], citations=CitationCount(7, "s2", date(2025, 1, 1)))
    once = merge(stored, record)
    assert merge(once, record) == once


def test_newest_citation_count_wins_and_undated_loses_to_dated():
    stored = Paper(id="p1", title="T", citations=CitationCount(100, "openalex", date(2025, 1, 1)))
    older = merge(stored, Paper(title="T", citations=CitationCount(90, "openalex", date(2024, 1, 1))))
    assert older.citations.count == 100
    undated_bigger = merge(stored, Paper(title="T", citations=CitationCount(500)))
    assert undated_bigger.citations.count == 100
    newer = merge(stored, Paper(title="T", citations=CitationCount(120, "s2", date(2025, 6, 1))))
    assert newer.citations == CitationCount(120, "s2", date(2025, 6, 1))


def test_title_matches_only_within_the_same_year_when_both_have_one():
    stored = Paper(id="p1", title="Same Title", year=2019)
    assert choose([Candidate(stored, "title")], Paper(title="Same Title", year=2019)) is stored
    assert choose([Candidate(stored, "title")], Paper(title="Same Title")) is stored
    assert choose([Candidate(stored, "title")], Paper(title="Same Title", year=2020)) is None


def test_two_different_arxiv_ids_are_two_papers_even_with_one_title():
    stored = Paper(id="2101.00001", title="Same", arxiv_id="2101.00001", year=2021)
    assert choose([Candidate(stored, "title")], Paper(title="Same", arxiv_id="2102.00002", year=2021)) is None
    assert choose([Candidate(stored, "arxiv")], Paper(title="Other", arxiv_id="2101.00001")) is stored
