"""What a new user meets on a fresh instance with no mail configured: forms left blank, the API browser,
feeds of undated papers, the front page, the nav, sign-up, saving with tags and /for-you (issue 14)."""

from __future__ import annotations

import re
from datetime import date

import feedparser
import pytest
from fastapi.testclient import TestClient

from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Paper
from paperradar.settings import load_settings
from paperradar.web.app import create_app
from paperradar.web.session import COOKIE

PASSWORD = "correct horse battery"


@pytest.fixture
def client(seeded, tmp_path) -> TestClient:
    """The app on the seed papers (no listing dates), sending no mail."""
    settings = load_settings(database_url=seeded.settings.database, home=tmp_path, secret_key="s" * 32)
    assert not settings.smtp_url
    seeded.settings = settings
    return TestClient(create_app(settings, library=seeded))


def _token(client: TestClient, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


@pytest.mark.parametrize("path", [
    "/search?q=lottery+ticket&mode=hybrid&year=&category=",
    "/best?since=&until=&category=&venue=&normalise=none",
    "/best?since=&until=&category=&venue=&normalise=age",  # "Rank by: citations per year"
    "/best/2021?category=&venue=&normalise=none",
    "/trending?window=week&day=&category=",  # the seed papers have no dates: nothing trends, but no 422
])  # fmt: skip
def test_blank_form_fields_mean_no_filter(client, path):
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    assert page.text.count('class="paper"') > 0 or path.startswith("/trending")


def test_the_json_api_still_names_a_blank_parameter(client):
    answer = client.get("/api/search", params={"q": "lottery", "year": ""})
    assert answer.status_code == 422 and answer.json()["error"].startswith("year:")


def test_feeds_are_utf8_and_date_undated_papers_by_their_arrival(client):
    for fmt, kind in (("rss", "application/rss+xml"), ("atom", "application/atom+xml")):
        answer = client.get(f"/latest?format={fmt}")
        assert answer.headers["content-type"] == f"{kind}; charset=utf-8"
        entries = feedparser.parse(answer.content).entries
        assert entries and all(e.published_parsed.tm_year != 1970 for e in entries if "published_parsed" in e)
        assert all(e.updated_parsed.tm_year == date.today().year for e in entries if "updated_parsed" in e)
    assert client.get("/latest?format=json").headers["content-type"] == "application/feed+json; charset=utf-8"


def test_without_mail_the_pages_offer_no_subscription_and_say_why(client):
    listing = client.get("/latest").text  # the list pages carry the subscribe box
    assert 'action="/subscribe"' not in listing and "sends no email" in listing
    answer = client.post("/subscribe", data={"email": "a@example.org", "csrf_token": _token(client, "/signup")})
    assert answer.status_code == 503
    assert "sends no email" in answer.text and "PAPERRADAR_SMTP_URL" not in answer.text


def test_the_front_page_says_what_it_is_instead_of_copying_latest(client):
    home = client.get("/").text
    assert "Welcome to paperradar" in home and "no daily list" in home
    assert home.count('class="paper"') == 10  # the most cited papers, not /latest's 25
    assert client.get("/latest").text.count('class="paper"') == 25


def test_every_page_has_a_favicon(client):
    assert 'rel="icon"' in client.get("/").text
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_the_nav_names_the_latest_complete_year_of_the_data(client, seeded):
    assert re.findall(r">Best of (\d{4})<", client.get("/latest").text) == ["2021"]
    this_year = seeded.settings.clock.today().year
    with seeded.store.transaction():
        upsert(seeded.store, Paper(title="A paper of this year", year=this_year, citations=CitationCount(5)))
        upsert(seeded.store, Paper(title="A paper of last year", year=this_year - 1, citations=CitationCount(5)))
    assert re.findall(r">Best of (\d{4})<", client.get("/latest").text) == [str(this_year - 1)]  # this year isn't over


def test_a_bounded_best_of_says_how_many_undated_papers_it_leaves_out(client):
    page = client.get("/best?since=2015").text
    assert re.search(r"\d+ cited papers with no known year are left out", page)
    assert "left out" not in client.get("/best").text  # the all-time list has them


def test_the_first_account_of_a_mailless_instance_is_verified_and_signed_in(client):
    answer = client.post("/signup", data={"email": "me@example.org", "password": PASSWORD,
                                          "csrf_token": _token(client, "/signup")})  # fmt: skip
    assert answer.status_code == 200 and "you are signed in" in answer.text
    assert COOKIE in client.cookies
    account = client.get("/account").text
    assert "Your email is verified" in account

    other = TestClient(client.app)
    other.post("/signup", data={"email": "second@example.org", "password": PASSWORD,
                                "csrf_token": _token(other, "/signup")})  # fmt: skip
    page = other.get("/account").text
    assert "not verified yet" in page and "paperradar users add second@example.org" in page  # the way on


def test_saving_with_tags_confirms_and_the_tags_show_on_the_paper_page(client):
    client.post("/signup", data={"email": "me@example.org", "password": PASSWORD,
                                 "csrf_token": _token(client, "/signup")})  # fmt: skip
    pid = re.search(r'name="paper_id" value="([^"]+)"', client.get("/latest").text).group(1)
    form = {"paper_id": pid, "tags": "reading group, rl", "next": "/latest", "csrf_token": _token(client, "/latest")}
    saved = client.post("/library/save", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/latest?saved={pid}#p-{pid}"
    back = client.get(saved.headers["location"]).text
    assert re.search(r'role="status">Saved to your library\. Tags: <a[^>]*>reading group</a>, <a[^>]*>rl</a>', back)
    paper_page = client.get(f"/papers/{pid}").text
    assert "In your library. Tags:" in paper_page and ">reading group</a>" in paper_page


def test_not_interested_sits_inside_its_own_card_on_for_you(client):
    client.post("/signup", data={"email": "me@example.org", "password": PASSWORD,
                                 "csrf_token": _token(client, "/signup")})  # fmt: skip
    for pid in re.findall(r'name="paper_id" value="([^"]+)"', client.get("/search?q=language+model").text)[:3]:
        client.post("/library/save", data={"paper_id": pid, "csrf_token": _token(client, "/library")})
    page = client.get("/for-you").text
    cards = re.findall(r"<article class=\"paper\" id=\"p-([^\"]+)\".*?</article>", page, re.S)
    assert cards, "no recommendations to check"
    for card in re.finditer(r"<article class=\"paper\" id=\"p-([^\"]+)\".*?</article>", page, re.S):
        dismiss = re.search(r'action="/dismiss".*?name="paper_id" value="([^"]+)"', card.group(0), re.S)
        assert dismiss and dismiss.group(1) == card.group(1)
    assert page.count('action="/dismiss"') == len(cards)  # none left between the cards
