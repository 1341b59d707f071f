"""Merging a batch at once gives what merging its records one by one gives, on both backends.

The input is the demo corpus (real records of the same papers from several pages) with the fixture
files, shuffled: within one batch the same paper arrives several times, through different keys."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

import pytest

from paperradar.ingest import import_records
from paperradar.models import CitationCount, Paper
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.sources.base import BadRecord, Record
from support import FIXTURES


@pytest.fixture
def twin_url(store_url: str, tmp_path, request) -> str:
    """A second empty database of the same backend as `store_url`."""
    if store_url.startswith("sqlite:"):
        return f"sqlite:///{tmp_path / 'twin.db'}"
    return request.getfixturevalue("new_postgres_database")("twin")


def _records(library: Library) -> list[Record]:
    paths = [library.demo_corpus_path(), FIXTURES / "native.jsonl", FIXTURES / "native.csv",
             FIXTURES / "arxiv-snapshot.jsonl"]  # fmt: skip
    found = [item for source in library.sources(paths) for item in source.read() if not isinstance(item, BadRecord)]
    random.Random(3).shuffle(found)
    return found


def _state(library: Library) -> dict:
    papers = {p.id: p for p in library.store.iter_papers()}
    return {
        "papers": papers,
        "keys": library.store.identity_keys(list(papers)),
        "history": {pid: library.store.citation_history(pid) for pid in papers},
        "order": list(papers),
    }


@pytest.fixture
def twins(store_url: str, twin_url: str) -> Iterator[tuple[Library, Library]]:
    one, other = Library.open(load_settings(database_url=store_url)), Library.open(load_settings(database_url=twin_url))
    yield one, other
    one.close()
    other.close()


def test_one_batch_and_one_record_at_a_time_store_the_same(twins):
    by_record, by_batch = twins
    records = _records(by_record)
    assert len(records) > 450
    one = import_records(by_record.store, (Record(_copy(r.paper), r.location) for r in records), batch_size=1)
    batch = import_records(by_batch.store, (Record(_copy(r.paper), r.location) for r in records), batch_size=10_000)
    assert (batch.added, batch.merged, batch.updated) == (one.added, one.merged, one.updated)
    assert one.merged > 20, "the input really repeats papers"
    assert _state(by_batch) == _state(by_record)
    found = [hit.paper.id for hit in by_batch.search("attention", mode="lexical").hits]
    assert found and found == [hit.paper.id for hit in by_record.search("attention", mode="lexical").hits]


def test_a_batch_that_repeats_itself_changes_nothing_the_second_time(twins):
    library, _ = twins
    records = _records(library)
    import_records(library.store, (Record(_copy(r.paper), r.location) for r in records), batch_size=10_000)
    before = _state(library)
    again = import_records(library.store, (Record(_copy(r.paper), r.location) for r in records), batch_size=10_000)
    assert again.added == 0 and again.updated == 0
    assert _state(library) == before


def test_unrelated_papers_wanting_one_id_in_one_batch_get_their_own(twins):
    library, _ = twins
    same_title = [Paper(title="A Survey", year=2020, abstract=f"survey {i}", doi=None) for i in range(3)]
    same_title[2].year = 2021  # the same title in another year is another paper
    summary = import_records(library.store, (Record(p, f"t:{i}") for i, p in enumerate(same_title)))
    assert summary.added == 2 and summary.merged == 1, "the two 2020 records are one paper"
    ids = sorted(p.id for p in library.store.iter_papers())
    assert len(set(ids)) == 2


def test_one_days_count_from_several_records_is_one_snapshot(twins):
    library, _ = twins
    count = CitationCount(10, "openalex", None)
    records = [Paper(title="Counted", arxiv_id="2101.00001", year=2021, citations=count) for _ in range(3)]
    summary = import_records(library.store, (Record(p, f"c:{i}") for i, p in enumerate(records)))
    assert (summary.added, summary.merged, summary.updated) == (1, 2, 0)
    assert [c.count for c in library.store.citation_history("2101.00001")] == [10]


def _copy(paper: Paper) -> Paper:
    return replace(paper, authors=list(paper.authors), categories=list(paper.categories))
