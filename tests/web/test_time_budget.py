"""Every web request is bounded: past its time budget, or waiting too long behind another process's
write, it is answered with 503 and Retry-After (a page for a browser, JSON for the API), never a 500
or a wait of half a minute. Commands keep no such bound."""

from __future__ import annotations

import re
import sqlite3

import pytest
from fastapi.testclient import TestClient

from paperradar.settings import load_settings
from paperradar.web.app import create_app

PASSWORD = "correct horse battery"


def _client(db, **settings) -> TestClient:
    return TestClient(create_app(load_settings(database_url=f"sqlite:///{db}", embedder="hashing", **settings)))


@pytest.fixture
def db(seeded_db, tmp_path):
    copy = tmp_path / "budget.db"
    copy.write_bytes(seeded_db.read_bytes())
    return copy


def test_a_request_past_its_budget_gets_503_with_retry_after(db):
    with _client(db, request_budget=0.000001) as client:
        api = client.get("/api/search", params={"q": "transformer attention"})
        page = client.get("/search", params={"q": "transformer attention"}, headers={"accept": "text/html"})
        css = client.get("/static/style.css")
    assert api.status_code == 503 and api.headers["retry-after"].isdigit()
    assert "took longer than" in api.json()["error"]
    assert page.status_code == 503 and page.headers["retry-after"].isdigit()
    assert "took longer than" in page.text and "<nav" in page.text  # the site's own page, navigation and all
    assert css.status_code == 200  # no database work, nothing to bound


def test_the_same_requests_within_a_budget_answer(db):
    with _client(db, request_budget=30) as client:
        assert client.get("/api/search", params={"q": "transformer attention"}).json()["results"]


def _token(client: TestClient, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_a_sign_up_behind_another_process_write_gets_503_and_writes_nothing(db):
    with _client(db, request_lock_wait=0.2) as client:
        token = _token(client, "/signup")
        importer = sqlite3.connect(db, isolation_level=None)  # another process's import, mid-batch
        importer.execute("BEGIN IMMEDIATE")
        try:
            said = client.post("/signup", data={"email": "new@example.org", "password": PASSWORD, "csrf_token": token})
        finally:
            importer.execute("ROLLBACK")
            importer.close()
        assert said.status_code == 503 and said.headers["retry-after"].isdigit()
        assert "busy with a long write" in said.text
        assert client.app.state.library.accounts.list() == []
        again = client.post("/signup", data={"email": "new@example.org", "password": PASSWORD, "csrf_token": token})
        assert again.status_code == 200 and [u.email for u in client.app.state.library.accounts.list()] == [
            "new@example.org"
        ]


def test_a_login_while_the_rate_limit_store_is_down_gets_503_not_500(db):
    from servers import free_port

    with _client(db, redis_url=f"redis://127.0.0.1:{free_port()}/0") as client:  # nothing listens there
        token = _token(client, "/login")
        said = client.post("/login", data={"email": "a@example.org", "password": PASSWORD, "csrf_token": token})
    assert said.status_code == 503 and said.headers["retry-after"].isdigit()
    assert "rate-limit store" in said.text
