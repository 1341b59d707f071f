"""Signed tokens and CSRF: what every form and emailed link of paperradar relies on."""

import os
import stat
import time

import pytest
from fastapi import Depends, Request
from fastapi.testclient import TestClient

from paperradar.settings import load_settings
from paperradar.tokens import InvalidToken, Signer, load_secret
from paperradar.web import csrf
from paperradar.web.app import create_app
from paperradar.web.csrf import COOKIE, require_csrf


def test_a_token_comes_back_only_for_its_purpose_and_unaltered():
    signer = Signer(b"k" * 32)
    token = signer.sign("unsubscribe", {"email": "a@example.org"})
    assert signer.unsign("unsubscribe", token) == {"email": "a@example.org"}
    with pytest.raises(InvalidToken, match="login token: not valid"):
        signer.unsign("login", token)
    with pytest.raises(InvalidToken):
        signer.unsign("unsubscribe", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    with pytest.raises(InvalidToken):
        Signer(b"another secret key!!").unsign("unsubscribe", token)


def test_an_old_token_is_refused_when_it_may_not_be_old():
    signer = Signer(b"k" * 32)
    token = signer.sign("reset", 7)
    time.sleep(1.1)  # itsdangerous counts whole seconds
    with pytest.raises(InvalidToken, match="expired"):
        signer.unsign("reset", token, max_age=0)


def test_the_secret_is_made_once_and_kept_private(tmp_path):
    first = load_secret(None, tmp_path)
    assert load_secret(None, tmp_path) == first and len(first) >= 32
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert load_secret("configured-secret-key", tmp_path) == b"configured-secret-key"


@pytest.fixture
def client(tmp_path):
    app = create_app(load_settings(database_url=f"sqlite:///{tmp_path / 'csrf.db'}", home=tmp_path))

    @app.get("/form")
    def form(request: Request) -> dict:  # stands for any page with a form: it renders the visitor's token
        return {"token": csrf.token(request)}

    @app.post("/probe", dependencies=[Depends(require_csrf)])
    def probe() -> dict:
        return {"changed": True}

    with TestClient(app) as http:
        yield http


def test_a_post_without_the_token_is_refused(client):
    client.get("/form")
    assert COOKIE in client.cookies
    refused = client.post("/probe", data={"x": "1"})
    assert refused.status_code == 403 and "reload the page" in refused.json()["error"]
    assert client.post("/probe", data={"csrf_token": "0" * 64}).status_code == 403


def test_a_post_with_the_visitors_token_goes_through(client):
    token = client.get("/form").json()["token"]
    assert client.get("/form").json()["token"] == token  # the cookie keeps it steady across pages
    assert client.post("/probe", data={"csrf_token": token}).json() == {"changed": True}
    assert client.post("/probe", headers={"X-CSRF-Token": token}).json() == {"changed": True}
    # the same token with another visitor's cookie is refused: it is bound to the cookie it was made for
    client.cookies.clear()
    client.cookies.set(COOKIE, "another-visitors-cookie-value-123")
    assert client.post("/probe", data={"csrf_token": token}).status_code == 403


def _page_token(client, path: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_a_planted_cookie_and_its_token_cannot_write_into_another_users_library(seeded, tmp_path):
    from fastapi.testclient import TestClient

    from paperradar.settings import load_settings
    from paperradar.web.app import create_app

    seeded.settings = load_settings(database_url=seeded.settings.database, home=tmp_path, secret_key="s" * 32)
    app = create_app(seeded.settings, library=seeded)
    victim = TestClient(app)
    seeded.accounts.add("victim@example.org", "correct horse battery", admin=False)
    login = {"email": "victim@example.org", "password": "correct horse battery",
             "csrf_token": _page_token(victim, "/login")}  # fmt: skip
    assert victim.post("/login", data=login, follow_redirects=False).status_code == 303
    planted = "planted-by-a-sibling-domain-0123456789"
    attacker = TestClient(app)  # the attacker asks for a page with the value they will plant, and gets its token
    attacker.cookies.set(COOKIE, planted)
    forged = _page_token(attacker, "/login")
    victim.cookies.delete(COOKIE)  # the planted value replaces the victim's own
    victim.cookies.set(COOKIE, planted)
    paper = seeded.latest(limit=1).hits[0].paper.id
    answer = victim.post("/library/save", data={"paper_id": paper, "csrf_token": forged}, follow_redirects=False)
    assert answer.status_code == 403
    assert seeded.shelf.entries(seeded.accounts.user_for_session(victim.cookies.get("pr_session")), None) == []
    # the victim's own page, in their session, carries a token that works
    own = victim.post("/library/save", data={"paper_id": paper, "csrf_token": _page_token(victim, "/library")},
                      follow_redirects=False)  # fmt: skip
    assert own.status_code == 303


def test_over_https_the_cookie_is_host_prefixed_and_secure(client):
    from fastapi.testclient import TestClient

    secure = TestClient(client.app, base_url="https://testserver")
    page = secure.get("/login")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("__Host-pr_csrf=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie
    token = _page_token(secure, "/login")
    sent = secure.post("/login", data={"email": "x@example.org", "password": "wrong one", "csrf_token": token})
    assert sent.status_code == 401  # past the CSRF check: the login itself says no
