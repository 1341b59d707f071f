"""The demo's pages over HTTP: its "today" is the data's newest day, and cards carry what the data has."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from paperradar.service import NO_SIGNALS

PAPER = "2606.30875"  # The Label Imitation Game (ECCV 2026), listed on the demo's last day, code on GitHub


def test_the_home_page_is_the_newest_day_of_the_demo_and_says_so(demo_client):
    html = demo_client.get("/").text
    assert "<h1>Papers of Wednesday 1 July 2026</h1>" in html
    assert "Demo data up to 2026-07-01" in html
    assert html.count('class="paper"') == 25
    # Real authors, each a link to a search for that author.
    assert re.search(r'<a href="/search\?q=au%3A%22[^"]+%22">[^<]+</a>', html)
    assert NO_SIGNALS in html  # no upvotes or stars ship with the demo, and the page says so


def test_the_weekly_and_trending_views_are_not_empty(demo_client):
    week = demo_client.get("/weekly/2026-W27").text
    assert "Papers of week 2026-W27" in week and week.count('class="paper"') == 25
    trending = demo_client.get("/trending").text
    assert "Trending this week (to 2026-07-01)" in trending
    assert trending.count('class="paper"') == 25 and "Nothing trending" not in trending
    assert NO_SIGNALS in trending and "Demo data up to 2026-07-01" in trending
    api = demo_client.get("/api/trending", params={"window": "week"}).json()
    assert api["total"] > 1_000 and all(r["why"][0].startswith("listed") for r in api["results"])


def test_an_arxiv_paper_page_carries_authors_links_comment_and_code(demo_client):
    html = demo_client.get(f"/papers/{PAPER}").text
    assert '<a href="/search?q=au%3A%22Brent+A.+Griffin%22">Brent A. Griffin</a>' in html
    assert "<dt>Primary category</dt><dd>cs.CV</dd>" in html
    assert '<dt>Comment</dt><dd dir="auto">ECCV 2026</dd>' in html
    for link in (f"https://arxiv.org/pdf/{PAPER}", f"https://arxiv.org/html/{PAPER}", "https://github.com/voxel51/ttn"):
        assert f'href="{link}"' in html, link
    assert 'class="abstract"' in html


def test_a_search_by_author_finds_their_papers(demo_client):
    html = demo_client.get("/search", params={"q": 'au:"Jason J. Corso"'}).text
    assert f'href="/papers/{PAPER}"' in html
    api = demo_client.get("/api/search", params={"q": "Jason J. Corso", "mode": "lexical"}).json()
    assert any("Jason J. Corso" in r["authors"] for r in api["results"][:5])


@pytest.mark.parametrize("query", ["70 years of machine learning in geoscience in review"])
def test_a_seed_paper_without_year_or_authors_reads_cleanly(demo_client, query):
    found = demo_client.get("/api/search", params={"q": query, "mode": "lexical"}).json()["results"]
    seed = next(r for r in found if not r["authors"] and r["year"] is None and r["citations"] is None)
    html = demo_client.get(f"/papers/{quote(seed['id'])}").text
    article = html[html.index('<article class="paper-page">') : html.index("</article>")]
    assert "None" not in article
    assert not re.search(r"<dd>\s*</dd>|<p class=\"authors\"[^>]*>\s*</p>|<dt>Year</dt>", article)
    assert not re.search(r"(?:·|,)\s*</", article)  # no dangling separators
    card = demo_client.get("/search", params={"q": query, "mode": "lexical"}).text
    assert f'href="/papers/{quote(seed["id"])}"' in card
    assert not re.search(r'<p class="meta"[^>]*>\s*</p>', card)  # no empty row of facts under the title


def test_the_current_week_counts_ages_to_the_demo_today_not_to_the_weeks_end(demo_client):
    """Week 27 runs to Sunday 5 July; the data ends on Wednesday 1 July: that day's papers are "listed today"."""
    feed = demo_client.get("/api/weekly/2026-W27", params={"limit": 1000}).json()["results"]
    why = {r["listing_date"]: r["why"][0] for r in feed}
    assert why["2026-07-01"] == "listed today" and why["2026-06-29"] == "listed 2 days ago"
