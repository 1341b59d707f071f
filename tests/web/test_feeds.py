"""Every feed (RSS 2.0, Atom, JSON Feed 1.1) is well-formed, has the right elements, and a feed reader reads it back."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime

import defusedxml.ElementTree as DET
import feedparser
import pytest
from fastapi.testclient import TestClient

from feed_corpus import load
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://testserver"
# Each page with a feed, and the /api call that answers the same list (same filters, same size).
PAGES = {
    "/": "/api/daily?limit=25",
    "/daily/2024-05-01": "/api/daily/2024-05-01?limit=25",
    "/weekly/2024-W18?category=cs.CL": "/api/weekly/2024-W18?category=cs.CL&limit=25",
    "/monthly/2024-05": "/api/monthly/2024-05?limit=25",
    "/trending?window=month&day=2024-05-03": "/api/trending?window=month&day=2024-05-03&limit=25",
    "/search?q=attention+OR+agents&mode=lexical": "/api/search?q=attention+OR+agents&mode=lexical&limit=25",
    "/best/2024?category=cs.CL": "/api/best?year=2024&category=cs.CL&limit=100",
    "/best?since=2024": "/api/best?since=2024&limit=100",
    "/latest": "/api/latest?limit=25",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("feeds") / "feeds.db"
    settings = load_settings(database_url=f"sqlite:///{path}")
    library = Library.open(settings)
    load(library.store)
    library.store.sync_text_index()
    with TestClient(create_app(settings, library)) as test_client:
        yield test_client
    library.close()


def _expected(client: TestClient, api: str) -> list[dict]:
    results = client.get(api).json()["results"]
    assert results, f"{api} is empty: the test would prove nothing"
    return results


def _day(result: dict) -> date:
    return date.fromisoformat(result["listing_date"] or result["published"])


def _read(response) -> feedparser.FeedParserDict:
    """What a feed reader makes of the answer, told its content type as a reader fetching it would be."""
    return feedparser.parse(response.content, response_headers={"content-type": response.headers["content-type"]})


def _feed_url(page: str, fmt: str) -> str:
    return page + ("&" if "?" in page else "?") + f"format={fmt}"


@pytest.mark.parametrize("page", PAGES)
def test_rss_has_the_elements_and_reads_back(client, page):
    expected = _expected(client, PAGES[page])
    response = client.get(_feed_url(page, "rss"))
    assert response.headers["content-type"].startswith("application/rss+xml")
    root = DET.fromstring(response.content)
    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert channel.findtext("title") and channel.findtext("link") and channel.findtext("description") is not None
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [r["title"] for r in expected]
    for item in items:
        assert item.findtext("link") == item.findtext("guid") and item.findtext("pubDate")
    read = _read(response)
    assert read.bozo == 0 and read.version == "rss20"
    assert [e.link for e in read.entries] == [f"{BASE}/papers/{r['id']}" for r in expected]
    assert [date(*e.published_parsed[:3]) for e in read.entries] == [_day(r) for r in expected]
    assert [e.title for e in read.entries if "Hostile" not in e.title] == [
        r["title"] for r in expected if "Hostile" not in r["title"]
    ]


@pytest.mark.parametrize("page", PAGES)
def test_atom_has_the_elements_and_reads_back(client, page):
    expected = _expected(client, PAGES[page])
    response = client.get(_feed_url(page, "atom"))
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = DET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") and root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}updated")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [r["title"] for r in expected]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id") and entry.find(f"{ATOM}link").get("href")
        assert entry.findtext(f"{ATOM}updated") and entry.findtext(f"{ATOM}author/{ATOM}name")
    read = _read(response)
    assert read.bozo == 0 and read.version == "atom10"
    assert [e.link for e in read.entries] == [f"{BASE}/papers/{r['id']}" for r in expected]
    assert [date(*e.updated_parsed[:3]) for e in read.entries] == [_day(r) for r in expected]
    assert [e.authors[0]["name"] for e in read.entries] == [r["authors"][0] for r in expected]


@pytest.mark.parametrize("page", PAGES)
def test_json_feed_has_the_fields_and_reads_back(client, page):
    expected = _expected(client, PAGES[page])
    response = client.get(_feed_url(page, "json"))
    assert response.headers["content-type"].startswith("application/feed+json")
    body = json.loads(response.content)
    assert body["version"] == "https://jsonfeed.org/version/1.1" and body["title"].endswith("· paperradar")
    assert body["feed_url"].endswith("format=json") and "format=" not in body["home_page_url"]
    assert [i["title"] for i in body["items"]] == [r["title"] for r in expected]
    assert all(i["id"] == i["url"] and i["content_text"] for i in body["items"])
    # feedparser 6.0 (the newest release) reads no JSON Feed: the spec's fields are checked by hand instead.
    assert [i["url"] for i in body["items"]] == [f"{BASE}/papers/{r['id']}" for r in expected]
    assert [datetime.fromisoformat(i["date_published"]).date() for i in body["items"]] == [_day(r) for r in expected]
    assert [i["authors"][0]["name"] for i in body["items"]] == [r["authors"][0] for r in expected]


@pytest.mark.parametrize("page", PAGES)
def test_each_page_links_feeds_that_work(client, page):
    html = client.get(page).text
    links = re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">', html)
    assert {kind for kind, _ in links} == {"application/rss+xml", "application/atom+xml", "application/feed+json"}
    for kind, href in links:
        response = client.get(href.replace("&amp;", "&"))
        assert response.status_code == 200 and response.headers["content-type"].startswith(kind), href
        entries = json.loads(response.content)["items"] if "json" in kind else _read(response).entries
        assert entries, href


def test_a_hostile_title_stays_text_in_every_feed(client):
    for fmt in ("rss", "atom"):
        response = client.get(f"/daily/2024-05-03?format={fmt}")
        assert b"<script>" not in response.content, fmt  # escaped as &lt;script&gt;: text, never markup
        titles = [e.title for e in _read(response).entries]
        assert any(t.startswith("Hostile") for t in titles), (fmt, titles)
    items = client.get("/daily/2024-05-03?format=json").json()["items"]
    assert any(i["title"] == 'Hostile <script>alert("x")</script> & ]]> "quoted" title' for i in items)
