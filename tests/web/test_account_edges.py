"""The edges of accounts through the real app: links in mail never come from the request's Host, a
guesser elsewhere never locks the owner out, a reset ends the old feed URL, mailed links only ask, and
the subscribe form answers before the mail relay does."""

from __future__ import annotations

import html
import re
import threading

import pytest
from fastapi.testclient import TestClient

from paperradar.settings import load_settings
from paperradar.web.app import create_app

PASSWORD = "correct horse battery"
SITE = "https://papers.example.org"


@pytest.fixture
def mailing_app(seeded_library, smtp_sink, tmp_path):
    """The app on each backend, mailing through a real SMTP server, its site configured as SITE."""
    settings = load_settings(database_url=seeded_library.settings.database, home=tmp_path, secret_key="s" * 32,
                             smtp_url=smtp_sink.url, public_url=SITE)  # fmt: skip
    seeded_library.settings = settings
    return create_app(settings, library=seeded_library)


def _form(page: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', page)}


def _token(client: TestClient, path: str = "/login") -> str:
    return _form(client.get(path).text)["csrf_token"]


def _login(client: TestClient, email: str, password: str) -> int:
    return client.post("/login", data={"email": email, "password": password, "csrf_token": _token(client)},
                       follow_redirects=False).status_code  # fmt: skip


def _link(message, path: str) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(rf"(\S+){re.escape(path)}\?token=(\S+)", body).group(0)


def test_a_reset_mail_links_to_the_configured_site_whatever_host_the_request_names(mailing_app, smtp_sink):
    mailing_app.state.library.accounts.add("host@example.org", PASSWORD, admin=False)
    client = TestClient(mailing_app, base_url="http://evil.example")
    said = client.post("/forgot", data={"email": "host@example.org", "csrf_token": _token(client, "/forgot")},
                       headers={"Host": "evil.example"})  # fmt: skip
    assert said.status_code == 200
    [mail] = smtp_sink.to("host@example.org")
    assert _link(mail, "/reset").startswith(f"{SITE}/reset?token=") and "evil.example" not in mail.as_string()


def test_with_allowed_hosts_another_host_is_refused(seeded, tmp_path):
    settings = load_settings(database_url=seeded.settings.database, home=tmp_path, secret_key="s" * 32,
                             allowed_hosts="papers.example.org")  # fmt: skip
    app = create_app(settings, library=seeded)
    assert TestClient(app, base_url="http://papers.example.org").get("/login").status_code == 200
    assert TestClient(app, base_url="http://evil.example").get("/login").status_code == 400


def test_guesses_from_one_address_slow_that_address_and_the_owner_logs_in_from_another(both_app):
    both_app.state.library.accounts.add("owner@example.org", PASSWORD, admin=False)
    guesser = TestClient(both_app, client=("203.0.113.9", 40000))
    statuses = [_login(guesser, "owner@example.org", f"guess number {n}") for n in range(11)]
    assert statuses == [401] * 5 + [429] * 6  # slowed after 5 a minute, with longer waits after
    page = guesser.post("/login", data={"email": "owner@example.org", "password": PASSWORD,
                                        "csrf_token": _token(guesser)})  # fmt: skip
    assert page.status_code == 429 and "too many attempts" in page.text
    owner = TestClient(both_app, client=("198.51.100.20", 40000))
    assert _login(owner, "owner@example.org", PASSWORD) == 303  # not locked out by someone else's guesses


def test_a_password_reset_ends_the_old_feed_address(mailing_app, smtp_sink):
    library = mailing_app.state.library
    library.accounts.add("feed@example.org", PASSWORD, admin=False)
    client = TestClient(mailing_app)
    assert _login(client, "feed@example.org", PASSWORD) == 303
    old = re.search(r'class="feed-url" href="http://testserver([^"]+)"', client.get("/account").text).group(1)
    assert TestClient(mailing_app).get(old).status_code == 200
    client.post("/forgot", data={"email": "feed@example.org", "csrf_token": _token(client, "/forgot")})
    reset = _link(smtp_sink.to("feed@example.org")[0], "/reset").removeprefix(SITE)
    form = _form(client.get(reset).text)
    assert client.post("/reset", data={**form, "password": "a new long password"}).status_code == 200
    assert TestClient(mailing_app).get(old).status_code == 404  # whoever read the old URL reads no more
    assert _login(client, "feed@example.org", "a new long password") == 303
    new = re.search(r'class="feed-url" href="http://testserver([^"]+)"', client.get("/account").text).group(1)
    assert new != old and TestClient(mailing_app).get(new).status_code == 200


def test_opening_a_verification_link_only_asks_and_the_button_verifies(mailing_app, smtp_sink):
    client = TestClient(mailing_app)
    client.post("/signup", data={"email": "scan@example.org", "password": PASSWORD,
                                 "csrf_token": _token(client, "/signup")})  # fmt: skip
    link = _link(smtp_sink.to("scan@example.org")[0], "/verify").removeprefix(SITE)
    store = mailing_app.state.library.store
    scanner = TestClient(mailing_app)
    for _ in range(2):
        page = scanner.get(link)  # what a mail scanner does with every link
        assert page.status_code == 200 and "Verify my email" in page.text
    assert not store.user_by_email("scan@example.org").verified
    assert scanner.post("/verify", data={"token": _form(page.text)["token"]}).status_code == 403  # no CSRF token
    done = scanner.post("/verify", data=_form(page.text))
    assert done.status_code == 200 and "scan@example.org is verified" in done.text
    assert store.user_by_email("scan@example.org").verified


def test_the_subscribe_form_answers_before_the_mail_relay_does(mailing_app, smtp_sink):
    smtp_sink.held = True  # the relay accepts the message only when the test releases it
    safety = threading.Timer(30, smtp_sink.release.set)  # so a failing run still ends
    safety.start()
    try:
        client = TestClient(mailing_app)
        page = client.get("/latest").text  # a list page: it carries the subscribe form
        answer = client.post("/subscribe", data={"email": "slow@example.org", "csrf_token": _form(page)["csrf_token"]})
        answered_before_the_relay = not smtp_sink.release.is_set()
        assert answer.status_code == 200 and "Check your inbox" in answer.text
        assert answered_before_the_relay  # so how long the form takes tells nothing about the address
        smtp_sink.release.set()
        [mail] = smtp_sink.wait_for("slow@example.org")
        assert mail["Subject"] == "Confirm your paperradar digest"
    finally:
        safety.cancel()
        smtp_sink.release.set()


@pytest.fixture
def both_app(seeded_library, tmp_path):
    settings = load_settings(database_url=seeded_library.settings.database, home=tmp_path, secret_key="s" * 32)
    seeded_library.settings = settings
    return create_app(settings, library=seeded_library)


def _hold_the_write_lock(app):
    """Take the store's write lock from another connection, as an import's open batch does; returns a
    function that lets it go."""
    url = app.state.library.settings.database
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")  # SQLite's write lock, held until the rollback
        return lambda: (conn.execute("ROLLBACK"), conn.close())
    import psycopg

    from paperradar.store.postgres.store import _WRITE_LOCKS

    conn = psycopg.connect(url)
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCKS["papers"],))
    return lambda: (conn.rollback(), conn.close())


def test_a_login_goes_through_while_an_import_holds_the_write_lock(both_app):
    both_app.state.library.accounts.add("busy@example.org", PASSWORD, admin=False)
    client = TestClient(both_app)
    token = _token(client)
    release = _hold_the_write_lock(both_app)
    released = threading.Event()
    safety = threading.Timer(20, lambda: (released.set(), release()))  # so a failing run still ends
    safety.start()
    try:
        response = client.post("/login", data={"email": "busy@example.org", "password": PASSWORD,
                                                "csrf_token": token}, follow_redirects=False)  # fmt: skip
        answered_while_held = not released.is_set()
        assert response.status_code == 303 and response.headers["location"] == "/library"
        assert answered_while_held  # the login never waited for the import's lock
        assert "busy@example.org" in client.get("/library").text
    finally:
        safety.cancel()
        if not released.is_set():
            released.set()
            release()
