"""The search page: marked matches (escaped first), result count, paging, labelled filters, "similar" links."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from paperradar.rank.highlight import highlight
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.web.app import create_app


@pytest.fixture(scope="module")
def client(seeded_db, tmp_path_factory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("search-page") / "seed.db"
    shutil.copy(seeded_db, path)
    settings = load_settings(database_url=f"sqlite:///{path}", page_size=10)
    library = Library.open(settings)
    with TestClient(create_app(settings, library)) as test_client:
        yield test_client
    library.close()


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="title">.*?<a href="/papers/[^"]+" dir="auto">(.*?)</a>', html)


def test_matches_are_marked_in_titles_and_snippets(client):
    html = client.get("/search", params={"q": "lottery ticket", "mode": "lexical"}).text
    titles = _titles(html)
    assert (
        titles[0]
        == "The <mark>Lottery</mark> <mark>Ticket</mark> Hypothesis: Finding Sparse, Trainable Neural Networks"
    )
    summary = re.search(r'<summary dir="auto">(.*?)</summary>', html, re.S).group(1)
    assert "<mark>" in summary


def test_marking_escapes_first_and_never_marks_inside_markup():
    hostile = '<script>alert("lt")</script> &lt; <b title="mark">attention</b>'
    marked = str(highlight(hostile, ["lt", "script", "mark", "attention", "b"]))
    assert "<script>" not in marked and "<b " not in marked
    assert marked == (
        "&lt;<mark>script</mark>&gt;alert(&#34;<mark>lt</mark>&#34;)&lt;/<mark>script</mark>&gt; "
        "&amp;<mark>lt</mark>; &lt;<mark>b</mark> title=&#34;<mark>mark</mark>&#34;&gt;<mark>attention</mark>"
        "&lt;/<mark>b</mark>&gt;"
    )
    assert str(highlight("x", ['"><script>'])) == "x"  # a hostile query word is escaped, never markup
    assert str(highlight("<i>", [])) == "&lt;i&gt;"


def test_hostile_queries_are_escaped_on_the_page(client):
    html = client.get("/search", params={"q": '"><script>alert(1)</script> ti:<b>'}).text
    assert "<script>alert(1)" not in html and "<b>" not in html and "&lt;script&gt;" in html


def test_the_count_paging_and_filters_keep_to_each_other(client):
    first = client.get("/search", params={"q": "networks", "year": 2021, "mode": "lexical"}).text
    assert "Results 1–10 for" in first
    next_link = re.search(r'<a rel="next" href="\?([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "year=2021" in next_link and "mode=lexical" in next_link and next_link.endswith("page=2")
    second = client.get("/search?" + next_link).text
    assert "Results 11–20 for" in second and 'rel="prev"' in second
    assert not set(_titles(first)) & set(_titles(second))
    asked = {"q": "networks", "year": 2021, "mode": "lexical"}
    total = len(client.get("/api/search", params={**asked, "limit": 100}).json()["results"])
    last = client.get("/search", params={**asked, "page": (total + 9) // 10}).text
    assert f"of {total} for" in last and 'rel="next"' not in last  # a short last page knows the total


def test_mode_and_filters_are_labelled_and_applied(client):
    html = client.get("/search", params={"q": "language", "category": "cs.CV", "has_code": "true"}).text
    for control in ('id="q"', 'id="year"', 'id="category"', 'name="has_code"'):
        assert control in html
    assert re.search(r'<label><input type="radio" name="mode" value="hybrid" checked> words and meaning</label>', html)
    assert re.search(r'<label><input type="checkbox" name="has_code" value="true" checked> with code</label>', html)
    assert 'for="category"' in html and 'value="cs.CV"' in html
    api = client.get("/api/search", params={"q": "language", "category": "cs.CV", "has_code": "true"}).json()
    assert [r["title"] for r in api["results"]][:10] == [re.sub("</?mark>", "", t) for t in _titles(html)]
    assert all(r["code_url"] and "cs.CV" in r["categories"] for r in api["results"])


def test_every_result_links_to_its_similar_papers(client):
    html = client.get("/search", params={"q": "transformer"}).text
    ids = re.findall(r'<h2 class="title">.*?<a href="/papers/([^"]+)"', html)
    similar = re.findall(r'class="similar-link" href="/papers/([^"]+)#similar"', html)
    assert ids and similar == ids
    paper = client.get(f"/papers/{similar[0]}").text
    assert '<section class="similar" id="similar"' in paper and paper.count('<li><a href="/papers/') >= 5
