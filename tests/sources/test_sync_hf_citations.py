"""Hugging Face daily papers and citation refreshes against the replay server."""

from __future__ import annotations

from datetime import date

import pytest

from paperradar.errors import InputError
from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Paper
from paperradar.sync.citations import shown, sync_citations
from paperradar.sync.hf_daily import sync_hf_daily
from sources.conftest import TODAY
from sources.recorded import fixture
from sources.replay import Reply

DAY = "2026-03-06"
HF = "/api/daily_papers"


def test_a_day_of_picks_becomes_papers_and_dated_signals(replay, config, store):
    with store.transaction():  # already known from arXiv: the pick must land on this record
        upsert(store, Paper(title="Attention Is All You Need", arxiv_id="1706.03762", year=2017))
    replay.script(HF, Reply(body=fixture("hf_daily_2026-03-06.json")), match={"date": DAY}, repeat=True)
    summary = sync_hf_daily(store, config, day=date(2026, 3, 6))
    assert (summary.fetched, summary.added, summary.updated, summary.complete) == (2, 1, 1, True)
    assert replay.requests[0].query == {"date": DAY, "limit": "100", "p": "0"}
    assert store.count() == 2
    real = {s.kind: s for s in store.signals("2602.23229")}
    assert real["hf_upvotes"].value == 10 and real["hf_upvotes"].source == "huggingface"
    assert real["github_stars"].value == 9 and real["github_repo"].url == "https://github.com/marco-garosi/CIRCLE"
    assert real["project_page"].url == "https://circle-lmm.github.io/"
    assert real["hf_daily_pick"].as_of == date(2026, 3, 6)
    assert store.papers(["2602.23229"])[0].code_url == "https://github.com/marco-garosi/CIRCLE"
    assert {s.kind for s in store.signals("1706.03762")} >= {"hf_upvotes", "github_stars", "hf_daily_pick"}
    assert summary.signals == len(store.signals("2602.23229")) + len(store.signals("1706.03762"))
    again = sync_hf_daily(store, config, day=date(2026, 3, 6))
    assert (again.added, again.updated, again.signals) == (0, 0, 0)


def test_by_default_the_last_synced_day_is_read_again_through_today(replay, config, store):
    replay.script(HF, Reply.json([]), repeat=True)
    sync_hf_daily(store, config, since=date(2026, 3, 4))
    assert [r.query["date"] for r in replay.requests] == ["2026-03-04", "2026-03-05", "2026-03-06"]
    sync_hf_daily(store, config)
    assert replay.requests[-1].query["date"] == "2026-03-06" and len(replay.requests) == 4


def test_an_empty_day_adds_nothing(replay, config, store):
    replay.script(HF, Reply.json([]))
    summary = sync_hf_daily(store, config, day=date(2026, 3, 7 - 1))
    assert summary.to_dict()["fetched"] == 0 and summary.complete


def test_truncated_json_stops_with_the_url_and_keeps_earlier_days(replay, config, store):
    good = fixture("hf_daily_2026-03-06.json")
    replay.script(HF, Reply(body=good), match={"date": "2026-03-05"})
    replay.script(HF, Reply(body=good[:300]), match={"date": DAY})
    summary = sync_hf_daily(store, config, since=date(2026, 3, 5))
    assert not summary.complete and "not valid JSON" in summary.errors[0]["reason"]
    assert HF in summary.errors[0]["reason"]
    assert store.count() == 2
    assert store.sync_state("hf-daily").last_datestamp == date(2026, 3, 5)


def test_both_a_day_and_a_first_day_is_refused(config, store):
    with pytest.raises(InputError, match="not both"):
        sync_hf_daily(store, config, day=TODAY, since=TODAY)


def _paperqa(store):
    with store.transaction():
        upsert(store, Paper(title="PaperQA: Retrieval-Augmented Generative Agent for Scientific Research",
                            arxiv_id="2312.07559", year=2023))  # fmt: skip
        upsert(store, Paper(title="A paper no provider knows", doi="10.1000/unknown.1", year=2020))


def test_openalex_counts_become_snapshots_and_the_shown_count(replay, config, store):
    _paperqa(store)
    replay.script("/works", Reply(body=fixture("openalex_works_doi_2312.07559.json")), repeat=True)
    summary = sync_citations(store, config, source="openalex")
    assert (summary.fetched, summary.updated, summary.signals, summary.complete) == (1, 1, 1, True)
    query = replay.requests[0].query
    assert query["filter"] == "doi:10.48550/arxiv.2312.07559|10.1000/unknown.1"
    assert query["api_key"] == "oa-secret"
    (paper,) = store.papers(["2312.07559"])
    assert paper.citations == CitationCount(27, "openalex", TODAY)
    (snap,) = store.citation_snapshots("2312.07559")
    assert snap.extra == {"by_year": {"2023": 1, "2024": 14, "2025": 12}}
    again = sync_citations(store, config, source="openalex")  # fresh today: only the unknown one is asked
    assert (again.fetched, again.updated, again.signals) == (0, 0, 0)


def test_s2_counts_are_kept_beside_the_preferred_sources(replay, config, store):
    _paperqa(store)
    replay.script("/works", Reply(body=fixture("openalex_works_doi_2312.07559.json")))
    replay.script("/graph/v1/paper/batch", Reply(body=fixture("s2_batch_2312.07559_and_unknown.json")))
    sync_citations(store, config, source="openalex")
    summary = sync_citations(store, config, source="s2")
    assert (summary.fetched, summary.signals, summary.updated) == (1, 1, 0)
    sent = replay.seen("/graph/v1/paper/batch")[0]
    assert sent.json() == {"ids": ["ARXIV:2312.07559", "DOI:10.1000/unknown.1"]}
    assert sent.headers["x-api-key"] == "s2-secret"
    history = store.citation_snapshots("2312.07559")
    assert [(s.count.source, s.count.count) for s in history] == [("openalex", 27), ("semantic_scholar", 111)]
    assert history[1].extra == {"influential": 2}
    assert store.papers(["2312.07559"])[0].citations.source == "openalex"  # the preferred source stays shown


def test_a_failing_provider_stops_the_refresh_with_a_clear_error(replay, config, store):
    _paperqa(store)
    replay.script("/works", Reply(429, b'{"error": "rate limited"}', {"Retry-After": "2"}), repeat=True)
    summary = sync_citations(store, config, source="openalex")
    assert not summary.complete and "HTTP 429" in summary.errors[0]["reason"]
    assert "oa-secret" not in summary.errors[0]["reason"]
    assert store.citation_snapshots("2312.07559") == []


def test_the_preferred_source_wins_over_a_newer_count_from_another():
    preferred = CitationCount(10, "openalex", date(2026, 1, 1))
    other = CitationCount(30, "semantic_scholar", date(2026, 3, 1))
    assert not shown(preferred, other, "openalex")
    assert shown(other, preferred, "openalex")
    assert shown(None, other, "openalex")
    assert shown(preferred, CitationCount(11, "openalex", date(2026, 2, 1)), "openalex")
