"""Subscribing and unsubscribing through the real app over HTTP (`paperradar serve`), with the mail
going to a real SMTP server: double opt-in, one-click unsubscribe, CSRF and the rate limit."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from digest_support import DAY, cli, environment
from paperradar.store import open_store
from servers import free_port as _free_port
from servers import running_server
from smtp_sink import SmtpSink

RATE = 8  # subscribe posts one address may make per hour in this module's server


@pytest.fixture(scope="module")
def sink() -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    found = SmtpSink(port=_free_port())
    controller = Controller(found, hostname=found.host, port=found.port)
    controller.start()
    yield found
    controller.stop()


@pytest.fixture(scope="module")
def site(feed_db: Path, sink: SmtpSink, tmp_path_factory) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    """The server on a copy of the feed corpus, its public URL its own address; and its environment."""
    import shutil

    home = tmp_path_factory.mktemp("subscribe")
    shutil.copy(feed_db, home / "site.db")
    port = _free_port()
    env = environment(f"sqlite:///{home / 'site.db'}", sink.url, home, PAPERRADAR_PUBLIC_URL=f"http://127.0.0.1:{port}",
                      PAPERRADAR_SUBSCRIBE_RATE_LIMIT=f"{RATE}/hour")  # fmt: skip
    with running_server(env, home / "server.log", port) as url, httpx.Client(base_url=url, timeout=10) as client:
        yield client, env


def _status(env: dict[str, str], email: str) -> str | None:
    store = open_store(env["PAPERRADAR_DATABASE_URL"])
    found = store.subscriber(email)
    store.close()
    return found.status if found else None


def _form_token(client: httpx.Client) -> str:
    page = client.get(f"/daily/{DAY}").text
    assert 'action="/subscribe"' in page and 'type="email"' in page
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def _link(text: str, path: str) -> str:
    match = re.search(rf"https?://\S+{re.escape(path)}\?token=[\w.\-]+", text)
    assert match, text
    return match.group(0)


def test_subscribing_sends_a_link_that_confirms_and_an_active_address_gets_nothing_more(site, sink):
    client, env = site
    token = _form_token(client)
    answer = client.post("/subscribe", data={"email": " Reader@EXAMPLE.org ", "csrf_token": token})
    assert answer.status_code == 200 and "Check your inbox" in answer.text
    [mail] = sink.wait_for("Reader@example.org")
    assert _status(env, "reader@example.org") == "pending"
    assert mail["Subject"] == "Confirm your paperradar digest" and mail["Message-ID"] and mail["Date"]
    link = _link(mail.get_content(), "/subscribe/confirm")

    asked = client.get(link)  # what a mail scanner fetches: it only asks
    assert asked.status_code == 200 and "Reader@example.org" in asked.text and "<button" in asked.text
    assert _status(env, "reader@example.org") == "pending"
    form = {name: html.unescape(value) for name, value in re.findall(r'name="(\w+)" value="([^"]+)"', asked.text)}
    confirmed = client.post("/subscribe/confirm", data=form)
    assert confirmed.status_code == 200 and "You are subscribed" in confirmed.text
    assert client.post("/subscribe/confirm", data={"token": form["token"]}).status_code == 403  # no CSRF token
    assert _status(env, "reader@example.org") == "active"
    again = client.post("/subscribe", data={"email": "reader@example.org", "csrf_token": token})
    assert again.text == answer.text and len(sink.to("Reader@example.org")) == 1  # reveals and sends nothing


def test_a_subscribe_post_without_the_forms_token_or_with_a_bad_address_changes_nothing(site, sink):
    client, env = site
    assert client.post("/subscribe", data={"email": "forged@example.org"}).status_code == 403
    bad = client.post("/subscribe", data={"email": "not an address", "csrf_token": _form_token(client)},
                      headers={"Accept": "application/json"})  # fmt: skip
    assert bad.status_code == 422 and bad.json()["error"].startswith("email: not an email address")
    assert _status(env, "forged@example.org") is None and sink.to("forged@example.org") == []
    assert client.get("/subscribe/confirm", params={"token": "made.up.token"}).status_code == 422


def test_the_digests_link_asks_first_and_the_one_click_post_unsubscribes_without_csrf(site, sink):
    client, env = site
    assert cli(env, "subscribers", "add", "leaving@example.org", "--confirmed").returncode == 0
    assert cli(env, "digest", "send", "--date", DAY).returncode == 0
    [digest] = sink.to("leaving@example.org")
    url = digest["List-Unsubscribe"].strip("<>")
    assert url in digest.get_body(("html",)).get_content().replace("&amp;", "&")

    page = client.get(url)  # a link scanner or a click: only asks
    assert page.status_code == 200 and "leaving@example.org" in page.text and "<button" in page.text
    assert _status(env, "leaving@example.org") == "active"
    form_action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    assert form_action == url.removeprefix(str(client.base_url).rstrip("/"))

    # What a mail client sends for RFC 8058: a bare POST, no cookie, no CSRF token.
    one_click = httpx.post(url, data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and "Unsubscribed" in one_click.text
    assert _status(env, "leaving@example.org") == "unsubscribed"
    assert httpx.post(url[:-3] + "xyz", data={"List-Unsubscribe": "One-Click"}).status_code == 422


def test_asking_twice_for_a_pending_address_sends_one_confirmation(site, sink):
    client, _ = site
    token = _form_token(client)
    for _ in range(2):
        assert client.post("/subscribe", data={"email": "twice@example.org", "csrf_token": token}).status_code == 200
    client.post("/subscribe", data={"email": "after-twice@example.org", "csrf_token": token})
    sink.wait_for("after-twice@example.org")  # the confirmations go out in order: both asks are done
    assert len(sink.to("twice@example.org")) == 1  # the next one an hour later at the earliest


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
def test_a_visitor_subscribes_from_the_daily_page_in_a_browser_and_confirms(site, sink):
    playwright_api = pytest.importorskip("playwright.sync_api")
    client, env = site
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(f"{client.base_url}/daily/{DAY}")
        page.get_by_label("Get the trending papers by email, once a day").fill("browser@example.org")
        page.get_by_role("button", name="Subscribe").click()
        assert page.locator("h1").inner_text() == "Check your inbox"
        [mail] = sink.wait_for("browser@example.org")
        page.goto(_link(mail.get_content(), "/subscribe/confirm"))
        page.get_by_role("button", name="Confirm").click()
        assert page.locator("h1").inner_text() == "You are subscribed"
        browser.close()
    assert _status(env, "browser@example.org") == "active"


def test_subscribing_is_rate_limited_per_address(site, sink):
    client, env = site
    token = _form_token(client)
    codes = [client.post("/subscribe", data={"email": f"flood{n}@example.org", "csrf_token": token}).status_code
             for n in range(RATE + 1)]  # fmt: skip
    assert 429 in codes
    blocked = codes.index(429)
    assert _status(env, f"flood{blocked}@example.org") is None and sink.to(f"flood{blocked}@example.org") == []
