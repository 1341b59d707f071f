"""One subscriber's bad data never stops anyone else's digest (issue 15, item 14c), on both backends:
a citation count no database can bind is refused where a search is saved; one saved before that
check breaks neither its owner's pages nor the run; and a digest that cannot be composed at all is
logged, counted and left due while the others go out."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from feed_corpus import load
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.web.api import MAX_CITATIONS
from paperradar.web.app import create_app
from smtp_sink import SmtpSink

DAY = date(2024, 5, 3)
PASSWORD = "correct horse battery"
HUGE = 99_999_999_999_999_999_999  # above 2^63 - 1


@pytest.fixture
def mailing(seeded_library: Library, smtp_sink: SmtpSink, tmp_path) -> Library:
    """The seed and feed corpora on each backend, mail to the sink, personal sections in the digest."""
    load(seeded_library.store)
    settings = load_settings(database_url=seeded_library.settings.database, smtp_url=smtp_sink.url, home=tmp_path,
                             digest_window="week", digest_size=1, secret_key="k" * 32)  # fmt: skip
    return Library(settings, seeded_library.store)


def _signed_in(library: Library, email: str) -> TestClient:
    client = TestClient(create_app(library.settings, library=library))
    library.accounts.add(email, PASSWORD, admin=False)
    login_form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_form).group(1)
    assert client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token},
                       follow_redirects=False).status_code == 303  # fmt: skip
    client.headers["X-CSRF-Token"] = re.search(r'name="csrf_token" value="([^"]+)"',
                                               client.get("/library").text).group(1)  # fmt: skip
    return client


def _mailed(sink: SmtpSink) -> dict[str, int]:
    counts: dict[str, int] = {}
    for recipients, _ in sink.messages:
        for address in recipients:
            counts[address] = counts.get(address, 0) + 1
    return counts


def test_a_count_no_database_can_hold_is_refused_where_a_search_is_saved_or_run(mailing):
    client = _signed_in(mailing, "owner@example.org")
    saved = client.post("/api/me/searches", params={"q": "agents", "min_citations": str(HUGE)})
    assert saved.status_code == 422 and saved.json()["error"].startswith("min_citations:")
    assert client.get("/api/me/searches").json()["results"] == []  # nothing half-kept
    searched = client.get("/api/search", params={"q": "agents", "min_citations": str(2**63)})
    assert searched.status_code == 422 and "min_citations" in searched.json()["error"]
    largest = client.post("/api/me/searches", params={"q": "agents", "min_citations": str(MAX_CITATIONS)})
    assert largest.status_code == 200 and largest.json()["filters"] == {"min_citations": MAX_CITATIONS}


def test_a_huge_count_saved_before_the_check_breaks_neither_its_owners_pages_nor_the_digest(mailing, smtp_sink):
    client = _signed_in(mailing, "owner@example.org")
    owner = mailing.store.user_by_email("owner@example.org")
    mailing.store.add_saved_search(owner.id, "old alert", "agents", "lexical", {"min_citations": HUGE}, 0)
    mailing.saved_searches.save(owner, "agents bug reports", mode="lexical", name="agents")
    assert client.get("/for-you").status_code == 200
    alerts = client.get("/api/me/alerts", params={"since": "2024-04-27", "until": "2024-05-03"})
    assert alerts.status_code == 200
    assert {a["name"]: len(a["papers"]) for a in alerts.json()["results"]} == {"old alert": 0, "agents": 1}
    emails = ["owner@example.org", "after@example.org", "last@example.org"]  # the owner's digest comes first
    for email in emails:
        mailing.digests.add_subscriber(email, confirmed=True)

    summary = mailing.digests.send(DAY)
    assert (summary.sent, summary.broken, summary.error) == (3, 0, None)
    assert _mailed(smtp_sink) == dict.fromkeys(emails, 1)
    [mail] = smtp_sink.to("owner@example.org")
    assert "New for your search “agents”" in mail.get_body(("plain",)).get_content()


def test_a_digest_that_cannot_be_composed_is_counted_and_left_due_and_the_others_go_out(mailing, smtp_sink):
    broken = mailing.store.create_user("broken@example.org", "unused", False, True, 0)
    # Filters no version of paperradar writes (a hand-edited row): composing this digest fails.
    mailing.store.add_saved_search(broken.id, "edited", "agents", "lexical", {"year_from": "last year"}, 0)
    emails = ["first@example.org", "broken@example.org", "after@example.org"]
    for email in emails:
        mailing.digests.add_subscriber(email, confirmed=True)

    summary = mailing.digests.send(DAY)
    assert (summary.sent, summary.broken, summary.error) == (2, 1, None)
    assert _mailed(smtp_sink) == {"first@example.org": 1, "after@example.org": 1}
    [row] = [d for d in mailing.store.deliveries(DAY) if d.subscriber_id == mailing.store.subscriber(emails[1]).id]
    assert row.status == "failed" and row.error.startswith("cannot compose: TypeError")
    again = mailing.digests.send(DAY)  # still due: a fixed row would go out on the next run
    assert (again.due, again.sent, again.broken) == (1, 0, 1)
