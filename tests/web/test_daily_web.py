"""The daily feed, trending and their feeds through the app, on a corpus with listing dates and signals."""

from collections.abc import Iterator

import defusedxml.ElementTree as DET
import pytest
from fastapi.testclient import TestClient

from feed_corpus import HOSTILE, load
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("daily") / "daily.db"
    settings = load_settings(database_url=f"sqlite:///{path}")
    library = Library.open(settings)
    load(library.store)
    with TestClient(create_app(settings, library)) as test_client:
        yield test_client
    library.close()


def test_home_shows_the_newest_day_with_navigation_links_and_reasons(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Papers of Friday 3 May 2024" in page.text
    assert 'rel="prev" href="/daily/2024-05-01"' in page.text
    assert "Agents that file their own bug reports" in page.text and "listed today" in page.text
    assert 'href="https://arxiv.org/abs/2405.00004"' in page.text and "<details" in page.text
    assert 'type="application/rss+xml"' in page.text and 'type="application/atom+xml"' in page.text


def test_a_day_lists_its_papers_by_trend(client):
    text = client.get("/daily/2024-05-01").text
    hands, sparse, quiet = (text.index(t) for t in ("draw hands", "Sparse attention", "quiet paper"))
    assert hands < sparse < quiet
    assert "80 Hugging Face upvotes · 340 GitHub stars" in text and 'href="https://github.com/example/code"' in text
    assert "3 citations (openalex, 2024-05-03)" in text


def test_weeks_months_and_the_category_filter(client):
    assert client.get("/weekly/2024-W18").text.count('class="paper"') == 5
    month = client.get("/monthly/2024-05", params={"category": "cs.CV"}).text
    assert month.count('class="paper"') == 1 and "draw hands" in month


def test_the_json_api_matches_the_pages(client):
    body = client.get("/api/daily/2024-05-01", params={"limit": 2}).json()
    assert [r["arxiv_id"] for r in body["results"]] == ["2405.00002", "2405.00001"]
    assert body["total"] == 3 and body["previous"] == "2024-04-20" and body["next"] == "2024-05-03"
    assert body["results"][0]["why"][0] == "80 Hugging Face upvotes"
    assert client.get("/api/daily").json()["period"]["slug"] == "2024-05-03"
    assert client.get("/api/weekly/2024-W18", params={"offset": 4}).json()["results"][0]["id"]
    assert client.get("/api/monthly/2024-05", params={"category": "cs.IR"}).json()["results"] == []


def test_trending_page_and_api_explain_each_entry(client):
    body = client.get("/api/trending", params={"window": "month", "day": "2024-05-03"}).json()
    why = {r["arxiv_id"]: r["why"] for r in body["results"]}
    assert "+40 citations in 30 days (openalex)" in why["2404.00006"]
    page = client.get("/trending", params={"window": "month"}).text
    assert "+40 citations in 30 days (openalex)" in page and "Trending this month" in page


@pytest.mark.parametrize("path", ["/", "/daily/2024-05-01", "/weekly/2024-W18", "/trending?window=month"])
def test_rss_feeds_are_valid_with_items(client, path):
    response = client.get(path + ("&" if "?" in path else "?") + "format=rss")
    assert response.headers["content-type"].startswith("application/rss+xml")
    root = DET.fromstring(response.content)
    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert channel is not None and channel.findtext("title") and channel.findtext("link")
    items = channel.findall("item")
    assert items and all(i.findtext("title") and i.findtext("link") and i.findtext("guid") for i in items)


@pytest.mark.parametrize("path", ["/", "/monthly/2024-05", "/trending?window=month"])
def test_atom_feeds_are_valid_with_entries(client, path):
    response = client.get(path + ("&" if "?" in path else "?") + "format=atom")
    root = DET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed" and root.findtext(f"{ATOM}title") and root.findtext(f"{ATOM}updated")
    entries = root.findall(f"{ATOM}entry")
    assert entries and all(e.findtext(f"{ATOM}id") and e.find(f"{ATOM}author") is not None for e in entries)


def test_hostile_titles_are_escaped_in_pages_and_feeds(client):
    page = client.get("/daily/2024-05-03").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    feed = client.get("/daily/2024-05-03?format=rss").content
    titles = [i.findtext("title") for i in DET.fromstring(feed).iter("item")]
    assert f"Hostile {HOSTILE} title" in titles


@pytest.mark.parametrize(
    "path",
    [
        "/daily/2024-13-45", "/daily/yesterday", "/weekly/2024-W99", "/monthly/2024", "/daily/" + "9" * 5000,
        "/trending?window=year", "/trending?day=nope", "/?format=pdf", "/?page=0", "/api/daily/2024-02-30",
        "/api/trending?limit=0", "/api/weekly/%00", "/?category=" + "x" * 100, "/trending?day=0001-01-01",
        "/api/trending?day=9999-12-31", "/monthly/9999-12", "/weekly/0001-W01", "/api/daily/0001-01-01",
    ],
)  # fmt: skip
def test_bad_input_is_4xx_never_500(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500, response.text[:300]


@pytest.mark.parametrize("category", ["<script>", "cs.CL' OR 1=1 --", "😀", "\u202etxt"])
def test_hostile_categories_render_safely(client, category):
    response = client.get("/", params={"category": category})
    assert response.status_code == 200 and "<script>" not in response.text.split("<main", 1)[1]


def test_the_paper_page_has_bibtex_and_a_citation_chart(client):
    page = client.get("/papers/2404.00006").text
    assert '<pre class="bibtex"' in page and "@misc{lovelace2024last," in page
    assert "<svg" in page and "<polyline" in page and "Citations over time (openalex)" in page
    assert "<svg" not in client.get("/papers/2405.00001").text  # one dated count: nothing to draw
    bib = client.get("/api/papers/2404.00006/bibtex")
    assert bib.headers["content-type"].startswith("application/x-bibtex") and bib.text.startswith("@misc{")
    assert client.get("/api/papers/nope/bibtex").status_code == 404


def test_best_of_by_category(client):
    found = client.get("/api/best", params={"category": "cs.CL"}).json()["results"]
    assert {r["arxiv_id"] for r in found} == {"2405.00001", "2405.00003", "2405.00004"}
    assert "draw hands" in client.get("/best/2024", params={"category": "cs.CV"}).text


def test_new_badges_mark_papers_listed_since_the_last_visit(client):
    client.cookies.clear()  # earlier tests in this module were visits too
    first = client.get("/daily/2024-05-01")
    assert 'class="badge"' not in first.text  # a first visit: nothing to compare with
    assert "seen=2024-05-01" in first.headers["set-cookie"] and "HttpOnly" in first.headers["set-cookie"]
    later = client.get("/weekly/2024-W18").text  # the browser sends the cookie back
    assert later.count('class="badge"') == 2  # the two papers of 3 May
    client.cookies.set("seen", "not-a-date")
    assert client.get("/").status_code == 200
