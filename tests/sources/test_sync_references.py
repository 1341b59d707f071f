"""`sync references` against the replay server: OpenAlex reference lists become edges, once."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from paperradar.ingest.importer import upsert
from paperradar.models import Paper
from paperradar.sync import references
from paperradar.sync.references import sync_references
from sources.conftest import TODAY
from sources.recorded import fixture, sample
from sources.replay import Reply

PNAS = "10.1073/pnas.1414271111"
# The real work for that DOI (recorded 2025-08-11), as an answer to `filter=doi:...` lists it.
RECORDED = "openalex/openalex_work_doi_10.1073_pnas.1414271111_2025-08-11.json"


def _listed(*works):
    return Reply.json({"meta": {"count": len(works), "page": 1, "per_page": 100}, "results": list(works)})


def _pnas_work():
    return json.loads(sample(RECORDED))


# Written by us in the shape OpenAlex answers `filter=openalex:...&select=id,doi,ids,display_name,...`:
# the first work the recorded paper cites, described as a paper our corpus holds.
FIRST_CITED = {"id": "https://openalex.org/W1490897467", "doi": "https://doi.org/10.5555/Cited.One",
               "ids": {"openalex": "https://openalex.org/W1490897467"}, "display_name": "A cited paper",
               "publication_year": 2010}  # fmt: skip


def _corpus(store):
    with store.transaction():
        citing = upsert(store, Paper(title="Developing functional musculoskeletal tissues", doi=PNAS, year=2014))[0]
        cited = upsert(store, Paper(title="A cited paper", doi="10.5555/cited.one", year=2010))[0]
    return citing.id, cited.id


def test_a_reference_list_becomes_edges_and_a_second_run_adds_none(replay, config, store):
    citing, cited = _corpus(store)
    work = _pnas_work()
    replay.script("/works", _listed(work), _listed(FIRST_CITED))
    summary = sync_references(store, config)
    assert (summary.fetched, summary.signals, summary.complete) == (1, 73, True)
    first, second = replay.requests
    assert first.query["filter"] == f"doi:{PNAS}|10.5555/cited.one" and first.query["api_key"] == "oa-secret"
    cited_ids = [w.rsplit("/", 1)[1] for w in work["referenced_works"]]
    assert second.query["filter"] == "openalex:" + "|".join(cited_ids)
    refs = store.references(citing)
    assert len(refs) == 73 and {e.sources for e in refs} == {("openalex",)} and {e.as_of for e in refs} == {TODAY}
    assert (refs[0].work.paper_id, refs[0].work.title) == (cited, "A cited paper")
    assert refs[1].work.paper_id is None and refs[1].work.keys == (f"openalex:{cited_ids[1]}",)
    assert [e.citing for e in store.citing(cited)] == [citing]

    replay.script("/works", _listed())
    again = sync_references(store, config)  # the read paper is not asked again; the one OpenAlex lacked is
    assert (again.fetched, again.signals, len(replay.requests)) == (0, 0, 3)
    assert replay.requests[2].query["filter"] == "doi:10.5555/cited.one"
    replay.script("/works", _listed(work), _listed(FIRST_CITED))
    tomorrow = TODAY + timedelta(days=1)
    reread = sync_references(store, replace(config, today=lambda: tomorrow), stale_after=0)
    assert (reread.fetched, reread.signals) == (1, 0)
    assert len(store.references(citing)) == 73 and {e.as_of for e in store.references(citing)} == {tomorrow}


def test_a_run_cut_short_keeps_what_it_committed_and_the_next_resumes(replay, config, store, monkeypatch):
    citing, cited = _corpus(store)
    monkeypatch.setattr(references, "BATCH", 1)  # one paper a transaction, as 50 are in a real run
    whole = json.dumps({"meta": {"count": 1}, "results": [_pnas_work()]}).encode()
    replay.script("/works", _listed(_pnas_work()), _listed(FIRST_CITED), Reply(body=whole[:2000]))
    summary = sync_references(store, config)
    assert not summary.complete and "not valid JSON" in summary.errors[0]["reason"]
    assert "/works" in summary.errors[0]["reason"] and len(store.references(citing)) == 73
    assert store.reference_targets("openalex", TODAY, 10) == [cited]

    replay.script("/works", _listed())  # OpenAlex knows nothing of the cited paper's DOI
    resumed = sync_references(store, config)
    assert replay.requests[-1].query["filter"] == "doi:10.5555/cited.one"
    assert (resumed.fetched, resumed.signals, resumed.complete) == (0, 0, True)
    assert len(store.references(citing)) == 73


def test_a_rate_limit_stops_the_sync_with_nothing_written(replay, config, store):
    citing, _ = _corpus(store)
    replay.script("/works", Reply(429, b'{"error": "rate limited"}', {"Retry-After": "2"}), repeat=True)
    limited = sync_references(store, config)
    assert not limited.complete and "HTTP 429" in limited.errors[0]["reason"]
    assert "oa-secret" not in limited.errors[0]["reason"]
    assert store.references(citing) == [] and len(store.reference_targets("openalex", TODAY, 10)) == 2


def test_an_html_404_page_stops_the_sync_naming_the_status(replay, config, store):
    citing, _ = _corpus(store)
    missing = sample("openalex/openalex_error_404_work_not_found_2025-11-04.html")
    replay.script("/works", Reply(404, missing, {"Content-Type": "text/html"}), repeat=True)
    gone = sync_references(store, config)
    assert not gone.complete and "HTTP 404" in gone.errors[0]["reason"] and store.references(citing) == []


# -- Semantic Scholar --------------------------------------------------------------------------------
SSRN = "10.2139/ssrn.2250500"
S2_PATH = f"/graph/v1/paper/DOI:{SSRN}/references"


def _s2_corpus(store):
    with store.transaction():
        citing = upsert(store, Paper(title="Microcredit and women entrepreneurs", doi=SSRN, year=2013))[0]
        known = upsert(store, Paper(title="The Economics of Microfinance", year=2005))[0]
    return citing.id, known.id


def test_semantic_scholar_pages_become_edges_beside_openalex_and_a_rerun_adds_none(replay, config, store):
    citing, known = _s2_corpus(store)
    pages = [fixture("s2_references_ssrn.2250500_offset0.json"), fixture("s2_references_ssrn.2250500_offset50.json")]
    replay.script(S2_PATH, Reply(body=pages[0]), match={"offset": "0"}, repeat=True)
    replay.script(S2_PATH, Reply(body=pages[1]), match={"offset": "50"}, repeat=True)
    summary = sync_references(store, config, "s2")
    assert (summary.source, summary.fetched, summary.signals, summary.complete) == (
        "references:semantic_scholar",
        1,
        12,
        True,
    )
    first = replay.seen(S2_PATH)[0]
    assert first.query["fields"] == "externalIds,title,year" and first.headers["x-api-key"] == "s2-secret"
    refs = store.references(citing)
    assert len(refs) == 12 and {e.sources for e in refs} == {("semantic_scholar",)}
    by_title = {e.work.title: e.work for e in refs}
    assert by_title["The Economics of Microfinance"].paper_id == known, "a title the corpus holds links up"
    assert by_title["J-PAL working paper"].keys == () and by_title["On the Macroeconomics of Microfinance"].keys == (
        "s2:dba9e61c454d9285dab4ce94def0be97bead4455",
    )
    assert store.reference_targets("openalex", TODAY, 10) == [citing], "each source's list is read on its own"

    again = sync_references(store, config, "s2")
    assert (again.fetched, again.signals) == (0, 0) and len(store.references(citing)) == 12


def test_semantic_scholar_404_is_asked_again_and_a_bad_source_names_the_option(replay, config, store):
    import pytest

    from paperradar.errors import InputError

    citing, _ = _s2_corpus(store)
    replay.script(S2_PATH, Reply.json({"error": f"Paper with id DOI:{SSRN} not found"}, 404), repeat=True)
    missing = sync_references(store, config, "s2")
    assert (missing.fetched, missing.complete) == (0, True) and store.references(citing) == []
    assert citing in store.reference_targets("semantic_scholar", TODAY, 10)
    with pytest.raises(InputError, match="--source"):
        sync_references(store, config, "crossref")
