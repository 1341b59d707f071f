"""arXiv syncs against the replay server: paging, resuming, expired tokens, merging, re-runs that add nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Paper
from paperradar.sync.arxiv import state_name, sync_oai, sync_query
from sources.recorded import fixture
from sources.replay import Reply

PAGE1 = Reply(body=fixture("oai_listrecords_arXiv_page1.xml"))
PAGE2 = Reply(body=fixture("oai_listrecords_arXiv_last_page_with_deleted.xml"))
NOTHING = Reply(body=fixture("oai_error_noRecordsMatch.xml"))
TOKEN = "6960524|1001"


def script_harvest(replay, second=PAGE2):
    replay.script("/oai", PAGE1, match={"verb": "ListRecords", "from": "2026-03-01"})
    replay.script("/oai", second, match={"resumptionToken": TOKEN}, repeat=True)


def test_a_two_page_harvest_stores_every_paper_and_where_to_start_next(replay, config, store):
    script_harvest(replay)
    summary = sync_oai(store, config, from_=date(2026, 3, 1))
    assert summary.to_dict() == {"source": "arxiv", "fetched": 3, "added": 3, "updated": 0, "signals": 0,
                                 "errors": [], "complete": True}  # fmt: skip
    first = replay.requests[0].query
    assert first == {"verb": "ListRecords", "metadataPrefix": "arXiv", "set": "cs", "from": "2026-03-01"}
    assert replay.requests[1].query == {"verb": "ListRecords", "resumptionToken": TOKEN}
    lora, old = store.papers(["2106.09685", "cs/0112017"])
    assert lora.title == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert lora.authors[0] == "Edward J. Hu" and lora.categories == ["cs.CL", "cs.AI", "cs.LG"]
    assert lora.published == date(2021, 6, 17) and lora.listing_date is None  # a v2 update is not a listing
    assert old.doi == "10.1000/fixture.1" and old.venue == "J. Fixtures 1 (2002) 1-10"
    assert store.resolve("2101.00001") is None  # deleted records never become papers
    state = store.sync_state(state_name("cs", "arXiv"))
    assert state.resumption_token is None and state.last_datestamp == date(2026, 3, 6)


def test_a_second_run_starts_where_the_first_began_and_adds_nothing(replay, config, store):
    script_harvest(replay)
    sync_oai(store, config, from_=date(2026, 3, 1))
    replay.script("/oai", NOTHING, match={"from": "2026-03-06"})
    again = sync_oai(store, config)
    assert (again.fetched, again.added, again.updated, again.complete) == (0, 0, 0, True)
    assert replay.requests[-1].query["from"] == "2026-03-06"
    assert store.count() == 3


def test_an_interrupted_harvest_resumes_from_its_resumption_token(replay, config, store):
    script_harvest(replay, second=Reply(500, b"Internal Server Error"))
    first = sync_oai(store, config, from_=date(2026, 3, 1))
    assert not first.complete and first.added == 2
    assert "HTTP 500" in first.errors[0]["reason"] and "/oai" in first.errors[0]["reason"]
    assert store.sync_state(state_name("cs", "arXiv")).resumption_token == TOKEN
    replay.script("/oai", PAGE2, match={"resumptionToken": TOKEN})
    replay._routes = [r for r in replay._routes if r.replies[0].status != 500]
    second = sync_oai(store, config)
    assert second.complete and second.added == 1 and second.fetched == 1
    assert replay.requests[-1].query == {"verb": "ListRecords", "resumptionToken": TOKEN}
    assert store.count() == 3
    assert store.sync_state(state_name("cs", "arXiv")).last_datestamp == date(2026, 3, 6)


def test_503_with_retry_after_is_waited_out(replay, config, store, fake_time):
    replay.script("/oai", Reply(503, b"busy", {"Retry-After": "5"}), PAGE1, match={"from": "2026-03-01"})
    replay.script("/oai", PAGE2, match={"resumptionToken": TOKEN})
    assert sync_oai(store, config, from_=date(2026, 3, 1)).complete
    assert fake_time.sleeps == [5.0]


def test_an_expired_token_restarts_the_harvest_from_its_first_day(replay, config, store):
    script_harvest(replay, second=Reply(500))
    sync_oai(store, config, from_=date(2026, 3, 1))
    replay._routes.clear()
    replay.script("/oai", Reply(body=fixture("oai_error_badResumptionToken.xml")), match={"resumptionToken": TOKEN})
    replay.script("/oai", PAGE1, match={"from": "2026-03-01"})
    replay.script("/oai", PAGE2, match={"resumptionToken": TOKEN})
    summary = sync_oai(store, config)
    assert summary.complete
    assert "refused resumption token" in summary.errors[0]["reason"]
    assert store.count() == 3


def test_malformed_xml_stops_with_the_url_and_writes_nothing_of_that_page(replay, config, store):
    replay.script("/oai", Reply(body=fixture("oai_listrecords_arXiv_page1.xml")[:900]), match={"from": "2026-03-01"})
    summary = sync_oai(store, config, from_=date(2026, 3, 1))
    assert not summary.complete and "not well-formed XML" in summary.errors[0]["reason"]
    assert store.count() == 0


def test_a_harvest_merges_with_an_imported_paper_and_takes_arxivs_newer_text(replay, config, store):
    imported = Paper(title="LoRA: Low-Rank Adaptation of Large Language Models (v1 title)", arxiv_id="2106.09685",
                     doi="10.48550/arxiv.2106.09685", abstract="An old, much longer abstract " * 5,
                     citations=CitationCount(100, "openalex", date(2026, 1, 1)))  # fmt: skip
    with store.transaction():
        upsert(store, imported)
    script_harvest(replay)
    summary = sync_oai(store, config, from_=date(2026, 3, 1))
    assert (summary.added, summary.updated) == (2, 1)
    (paper,) = store.papers(["2106.09685"])
    assert paper.title == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert paper.abstract.startswith("Low-rank update matrices")
    assert paper.doi == "10.48550/arxiv.2106.09685" and paper.citations.count == 100
    assert store.count() == 3


def test_the_real_arxivraw_page_parses_with_versions_and_affiliations_dropped(replay, config, store):
    replay.script("/oai", Reply(body=fixture("oai_listrecords_arXivRaw_page1_2015-01-06.xml")))
    replay.script("/oai", NOTHING, match={"resumptionToken": "726959|1001"})
    summary = sync_oai(store, config, from_=date(2014, 10, 1), prefix="arXivRaw")
    assert summary.complete and summary.fetched == 6 and summary.errors == []
    (paper,) = store.papers(["0704.0471"])
    assert paper.authors == ["D.V. Shetty", "S.J. Yennello", "G.A. Souliotis"]
    assert paper.doi == "10.1103/physrevc.76.024606" and paper.published == date(2007, 4, 3)
    assert paper.listing_date is None  # stamped in 2014 for a 2007 paper: an edit, not an announcement


def test_a_new_paper_gets_its_datestamp_as_listing_date(replay, config, store):
    body = fixture("oai_listrecords_arXiv_last_page_with_deleted.xml").replace(
        b"<created>2017-06-12</created><updated>2023-08-02</updated>", b"<created>2026-03-02</created>"
    )
    replay.script("/oai", Reply(body=body))
    sync_oai(store, config, from_=date(2026, 3, 1))
    assert store.papers(["1706.03762"])[0].listing_date == date(2026, 3, 3)


def test_a_query_imports_the_search_results(replay, config, store):
    replay.script("/api/query", Reply(body=fixture("atom2026_id_1707.08567.xml")))
    summary = sync_query(store, config, "ti:dummy", max_results=10)
    assert summary.complete and summary.added == 1
    assert replay.requests[0].query["search_query"] == "ti:dummy"
    assert store.papers(["1707.08567"])[0].title
    assert sync_query(store, config, "ti:dummy", max_results=10).added == 0


def test_a_refused_query_says_why(replay, config, store):
    replay.script("/api/query", Reply(400, fixture("atom2026_error_abc.xml")))
    summary = sync_query(store, replace(config), "id:abc")
    assert not summary.complete and "incorrect id format" in summary.errors[0]["reason"].lower()
