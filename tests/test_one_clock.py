"""One clock (issue 15, item 9): every date is the UTC date of `settings.clock`, whatever the server's time
zone. Each test runs with the process in Los Angeles and in Tokyo, at an instant (clock_start) half an
hour before midnight UTC, when one of those local dates is already the next day."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Paper
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.web.app import create_app

PASSWORD = "correct horse battery"


@pytest.fixture(params=["America/Los_Angeles", "Asia/Tokyo"])
def local_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The process's local time zone for one test (TZ and tzset, as a server configured so would run)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = before
    time.tzset()


def _at(library: Library, instant: str, tmp_path) -> Library:
    settings = load_settings(database_url=library.settings.database, clock_start=instant, home=tmp_path,
                             secret_key="c" * 32)  # fmt: skip
    return Library(settings, library.store)


def _add(library: Library, *papers: Paper) -> None:
    with library.store.transaction():
        for paper in papers:
            upsert(library.store, paper)
    library.sync_indexes()  # as an import does: searches read the keyword index, never write it


def test_best_of_by_age_counts_this_year_by_the_utc_clock(library, local_zone, tmp_path):
    clocked = _at(library, "2024-12-31T23:30:00Z", tmp_path)  # 2025 already in Tokyo
    _add(clocked, Paper(title="A strong paper of this year", arxiv_id="2412.00001", year=2024,
                        citations=CitationCount(10, "openalex", date(2024, 12, 1))),
         Paper(title="A good paper of last year", arxiv_id="2312.00001", year=2023,
               citations=CitationCount(18, "openalex", date(2024, 12, 1))))  # fmt: skip
    page = clocked.best(since=2020, normalise="age")
    # Per year up to 2024: 10/1 beats 18/2. Counted to 2025 (or to any later year) the order flips.
    assert [h.paper.title for h in page.hits] == ["A strong paper of this year", "A good paper of last year"]


def _signed_in(library: Library, email: str) -> TestClient:
    client = TestClient(create_app(library.settings, library=library))
    library.accounts.add(email, PASSWORD, admin=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    client.headers["X-CSRF-Token"] = re.search(r'name="csrf_token" value="([^"]+)"',
                                               client.get("/library").text).group(1)  # fmt: skip
    return client


def test_alerts_end_on_the_utc_day_and_never_show_papers_of_a_day_not_yet_begun(library, local_zone, tmp_path):
    clocked = _at(library, "2024-05-03T23:30:00Z", tmp_path)  # 4 May in Tokyo, 3 May in Los Angeles
    _add(clocked, Paper(title="Gravitational lenses today", arxiv_id="2405.01001", listing_date=date(2024, 5, 3)),
         Paper(title="Gravitational lenses tomorrow", arxiv_id="2405.01002",
               listing_date=date(2024, 5, 4)))  # fmt: skip
    client = _signed_in(clocked, "reader@example.org")
    saved = client.post("/api/me/searches", params={"q": "gravitational lenses", "mode": "lexical"})
    assert saved.status_code == 200, saved.text
    [alert] = client.get("/api/me/alerts", params={"since": "2024-05-01"}).json()["results"]
    assert [p["title"] for p in alert["papers"]] == ["Gravitational lenses today"]
    assert clocked.today() == date(2024, 5, 3)
