"""Accounts in a real browser (Debian's chromium, no JavaScript): sign up, verify from the mail the real
SMTP sink received, log in, save a paper with a tag, see the library and /for-you."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest

from feed_corpus import load
from paperradar.service import Library
from paperradar.settings import load_settings
from servers import free_port, running_server
from web.test_browser import CHROMIUM, browser  # noqa: F401 - the shared browser fixture

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
PASSWORD = "correct horse battery"


@pytest.fixture
def site(tmp_path, smtp_sink) -> Iterator[str]:
    """`paperradar serve` on the small feed corpus (with vectors), mailing to the SMTP sink."""
    path = tmp_path / "accounts.db"
    library = Library.open(load_settings(database_url=f"sqlite:///{path}"))
    load(library.store)
    library.store.sync_text_index()
    library.embed_pending()
    library.close()
    port = free_port()
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": f"sqlite:///{path}", "PAPERRADAR_SMTP_URL": smtp_sink.url,
           "PAPERRADAR_HOME": str(tmp_path), "PAPERRADAR_PUBLIC_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    with running_server(env, tmp_path / "server.log", port) as url:
        yield url


def test_sign_up_verify_log_in_save_tag_and_for_you(browser, site, smtp_sink):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("reader@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    assert "Check your inbox" in page.locator("p.message").inner_text()

    (mail,) = smtp_sink.to("reader@example.org")
    link = re.search(r"(http://\S+/verify\?token=\S+)", mail.get_body(("plain",)).get_content()).group(1)
    page.goto(link)  # the link only asks (mail scanners fetch links too); the button verifies
    page.get_by_role("button", name="Verify my email").click()
    assert "reader@example.org is verified" in page.locator("p.message").inner_text()

    page.goto(site + "/login")
    page.get_by_label("Email").fill("reader@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.url.endswith("/library")
    assert page.locator("a.signed-in").inner_text() == "reader@example.org"

    page.goto(site + "/latest")
    card = page.locator("article.paper").filter(has_text="Diffusion models that draw hands")
    card.get_by_label("Tags").fill("vision, hands")
    card.get_by_role("button", name="Save with tags").click()
    assert "/latest" in page.url
    assert card.get_by_role("button", name=re.compile("Remove from library")).inner_text() == "Saved ✓"

    page.goto(site + "/library")
    assert page.locator("nav.tags").inner_text().count("(1)") == 2
    page.get_by_role("link", name="hands (1)").click()
    assert page.locator("article.paper h2").all_inner_texts() == ["Diffusion models that draw hands"]

    page.get_by_role("link", name="For you").first.click()
    assert page.locator("article.paper").count() >= 3
    assert "like “Diffusion models that draw hands” in your library" in page.locator("p.why").first.inner_text()
    context.close()
