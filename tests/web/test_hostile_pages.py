"""What a hostile or unusual source sends (script tags, `javascript:` links, a 10,000-character word, RTL text)
renders as plain, legible text on the daily, search, paper and best pages and in every feed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import defusedxml.ElementTree as DET
import pytest
from fastapi.testclient import TestClient

from feed_corpus import HOSTILE_DAY, LONG_TITLE, RTL_TITLE, load, load_hostile
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    settings = load_settings(database_url=f"sqlite:///{path}")
    library = Library.open(settings)
    load(library.store)
    load_hostile(library.store)
    library.store.sync_text_index()
    with TestClient(create_app(settings, library)) as test_client:
        yield test_client
    library.close()


PAGES = [
    f"/daily/{HOSTILE_DAY}",
    "/search?q=overlong+OR+scripted+OR+%D9%86%D9%85%D8%A7%D8%B0%D8%AC&mode=lexical",
    "/best/2024?category=cs.HC",
    "/best?since=2024&category=cs.HC",
    "/latest",
]


@pytest.mark.parametrize("path", [*PAGES, "/papers/2404.00101", "/papers/2404.00102", "/papers/2404.00103"])
def test_hostile_papers_render_as_text(client, path):
    html = client.get(path).text
    assert "<script>alert" not in html and 'href="javascript:' not in html.lower()
    assert "onerror" not in html and "JavaScript:alert" not in html  # a bad link is dropped, not shown


@pytest.mark.parametrize("path", PAGES)
def test_lists_show_every_hostile_paper_legibly(client, path):
    html = re.sub("</?mark>", "", client.get(path).text)  # search marks the query's words
    assert LONG_TITLE in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    rtl = re.search(r'<a href="/papers/2404.00102" dir="auto">(.*?)</a>', html)
    assert rtl and rtl.group(1) == RTL_TITLE
    assert re.search(r'<summary dir="auto">מודלים', html)  # the Hebrew abstract's snippet reads right to left


def test_the_paper_page_marks_rtl_text_and_drops_javascript_links(client):
    rtl = client.get("/papers/2404.00102").text
    assert f'<h1 dir="auto">{RTL_TITLE}</h1>' in rtl and '<p class="abstract" dir="auto">מודלים' in rtl
    authors = re.search(r'<p class="authors" dir="auto">(.*?)</p>', rtl).group(1)
    assert re.sub(r"<[^>]+>", "", authors) == "דוד כהן, ليلى حسن"  # each name a link to a search by it
    scripted = client.get("/papers/2404.00103").text
    links = re.search(r'<p class="links">(.*?)</p>', scripted, re.S).group(1)
    # No abstract, PDF or code link: each was javascript:. The HTML link is arXiv's own, made from the id.
    assert re.findall(r'href="([^"]+)"', links) == ["https://arxiv.org/html/2404.00103"]
    assert client.get("/api/papers/2404.00103").json()["code_url"] == "JavaScript:alert(3)"  # JSON is data


@pytest.mark.parametrize("path", PAGES)
def test_feeds_carry_hostile_titles_as_text(client, path):
    sep = "&" if "?" in path else "?"
    rss = client.get(f"{path}{sep}format=rss")
    titles = [i.findtext("title") for i in DET.fromstring(rss.content).iter("item")]
    assert LONG_TITLE in titles and RTL_TITLE in titles
    assert 'Scripted <script>alert("x")</script> & ]]> "quoted" links' in titles and b"<script>" not in rss.content
    atom = DET.fromstring(client.get(f"{path}{sep}format=atom").content)
    assert RTL_TITLE in [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")]
    items = client.get(f"{path}{sep}format=json").json()["items"]
    assert LONG_TITLE in [i["title"] for i in items]
    links = [i.findtext("link") for i in DET.fromstring(rss.content).iter("item")]
    assert all(link.startswith("http://testserver/papers/") for link in links)  # never the source's javascript:
