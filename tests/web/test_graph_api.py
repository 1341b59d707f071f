"""The citation graph in the JSON API: references, citing papers, prior and derivative works."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from paperradar.ingest.importer import upsert
from paperradar.ingest.references import record_references
from paperradar.models import CitationCount, Paper, cited_work
from paperradar.settings import load_settings
from paperradar.web.app import create_app

DAY = date(2026, 3, 1)


def _app(tmp_path):
    app = create_app(load_settings(database_url=f"sqlite:///{tmp_path / 'graph.db'}"))
    return app, TestClient(app)


def _seed(store):
    def paper(n, year, cites):
        return Paper(title=f"Paper {n}", arxiv_id=f"2{year % 100:03d}.0000{n}", year=year,
                     citations=CitationCount(cites, "openalex", DAY))  # fmt: skip

    with store.transaction():
        ids = [upsert(store, paper(n, 2015 + n, 10 * (5 - n)))[0].id for n in range(5)]

        def cites(citing, *cited, stub=None):
            works = [cited_work(arxiv=c) for c in cited] + ([stub] if stub else [])
            record_references(store, citing, "openalex", DAY, works)

        p0, p1, p2, p3, p4 = ids
        cites(p2, p0, p1, stub=cited_work(openalex="W77", doi="10.1000/x", title="Outside", year=1999))
        cites(p0, p1)
        cites(p3, p2, p0)
        cites(p4, p0, p1)
    return ids


def test_references_citations_and_graph_answer_as_documented(tmp_path):
    app, client = _app(tmp_path)
    with client:
        p0, p1, p2, p3, p4 = _seed(app.state.library.store)
        refs = client.get(f"/api/papers/{p2}/references").json()
        assert [p["id"] for p in refs["papers"]] == [p0, p1]  # 50 citations before 40
        assert (refs["in_corpus"], refs["outside_corpus"]) == (2, 1)
        assert refs["outside"] == [{"paper_id": None, "title": "Outside", "year": 1999,
                                    "ids": {"doi": "10.1000/x", "openalex": "W77"}}]  # fmt: skip
        by_date = client.get(f"/api/papers/{p2}/references", params={"order": "date"}).json()
        assert [p["id"] for p in by_date["papers"]] == [p1, p0]
        cited_by = client.get(f"/api/papers/{p0}/citations").json()
        assert [p["id"] for p in cited_by["papers"]] == [p2, p3, p4]  # 30, 20, 10 citations
        assert cited_by["outside_corpus"] == 50 - 3
        graph = client.get(f"/api/papers/{p2}/graph").json()
        assert [(p["id"], p["shared_neighbours"]) for p in graph["prior"]] == [(p0, 1), (p1, 1)]
        assert [(p["id"], p["shared_neighbours"]) for p in graph["derivative"]] == [(p4, 2), (p0, 1), (p3, 1)]


def test_an_unknown_paper_is_404_and_a_bad_order_names_the_parameter(tmp_path):
    _, client = _app(tmp_path)
    with client:
        missing = client.get("/api/papers/2101.99999/references")
        assert missing.status_code == 404 and "2101.99999" in missing.text
        bad = client.get("/api/papers/2101.99999/citations", params={"order": "stars"})
        assert bad.status_code == 422 and "order" in bad.text
