"""/latest and /api/latest paged by cursor: "Older" goes on from the last paper shown, at any depth."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from paperradar.ingest.importer import upsert
from paperradar.models import Paper
from paperradar.settings import load_settings
from paperradar.web.app import create_app


@pytest.fixture
def client(seeded, tmp_path) -> TestClient:
    settings = load_settings(database_url=seeded.settings.database, home=tmp_path, secret_key="s" * 32)
    seeded.settings = settings
    return TestClient(create_app(settings, library=seeded))


def test_the_api_pages_by_next_after_through_every_paper_once_as_papers_arrive(client):
    library = client.app.state.library  # type: ignore[attr-defined]
    everything = [r["id"] for r in client.get("/api/latest", params={"limit": 1000}).json()["results"]]
    walked, params = [], {"limit": 100}
    for turn in range(20):
        body = client.get("/api/latest", params=params).json()
        walked += [r["id"] for r in body["results"]]
        with library.store.transaction():  # a paper listed today arrives while the reader pages on
            upsert(library.store, Paper(title=f"Arrived during the walk {turn}", listing_date=date(2030, 1, 1)))
        if body["next_after"] is None:
            break
        params = {"limit": 100, "after": body["next_after"]}
    assert walked == everything and len(everything) == 450  # with offsets, each arrival would repeat a paper


@pytest.mark.parametrize("after", ["nonsense!", "bm8gc2xhc2g", "MjAyNC0xMy0wMS94", "LzA", "x" * 501])
def test_a_cursor_the_site_did_not_give_is_refused_naming_after(client, after):
    for path in ("/api/latest", "/latest"):
        answer = client.get(path, params={"after": after}, headers={"Accept": "application/json"})
        assert answer.status_code == 422 and "after" in answer.json()["error"], (path, answer.text)


def test_a_cursor_and_an_offset_together_are_refused_naming_offset(client):
    cursor = client.get("/api/latest", params={"limit": 5}).json()["next_after"]
    answer = client.get("/api/latest", params={"after": cursor, "offset": 5})
    assert answer.status_code == 422 and answer.json()["error"].startswith("offset: not with after")


def test_the_older_link_goes_on_from_the_last_paper_shown_and_the_last_page_has_none(client):
    ids = [r["id"] for r in client.get("/api/latest", params={"limit": 1000}).json()["results"]]
    page, seen = client.get("/latest").text, []
    for _ in range(30):
        seen += [html.unescape(pid) for pid in re.findall(r'<article class="paper" id="p-([^"]+)"', page)]
        older = re.search(r'rel="next" href="\?after=([\w-]+)"', page)
        if older is None:
            break
        page = client.get("/latest", params={"after": older.group(1)}).text
        assert 'href="/latest">← Newest</a>' in page
    assert list(dict.fromkeys(seen)) == ids  # 450 papers, 25 a page: 18 pages, the last without "Older"


def test_a_page_number_beside_a_cursor_gives_way_to_it(client):
    cursor = client.get("/api/latest", params={"limit": 25}).json()["next_after"]
    shown = [re.findall(r'<article class="paper" id="p-([^"]+)"', client.get("/latest", params=params).text)
             for params in ({"after": cursor}, {"after": cursor, "page": 3})]  # fmt: skip
    assert len(shown[0]) == 25 and shown[1] == shown[0]
