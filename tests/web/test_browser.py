"""The pages in a real browser (Debian's chromium through Playwright), as a visitor uses them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from feed_corpus import load
from paperradar.service import Library
from paperradar.settings import load_settings

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    """`paperradar serve` on the small feed corpus."""
    path = tmp_path_factory.mktemp("browser") / "browser.db"
    library = Library.open(load_settings(database_url=f"sqlite:///{path}"))
    load(library.store)
    library.store.sync_text_index()
    library.close()
    port = _free_port()
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": f"sqlite:///{path}"}
    log = (path.parent / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "paperradar", "serve", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url + "/api/stats")
            break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail((path.parent / "server.log").read_text())
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(java_script_enabled=False)  # every page must work without JavaScript
    yield context.new_page()
    context.close()


def test_the_daily_page_lists_papers_and_navigates_days(page, base_url, tmp_path):
    page.goto(base_url + "/")
    assert page.locator("h1").inner_text() == "Papers of Friday 3 May 2024"
    assert page.locator("article.paper").count() == 2
    page.screenshot(path=str(tmp_path / "daily.png"))
    page.get_by_role("link", name="← 2024-05-01").click()
    page.wait_for_url("**/daily/2024-05-01")
    titles = page.locator("article.paper h2").all_inner_texts()
    assert titles[0] == "Diffusion models that draw hands" and len(titles) == 3


def test_the_abstract_expands(page, base_url):
    page.goto(base_url + "/daily/2024-05-01")
    details = page.locator("details.abstract").first
    full = details.locator("p")
    assert not full.is_visible()
    details.locator("summary").click()
    assert full.is_visible() and "Abstract of Diffusion models" in full.inner_text()


def test_search_works_from_the_keyboard_alone(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    for _ in range(10):  # on to the search box, however many links come before it
        if page.evaluate("document.activeElement.id") == "site-q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "site-q"
    page.keyboard.type("sparse attention")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=sparse+attention**")
    assert "Sparse attention for long documents" in page.locator("main").inner_text()


def test_focus_is_visible(page, base_url):
    page.goto(base_url + "/")
    page.focus("#site-q")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_dark_mode_follows_the_system(page, base_url):
    page.goto(base_url + "/")
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(background)
    assert light == "rgb(255, 255, 255)" and dark != light


@pytest.mark.parametrize("path", ["/", "/daily/2024-05-03", "/trending?window=month", "/search?q=agents", "/best"])
def test_phone_width_has_no_horizontal_scroll(browser, base_url, path):
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + path)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert widths[0] <= widths[1], f"{path}: content {widths[0]}px wide in a {widths[1]}px screen"


def test_every_control_has_a_label(page, base_url):
    for path in ["/", "/trending", "/search?q=x", "/best"]:
        page.goto(base_url + path)
        unlabelled = page.evaluate(
            "[...document.querySelectorAll('input:not([type=hidden]), select')]"
            ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)"
        )
        assert unlabelled == [], path


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    """Screenshots of each page, kept with pytest's temporary folders (the last three runs)."""
    return tmp_path_factory.mktemp("screenshots")


def test_a_visitor_opens_a_paper_a_best_of_list_and_a_feed(page, base_url, screenshots):
    import defusedxml.ElementTree as DET

    page.goto(base_url + "/daily/2024-05-01")
    page.screenshot(path=str(screenshots / "daily.png"), full_page=True)
    page.get_by_role("link", name="Diffusion models that draw hands").click()
    page.wait_for_url("**/papers/2405.00002")
    assert "@misc{lovelace2024diffusion," in page.locator("pre.bibtex").inner_text()
    page.screenshot(path=str(screenshots / "paper.png"), full_page=True)
    page.goto(base_url + "/best/2024?category=cs.CL")
    assert page.locator("article.paper").count() == 3
    page.screenshot(path=str(screenshots / "best.png"), full_page=True)
    page.goto(base_url + "/trending?window=month")
    page.screenshot(path=str(screenshots / "trending.png"), full_page=True)
    href = page.locator('link[rel=alternate][type="application/rss+xml"]').get_attribute("href")
    items = DET.fromstring(httpx.get(base_url + href).content).findall("channel/item")
    assert "+40 citations this month (openalex)" in " ".join(i.findtext("description") or "" for i in items)
