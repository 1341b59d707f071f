"""Importing files: merging, idempotence, --strict, and interruption."""

import json

import pytest

from paperradar.errors import InputError
from paperradar.ingest import import_records
from paperradar.sources.base import BadRecord, Record
from support import FIXTURES


def test_jsonl_then_csv_merge_into_one_record_per_paper(library):
    first = library.import_sources(library.sources([FIXTURES / "native.jsonl"]))
    assert (first.added, first.merged, first.skipped) == (4, 0, 0)
    second = library.import_sources(library.sources([FIXTURES / "native.csv"]))
    assert (second.added, second.merged, second.skipped) == (1, 1, 1)
    assert second.errors[0]["location"].endswith("native.csv:5")
    lora = library.paper("2106.09685")
    assert "spans two lines" in lora.abstract, "the longer abstract wins"
    assert len(lora.authors) == 4
    assert lora.categories == ["cs.CL", "cs.LG", "cs.AI"]
    assert lora.citations.count == 14774 and lora.citations.source == "openalex", "the dated count wins"
    history = library.store.citation_history("2106.09685")
    assert sorted(c.count for c in history) == [14774, 15000], "every count is kept as history"
    assert library.stats().papers == 5


def test_reimporting_the_same_file_adds_and_changes_nothing(library):
    library.import_sources(library.sources([FIXTURES / "native.jsonl", FIXTURES / "native.csv"]))
    before = {p.id: p for p in library.store.iter_papers()}
    again = library.import_sources(library.sources([FIXTURES / "native.jsonl", FIXTURES / "native.csv"]))
    assert again.added == 0 and again.updated == 0
    assert {p.id: p for p in library.store.iter_papers()} == before


def test_snapshot_record_merges_with_a_native_one_by_arxiv_id(library):
    library.import_sources(library.sources([FIXTURES / "native.jsonl"]))
    summary = library.import_sources(library.sources([FIXTURES / "arxiv-snapshot.jsonl"]))
    assert summary.merged == 1 and summary.added == 3
    paper = library.paper("hep-th/9608091v2")
    assert paper.title == "Excited State Destri - De Vega Equation", "the stored title stays"
    assert paper.doi == "10.1016/s0370-2693(96)01409-8", "the snapshot's DOI is added"
    assert len(paper.authors) == 4


def test_bad_lines_are_skipped_and_counted(library):
    summary = library.import_sources(library.sources([FIXTURES / "bad-line-2.jsonl"]))
    assert summary.to_dict()["added"] == 2 and summary.skipped == 1
    assert summary.errors == [
        {"location": str(FIXTURES / "bad-line-2.jsonl") + ":2", "reason": summary.errors[0]["reason"]}
    ]


def test_strict_aborts_at_the_first_bad_line_and_writes_nothing(library):
    library.import_sources(library.sources([FIXTURES / "native.jsonl"]))
    with pytest.raises(InputError, match=r"native.csv:5: year: expected a whole number"):
        library.import_sources(library.sources([FIXTURES / "native.csv", FIXTURES / "bad-line-2.jsonl"]), strict=True)
    assert library.stats().papers == 4, "none of the good records before the bad one were kept"
    with pytest.raises(InputError, match=r"bad-line-2.jsonl:2: not valid JSON"):
        library.import_sources(library.sources([FIXTURES / "native.jsonl", FIXTURES / "bad-line-2.jsonl"]), strict=True)
    assert library.stats().papers == 4, "the first file's merges and the second's good line were rolled back"
    assert library.paper("2106.09685").abstract.startswith("We propose"), "the CSV's merge was rolled back"


def test_an_interruption_keeps_committed_batches_and_no_half_paper(library):
    def records():
        for i in range(25):
            yield Record(_paper(i), f"gen:{i}")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_records(library.store, records(), batch_size=10)
    assert library.stats().papers == 20, "the two full batches are committed, the third is not"
    assert library.search("paper").hits, "committed papers are in the keyword index"
    summary = import_records(library.store, (Record(_paper(i), f"gen:{i}") for i in range(25)), batch_size=10)
    assert (summary.added, summary.merged) == (5, 20), "re-running finishes the job"


def test_a_failing_write_rolls_back_its_batch(library, monkeypatch):
    calls = {"n": 0}
    original = library.store.insert_papers

    def flaky(papers):
        calls["n"] += 1
        if calls["n"] == 2:
            original(papers[:5])  # the disk fills half way through the second batch
            raise OSError("disk full")
        return original(papers)

    monkeypatch.setattr(library.store, "insert_papers", flaky)
    with pytest.raises(OSError):
        import_records(library.store, (Record(_paper(i), f"gen:{i}") for i in range(30)), batch_size=10)
    assert library.stats().papers == 10, "the first batch stays, none of the second"
    found = library.search("generated", mode="lexical", limit=50).hits
    assert len(found) == 10, "the keyword index holds exactly the committed papers"


def test_summary_json_shape(library):
    summary = library.import_sources(library.sources([FIXTURES / "bad-line-2.jsonl"]))
    data = json.loads(json.dumps(summary.to_dict()))
    assert set(data) >= {"added", "merged", "skipped", "errors"}


def test_bad_records_from_any_source_are_listed_but_bounded(library):
    items = [BadRecord(f"x:{i}", "broken") for i in range(1500)]
    summary = import_records(library.store, items)
    assert summary.skipped == 1500 and len(summary.errors) == 1000


def _paper(i: int):
    from paperradar.models import Paper

    return Paper(title=f"Generated paper number {i}", abstract=f"abstract {i}", year=2020)
