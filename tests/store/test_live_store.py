"""The store's live-source tables: signals, citation snapshots with details, sync state (both backends)."""

from __future__ import annotations

from datetime import date

from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Paper
from paperradar.models.signal import Signal
from paperradar.store import Store
from paperradar.store.base import SyncState

DAY = date(2026, 3, 6)


def _store(store: Store) -> Store:
    with store.transaction():
        upsert(store, Paper(title="LoRA", arxiv_id="2106.09685", year=2021))
    return store


def test_a_signal_is_one_row_per_source_kind_and_day(empty_store):
    store = _store(empty_store)
    with store.transaction():
        assert store.add_signal("2106.09685", Signal("huggingface", "hf_upvotes", 10, DAY))
        assert not store.add_signal("2106.09685", Signal("huggingface", "hf_upvotes", 10, DAY))
        assert store.add_signal("2106.09685", Signal("huggingface", "hf_upvotes", 12, DAY))  # re-read that day
        assert store.add_signal("2106.09685", Signal("huggingface", "hf_upvotes", 20, date(2026, 3, 7)))
        assert not store.add_signal("nope", Signal("huggingface", "hf_upvotes", 1, DAY))
    assert [(s.value, s.as_of) for s in store.signals("2106.09685")] == [(12, DAY), (20, date(2026, 3, 7))]


def test_snapshots_are_never_overwritten_and_the_shown_count_is_set_apart(empty_store):
    store = _store(empty_store)
    with store.transaction():
        assert store.add_citation_snapshot("2106.09685", CitationCount(5, "openalex", DAY), {"by_year": {"2026": 5}})
        assert not store.add_citation_snapshot("2106.09685", CitationCount(9, "openalex", DAY))
        assert store.set_citations("2106.09685", CitationCount(5, "openalex", DAY))
        assert not store.set_citations("2106.09685", CitationCount(5, "openalex", DAY))
    (snap,) = store.citation_snapshots("2106.09685")
    assert snap.count.count == 5 and snap.extra == {"by_year": {"2026": 5}}
    assert store.papers(["2106.09685"])[0].citations == CitationCount(5, "openalex", DAY)
    assert store.citation_targets("openalex", DAY, 10) == []
    assert [p.id for p in store.citation_targets("semantic_scholar", DAY, 10)] == ["2106.09685"]


def test_sync_state_round_trips(empty_store):
    store = _store(empty_store)
    assert store.sync_state("arxiv-oai:cs:arXiv") is None
    with store.transaction():
        store.save_sync_state(SyncState("arxiv-oai:cs:arXiv", DAY, "tok|1", {"from": "2026-03-01"}))
    assert store.sync_state("arxiv-oai:cs:arXiv") == SyncState(
        "arxiv-oai:cs:arXiv", DAY, "tok|1", {"from": "2026-03-01"}
    )
