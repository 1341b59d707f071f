"""`paperradar sync references` and `paperradar import` of an edge file, through the real CLI."""

from __future__ import annotations

import json
from dataclasses import replace

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


def _work(n: int) -> dict:
    """An OpenAlex work in the shape the reference sync selects (id, doi, cited_by_count, referenced_works)."""
    return {"id": f"https://openalex.org/W{900 + n}", "doi": f"https://doi.org/10.5555/kill.{n}", "cited_by_count": n,
            "referenced_works": [f"https://openalex.org/W{n}1", f"https://openalex.org/W{n}2"]}  # fmt: skip


def _listed(works) -> Reply:
    return Reply.json({"meta": {"count": len(works), "page": 1, "per_page": 100}, "results": works})


def test_a_sync_killed_mid_run_resumes_where_it_stopped_and_adds_nothing_twice(tmp_path, replay):
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from sources.test_cli_sync import env_for

    papers = _write(
        tmp_path / "papers.jsonl",
        *({"title": f"Kill test paper {n}", "doi": f"10.5555/kill.{n}", "year": 2020} for n in range(150)),
    )
    run(tmp_path, replay, "import", "--no-embed", papers, "--json")
    works = [_work(n) for n in range(150)]
    # Three batches of 50 papers: each is one list call for the papers, one for what they cite (none
    # described: stubs). The second batch's first call never answers in time: the process is killed there.
    replay.script("/works", _listed(works[:50]), _listed([]), replace(_listed(works[50:100]), delay=120))
    log = tmp_path / "sync.log"
    with log.open("wb") as errors:
        sync = subprocess.Popen([sys.executable, "-m", "paperradar", "sync", "references", "--json"],
                                env=env_for(tmp_path, replay), stdout=subprocess.DEVNULL, stderr=errors)  # fmt: skip
        deadline = time.monotonic() + 60
        while len(replay.seen("/works")) < 3 and time.monotonic() < deadline and sync.poll() is None:
            time.sleep(0.05)
        os.kill(sync.pid, signal.SIGKILL)
        sync.wait(timeout=10)
    assert len(replay.seen("/works")) == 3, log.read_text()

    database = tmp_path / "home" / "paperradar.db"

    def counts() -> tuple[int, int, int]:
        with sqlite3.connect(database) as db:
            return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                         for t in ("citation_edges", "works", "reference_reads"))  # fmt: skip

    assert counts() == (100, 100, 50), "the first batch was committed before the kill, the second not begun"

    replay.script("/works", _listed(works[50:100]), _listed([]), _listed(works[100:]), _listed([]))
    resumed = run(tmp_path, replay, "sync", "references", "--json")
    assert (resumed["fetched"], resumed["signals"], resumed["complete"]) == (100, 200, True)
    asked = [r.query["filter"] for r in replay.seen("/works")[3:] if r.query["filter"].startswith("doi:")]
    assert [f.count("|") + 1 for f in asked] == [50, 50] and "10.5555/kill.0|" not in asked[0]
    assert counts() == (300, 300, 150)

    calls = len(replay.seen("/works"))
    again = run(tmp_path, replay, "sync", "references", "--json")  # all read today: nothing to ask
    assert (again["fetched"], again["signals"], len(replay.seen("/works"))) == (0, 0, calls)
    assert counts() == (300, 300, 150)
