"""`paperradar sync references` and `paperradar import` of an edge file, through the real CLI."""

from __future__ import annotations

import json

from paperradar.service import Library
from paperradar.settings import load_settings
from sources.recorded import sample
from sources.replay import Reply
from sources.test_cli_sync import run

RECORDED = "openalex/openalex_work_doi_10.1073_pnas.1414271111_2025-08-11.json"


def _write(path, *rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def test_synced_and_imported_edges_show_as_the_papers_references(tmp_path, replay):
    papers = _write(tmp_path / "papers.jsonl",
                    {"title": "Developing functional musculoskeletal tissues", "doi": "10.1073/pnas.1414271111",
                     "year": 2014}, {"title": "LoRA", "arxiv_id": "2106.09685", "year": 2021})  # fmt: skip
    run(tmp_path, replay, "import", "--no-embed", papers, "--json")
    work = json.loads(sample(RECORDED))
    replay.script(
        "/works",
        Reply.json({"meta": {"count": 1}, "results": [work]}),
        Reply.json({"meta": {"count": 0}, "results": []}),  # none of the cited ids described: 73 stubs
    )
    synced = run(tmp_path, replay, "sync", "references", "--json")
    assert (synced["fetched"], synced["signals"], synced["complete"]) == (1, 73, True)
    assert "oa-secret" not in json.dumps(synced)

    edges = _write(
        tmp_path / "edges.jsonl",
        {"citing": "10.1073/PNAS.1414271111", "cited": {"arxiv": "arXiv:2106.09685v2"}, "date": "2026-02-01"},
        {"citing": "2106.09685", "cited": {"doi": "10.5555/x", "title": "Not in the corpus", "year": 2019}},
        {"citing": "2106.09685", "cited": {"title": "No date"}, "date": "2026-13-01"},
        {"citing": "9999.99999", "cited": "W1"},
    )
    imported = run(tmp_path, replay, "import", edges, "--json", code=1)
    assert imported["edges"]["added"] == 2 and imported["edges"]["read"] == 4
    assert [e["reason"] for e in imported["edges"]["errors"]] == [
        "`date`: expected YYYY-MM-DD, got '2026-13-01'",
        "`citing`: no paper '9999.99999' in the corpus (import it first)",
    ]
    again = run(tmp_path, replay, "import", edges, "--json", code=1)
    assert again["edges"]["added"] == 0  # re-importing adds no duplicate edge

    library = Library.open(load_settings(home=str(tmp_path / "home")))
    try:
        refs = library.graph.references("10.1073/pnas.1414271111")
        assert [p.id for p in refs.papers] == ["2106.09685"] and refs.outside == 73
        assert [p.id for p in library.graph.citations("2106.09685").papers] == [refs.paper.id]
        lora = library.graph.references("2106.09685")
        assert lora.papers == [] and [w.title for w in lora.stubs] == ["Not in the corpus"]
    finally:
        library.close()
