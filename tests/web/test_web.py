"""The real server over HTTP: pages, the JSON API, errors and escaping."""

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Paper
from servers import running_server

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def server(seeded_db: Path, tmp_path_factory) -> Iterator[httpx.Client]:
    """`paperradar serve` on a copy of the seed database with one hostile paper added."""
    import shutil

    from paperradar.store import open_store

    path = tmp_path_factory.mktemp("web") / "web.db"
    shutil.copy(seeded_db, path)
    store = open_store(f"sqlite:///{path}")
    with store.transaction():
        upsert(store, Paper(title=HOSTILE + " hostile", abstract=HOSTILE, authors=[HOSTILE], year=2021,
                            citations=CitationCount(1), url="javascript:alert(1)", venue=HOSTILE))  # fmt: skip
    store.close()
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": f"sqlite:///{path}"}
    with running_server(env, path.parent / "server.log") as url, httpx.Client(base_url=url, timeout=10) as client:
        yield client


def test_home_lists_papers(server):
    page = server.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count('class="paper"') == 10  # the seed has no listing dates: a welcome, the most cited
    assert server.get("/latest").text.count('class="paper"') == 25


def test_search_page_and_api_agree(server):
    html = server.get("/search", params={"q": "lottery ticket"}).text
    api = server.get("/api/search", params={"q": "lottery ticket", "limit": 5}).json()
    first = api["results"][0]
    assert first["title"].startswith("The Lottery Ticket Hypothesis")
    assert {"id", "title", "authors", "year", "citations", "score"} <= set(first)
    assert first["title"] in html


def test_paper_page_and_api(server):
    found = server.get("/api/search", params={"q": "LoRA low rank adaptation", "limit": 1}).json()["results"][0]
    assert server.get(f"/api/papers/{found['id']}").json()["citations"] == 14774
    page = server.get(f"/papers/{found['id']}")
    assert page.status_code == 200 and "14 774 citations" in page.text


def test_best_pages_and_api(server):
    api = server.get("/api/best", params={"year": 2021, "limit": 3}).json()
    assert [r["rank"] for r in api["results"]] == [1, 2, 3] and api["title"] == "The best AI papers of 2021"
    assert api["results"][0]["title"].startswith("LoRA")
    assert "LoRA: Low-Rank Adaptation" in server.get("/best/2021").text
    since = server.get("/best", params={"since": 2015}).text
    assert "The best AI papers from 2015 to now" in since


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/papers/does-not-exist", 404),
        ("/api/papers/does-not-exist", 404),
        ("/api/search?q=x&limit=0", 422),
        ("/api/search?q=x&limit=abc", 422),
        ("/api/best?year=notayear", 422),
        ("/api/best?since=2022&until=2020", 422),
        ("/best/12", 422),
        ("/best/abc", 422),
        ("/search?page=0", 422),
        ("/no/such/page", 404),
    ],
)
def test_bad_requests_get_4xx_never_500(server, path, status):
    response = server.get(path)
    assert response.status_code == status, response.text[:300]


@pytest.mark.parametrize("mode", ["hybrid", "lexical", "semantic"])
@pytest.mark.parametrize("query", ['"', "AND (", "*", "a" * 10_000, "\x01\x02", "😀", "NEAR(", "title:", '-"x', "\x00"])
def test_hostile_queries_never_fail(server, query, mode):
    assert server.get("/api/search", params={"q": query, "mode": mode}).status_code == 200
    assert server.get("/search", params={"q": query, "mode": mode}).status_code == 200


def test_hostile_titles_are_escaped_on_every_page(server):
    hit = server.get("/api/search", params={"q": "hostile", "limit": 1}).json()["results"][0]
    for path in ["/latest", f"/papers/{hit['id']}", "/search?q=hostile", "/best/2021?limit=1000", "/best?limit=1000"]:
        text = server.get(path).text
        assert "hostile" in text, path
        assert "<script>alert" not in text and "<img src=x" not in text, path
        assert "&lt;script&gt;" in text, path
        assert 'href="javascript:' not in text, path


def test_openapi_lists_the_api(server):
    spec = server.get("/openapi.json").json()
    assert {"/api/search", "/api/papers/{paper_id}", "/api/best"} <= set(spec["paths"])


def test_static_assets_are_cacheable(server):
    css = server.get("/static/style.css")
    assert css.status_code == 200 and "max-age" in css.headers["cache-control"]


def test_search_api_modes_filters_and_retrievers(server):
    for mode in ("lexical", "semantic", "hybrid"):
        body = server.get("/api/search", params={"q": "language models", "mode": mode, "year": 2021}).json()
        assert body["results"] and all(r["year"] == 2021 for r in body["results"])
        assert all(set(r["found_by"]) <= {"lexical", "semantic"} and "score" in r for r in body["results"])
    cited = server.get("/api/search", params={"q": "image", "min_citations": 10000, "mode": "hybrid"}).json()
    assert all(r["citations"] >= 10000 for r in cited["results"])
    assert server.get("/api/search", params={"q": "x", "mode": "fuzzy"}).status_code == 422


def test_similar_papers_in_the_api_and_on_the_paper_page(server):
    paper = server.get("/api/search", params={"q": "lottery ticket hypothesis", "limit": 1}).json()["results"][0]
    similar = server.get(f"/api/papers/{paper['id']}/similar", params={"limit": 1000}).json()["results"]
    assert len(similar) > 400 and paper["id"] not in {r["id"] for r in similar}
    assert [r["score"] for r in similar] == sorted((r["score"] for r in similar), reverse=True)
    assert server.get(f"/api/papers/{paper['id']}/similar", params={"limit": 1001}).status_code == 422
    assert server.get("/api/papers/nope/similar").status_code == 404
    page = server.get(f"/papers/{paper['id']}").text
    assert "Similar papers" in page and similar[0]["title"].split(":")[0] in page


@pytest.mark.parametrize("path", ["/search?q=lottery+ticket", "/best/2021?limit=5", "/best?since=2015", "/latest"])
def test_search_best_and_latest_have_valid_feeds(server, path):
    import defusedxml.ElementTree as DET

    page = server.get(path).text
    assert 'rel="alternate" type="application/rss+xml"' in page
    rss = DET.fromstring(server.get(path + ("&" if "?" in path else "?") + "format=rss").content)
    items = rss.findall("channel/item")
    assert rss.get("version") == "2.0" and items and all(i.findtext("title") and i.findtext("link") for i in items)
    atom = DET.fromstring(server.get(path + ("&" if "?" in path else "?") + "format=atom").content)
    assert atom.findall("{http://www.w3.org/2005/Atom}entry")


def test_feeds_escape_hostile_titles(server):
    import defusedxml.ElementTree as DET

    rss = DET.fromstring(server.get("/search", params={"q": "hostile", "format": "rss"}).content)
    assert any("<script>" in (i.findtext("title") or "") for i in rss.iter("item"))  # as text, not markup


def test_best_of_filters_normalise_and_exports(server):
    raw = server.get("/api/best", params={"since": 2015, "limit": 20}).json()["results"]
    per_year = server.get("/api/best", params={"since": 2015, "limit": 20, "normalise": "age"}).json()
    assert per_year["title"].endswith("(citations per year)")
    rates = [r["score"] for r in per_year["results"]]
    assert rates == sorted(rates, reverse=True) and raw
    top = per_year["results"][0]
    assert top["score"] == pytest.approx(top["citations"] / (date.today().year - top["year"] + 1), abs=1e-3)
    assert server.get("/api/best", params={"venue": "no such venue"}).json()["results"] == []
    markdown = server.get("/best/2021", params={"limit": 3, "format": "markdown"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# The best AI papers of 2021\n") and "## 1. LoRA" in markdown.text
    bib = server.get("/best/2021", params={"limit": 3, "format": "bibtex"})
    assert bib.text.count("@misc{") == 3 and "title = {{LoRA: Low-Rank Adaptation" in bib.text
    page = server.get("/best", params={"normalise": "age", "category": "cs.CL"}).text
    assert "citations per year" in page and 'value="cs.CL"' in page and "format=markdown" in page


@pytest.mark.parametrize(
    "path", ["/best?normalise=weird", "/best?format=docx", "/api/best?normalise=x", "/best?venue=" + "v" * 300]
)
def test_bad_best_of_parameters_are_422(server, path):
    assert server.get(path).status_code == 422
