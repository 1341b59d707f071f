"""Accounts, libraries, votes and recommendations through the real app: pages, /api/me, and what one
user can never see of another's."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from paperradar.settings import load_settings
from paperradar.web.app import create_app
from paperradar.web.session import COOKIE

HOSTILE = '<script>alert("x")</script>'
PASSWORD = "correct horse battery"


def _app(library, tmp_path):
    settings = load_settings(database_url=library.settings.database, home=tmp_path, secret_key="s" * 32)
    library.settings = settings
    return create_app(settings, library=library)


@pytest.fixture
def app(seeded, tmp_path):
    return _app(seeded, tmp_path)


@pytest.fixture
def both_app(seeded_library, tmp_path):
    """The app on each backend (SQLite, PostgreSQL), for what must hold on both."""
    return _app(seeded_library, tmp_path)


def _token(client: TestClient, path: str = "/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def _signed_in(app, email: str) -> TestClient:
    client = TestClient(app)
    app.state.library.accounts.add(email, PASSWORD, admin=False)
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": _token(client)},
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and COOKIE in response.cookies
    client.headers["X-CSRF-Token"] = _token(client, "/library")
    return client


def _paper_ids(app, n=3):
    return [h.paper.id for h in app.state.library.latest(limit=n).hits]


def test_sign_up_then_log_in_save_tag_and_see_it_on_the_library_page(app):
    client = TestClient(app)
    said = client.post("/signup", data={"email": "new@example.org", "password": PASSWORD,
                                        "csrf_token": _token(client, "/signup")})  # fmt: skip
    assert said.status_code == 200 and "PAPERRADAR_SMTP_URL" in said.text
    client.post("/login", data={"email": "new@example.org", "password": PASSWORD, "csrf_token": _token(client)})
    page = client.get("/latest")
    assert "new@example.org" in page.text and "Save to library" in page.text
    pid = _paper_ids(app, 1)[0]
    token = _token(client, "/library")
    client.post("/library/save", data={"paper_id": pid, "tags": "Reading group, rl", "csrf_token": token})
    library = client.get("/library")
    assert "reading group (1)" in library.text and app.state.library.paper(pid).title[:30] in library.text
    assert client.get("/library?tag=rl").text.count('class="paper"') == 1
    assert "Saved ✓" in client.get("/latest").text


def test_api_me_library_notes_votes_and_exports(both_app):
    app = both_app
    client = _signed_in(app, "api@example.org")
    first, second, _ = _paper_ids(app)
    assert client.put(f"/api/me/library/{first}", json={"tags": ["llm"]}).json() == {"saved": first}
    entry = client.patch(f"/api/me/library/{first}", json={"note": HOSTILE, "read": True}).json()
    assert entry["note"] == HOSTILE and entry["read"] is True and entry["tags"] == ["llm"]
    assert client.patch(f"/api/me/library/{second}", json={"note": "x"}).status_code == 404  # not saved
    assert client.patch(f"/api/me/library/{first}", json={"tags": ["x" * 41]}).json()["error"].startswith("tags:")
    assert client.put(f"/api/me/votes/{second}").json() == {"voted": True}
    assert client.put(f"/api/me/votes/{second}").json() == {"voted": False}  # one vote per user
    assert [r["id"] for r in client.get("/api/me/library").json()["results"]] == [first]
    assert "@" in client.get("/api/me/export?format=bibtex").text
    assert "&lt;script&gt;" in client.get("/library").text and HOSTILE not in client.get("/library").text
    assert "▲ Voted" in client.get("/latest").text


def test_recommendations_say_which_saved_papers_they_are_like(app):
    client = _signed_in(app, "rec@example.org")
    hits = app.state.library.search("diffusion image generation", limit=3, mode="lexical").hits
    for hit in hits:
        client.put(f"/api/me/library/{hit.paper.id}")
    found = client.get("/api/me/recommendations?limit=5").json()["results"]
    assert len(found) == 5 and not {r["id"] for r in found} & {h.paper.id for h in hits}
    assert all(r["why"] and r["why"][0].startswith("like “") for r in found)
    dismissed = found[0]["id"]
    client.put(f"/api/me/dismissed/{dismissed}")
    assert dismissed not in [r["id"] for r in client.get("/api/me/recommendations?limit=5").json()["results"]]
    page = client.get("/for-you")
    assert "Not interested" in page.text and "in your library" in page.text


def test_saved_searches_list_their_new_papers(app):
    client = _signed_in(app, "alert@example.org")
    saved = client.post("/api/me/searches", params={"q": "diffusion", "mode": "lexical"}).json()
    assert saved["query"] == "diffusion"
    alerts = client.get("/api/me/alerts", params={"since": "1900-01-01", "until": "2100-01-01"}).json()["results"]
    assert alerts[0]["id"] == saved["id"] and alerts[0]["papers"]
    assert client.get("/api/me/alerts", params={"since": "2100-01-01", "until": "2100-01-02"}).json()["results"][0][
        "papers"] == []  # fmt: skip


def test_one_user_never_reads_or_changes_another_users_data(both_app):
    app = both_app
    alice, bob = _signed_in(app, "alice@example.org"), _signed_in(app, "bob@example.org")
    pid = _paper_ids(app, 1)[0]
    alice.put(f"/api/me/library/{pid}", json={"tags": ["secret-tag"]})
    alice.patch(f"/api/me/library/{pid}", json={"note": "alice's private note"})
    search = alice.post("/api/me/searches", params={"q": "alice secret query"}).json()
    for path in (
        "/api/me/library", "/api/me/export?format=json", "/api/me/export?format=csv", "/api/me/searches",
        "/api/me/recommendations", "/api/me/alerts?since=1900-01-01", "/library", "/for-you", "/account",
        "/library/export?format=bibtex", "/library/export?format=csv", "/library/export?format=json",
    ):  # fmt: skip
        body = bob.get(path).text
        assert "secret-tag" not in body and "alice's private note" not in body and "alice secret" not in body, path
    assert bob.patch(f"/api/me/library/{pid}", json={"note": "bob"}).status_code == 404
    assert bob.delete(f"/api/me/searches/{search['id']}").json() == {"removed": False}
    assert bob.delete(f"/api/me/library/{pid}").json() == {"removed": False}
    form = {"csrf_token": _token(bob, "/library")}
    assert bob.post("/library/update", data={**form, "paper_id": pid, "note": "bob"}).status_code == 404
    bob.post(f"/searches/{search['id']}/delete", data=form)
    bob.post(f"/searches/{search['id']}/seen", data=form)
    bob.post("/library/unsave", data={**form, "paper_id": pid})
    assert [s["id"] for s in alice.get("/api/me/searches").json()["results"]] == [search["id"]]
    assert alice.get("/api/me/searches").json()["results"][0]["last_seen"] is None
    assert alice.get("/api/me/library").json()["results"][0]["library"]["note"] == "alice's private note"
    anonymous = TestClient(app)
    for path in ("/api/me", "/api/me/library", "/library", "/for-you", "/account"):
        assert anonymous.get(path).status_code == 401, path


def test_sessions_cannot_be_forged_and_logout_ends_them(app):
    client = _signed_in(app, "s@example.org")
    cookie = client.cookies[COOKIE]
    assert client.get("/api/me").status_code == 200
    other_key = type(app.state.library.signer)(b"another secret key!!")
    for forged in (cookie[:-3] + "abc", app.state.library.signer.sign("csrf", {"u": 1, "v": 1}),
                   other_key.sign("session", {"u": 1, "v": 1})):  # fmt: skip
        other = TestClient(app)
        other.cookies[COOKIE] = forged
        assert other.get("/api/me").status_code == 401
    client.post("/logout", data={"csrf_token": _token(client, "/account")})
    stale = TestClient(app)
    stale.cookies[COOKIE] = cookie
    assert stale.get("/api/me").status_code == 401


def test_posts_without_the_csrf_token_are_refused(app):
    client = _signed_in(app, "c@example.org")
    del client.headers["X-CSRF-Token"]
    pid = _paper_ids(app, 1)[0]
    assert client.post("/library/save", data={"paper_id": pid}).status_code == 403
    assert client.put(f"/api/me/library/{pid}").status_code == 403
    assert client.post("/login", data={"email": "c@example.org", "password": PASSWORD}).status_code == 403
    assert client.get("/api/me/library").json()["results"] == []


def test_password_hashes_never_leave_the_store(app):
    client = _signed_in(app, "h@example.org")
    stored = app.state.library.store.password_hash(app.state.library.store.user_by_email("h@example.org").id)
    assert stored.startswith("$argon2id$")
    digest = stored.split("$")[-1]
    for path in ("/api/me", "/account", "/library", "/for-you", "/api/me/export?format=json", "/latest"):
        assert digest not in client.get(path).text and "argon2" not in client.get(path).text, path


def test_a_secret_feed_url_serves_recommendations_until_revoked(app):
    client = _signed_in(app, "feed@example.org")
    for hit in app.state.library.search("language model", limit=2, mode="lexical").hits:
        client.put(f"/api/me/library/{hit.paper.id}", json={"tags": [HOSTILE]})
    url = re.search(r'class="feed-url" href="http://testserver([^"]+)"', client.get("/account").text).group(1)
    feed = TestClient(app).get(url)
    assert feed.status_code == 200 and "<item>" in feed.text and "in your library" in feed.text
    client.post("/account/feed/revoke", data={"csrf_token": _token(client, "/account")})
    assert TestClient(app).get(url).status_code == 404
    assert HOSTILE not in client.get("/library").text and HOSTILE not in client.get("/for-you").text


def test_login_failures_and_floods_get_their_own_status(app):
    client = TestClient(app)
    app.state.library.accounts.add("flood@example.org", PASSWORD, admin=False)
    token = _token(client)
    statuses = [client.post("/login", data={"email": "flood@example.org", "password": "wrong password!",
                                            "csrf_token": token}).status_code for _ in range(6)]  # fmt: skip
    assert statuses == [401] * 5 + [429]  # this account from this address: 5 a minute, then longer waits
    page = client.post("/login", data={"email": "flood@example.org", "password": PASSWORD, "csrf_token": token})
    assert page.status_code == 429 and "too many attempts" in page.text


def test_after_a_form_the_site_never_sends_a_visitor_to_another_site(app):
    client = _signed_in(app, "next@example.org")
    token = _token(client, "/login?next=//evil.example/x")
    assert 'name="next" value="/library"' in client.get("/login?next=//evil.example/x").text
    pid = _paper_ids(app, 1)[0]
    for target in ("//evil.example", "https://evil.example/", "/\\evil.example"):
        response = client.post("/vote", data={"paper_id": pid, "next": target, "csrf_token": token},
                               follow_redirects=False)  # fmt: skip
        assert response.status_code == 303 and response.headers["location"] == "/"


def test_a_paper_citing_the_library_rises_among_the_recommendations_and_says_so(app):
    from datetime import date

    from paperradar.models import CitedWork

    client = _signed_in(app, "cites@example.org")
    hits = app.state.library.search("diffusion image generation", limit=3, mode="lexical").hits
    for hit in hits:
        client.put(f"/api/me/library/{hit.paper.id}")
    wide = [r["id"] for r in client.get("/api/me/recommendations?limit=60").json()["results"]]
    citing = wide[12]  # the profile finds it, just below the first 10
    store = app.state.library.store
    with store.transaction():
        store.set_references(citing, "openalex", date(2026, 12, 1), [CitedWork((), paper_id=hits[0].paper.id)])
    found = client.get("/api/me/recommendations?limit=10").json()["results"]
    assert citing in [r["id"] for r in found]
    why = next(r["why"] for r in found if r["id"] == citing)
    assert why[0] == f"cites “{hits[0].paper.title}” from your library"
    assert all(r["why"][0].startswith("like “") for r in found if r["id"] != citing)
