"""The pages in a real browser (Debian's chromium through Playwright), as a visitor uses them."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from feed_corpus import HOSTILE_DAY, load, load_hostile
from paperradar.service import Library
from paperradar.settings import load_settings
from servers import running_server

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).parents[2]
# axe-core 4.10.2, vendored (tests/web/vendor/README.md says where from and under which licence), pinned by hash.
AXE = ROOT / "tests" / "web" / "vendor" / "axe.min.js"
AXE_SHA256 = "b511cd9dec01c76f4b2ad1723b66b6db37d4c2eb4ed199076e1829d9ee7b75e3"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"  # git-ignored; CI keeps the folder as the run's artifacts
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip


pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    """`paperradar serve` on the small feed corpus."""
    path = tmp_path_factory.mktemp("browser") / "browser.db"
    library = Library.open(load_settings(database_url=f"sqlite:///{path}"))
    load(library.store)
    load_hostile(library.store)
    library.store.sync_text_index()
    library.close()
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": f"sqlite:///{path}"}
    with running_server(env, path.parent / "server.log") as url:
        yield url


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


def test_the_daily_page_lists_papers_and_navigates_days(page, base_url):
    page.goto(base_url + "/")
    assert page.locator("h1").inner_text() == "Papers of Friday 3 May 2024"
    assert page.locator("article.paper").count() == 2
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
def screenshots() -> Path:
    """Screenshots of each page, in test-artifacts/screenshots at the project root (replaced each run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


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
    assert "+40 citations in 30 days (openalex)" in " ".join(i.findtext("description") or "" for i in items)


def test_a_search_result_leads_to_similar_papers(page, base_url, screenshots):
    page.goto(base_url + "/search?q=attention&mode=lexical")
    assert page.locator("article.paper mark").first.inner_text().lower() == "attention"
    page.screenshot(path=str(screenshots / "search.png"), full_page=True)
    page.locator("a.similar-link").first.click()
    page.wait_for_url("**/papers/2405.00001#similar")
    assert page.locator("#similar h2").inner_text() == "Similar papers"


# The pages the browser tests open, each checked by axe-core and photographed.
AUDITED = {
    "daily": "/daily/2024-05-01",
    "search": "/search?q=attention+agents",
    "paper": "/papers/2405.00002",
    "best": "/best/2024?category=cs.CL",
    "trending": "/trending?window=month",
    "hostile": f"/daily/{HOSTILE_DAY}",
}


def serious_violations(page) -> list[str]:
    """What the pinned axe-core finds serious or critical on the open page, one line each. The page's
    context must run JavaScript and bypass the CSP: axe is a script (the pages have none of their own)."""
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256, f"{AXE} is not the pinned axe-core"
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", AUDITED)
def test_no_serious_accessibility_violations(browser, base_url, screenshots, name, scheme):
    context = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.goto(base_url + AUDITED[name])
    bad = serious_violations(page)
    page.screenshot(path=str(screenshots / f"{name}-{scheme}.png"), full_page=True)
    context.close()
    assert not bad, f"{AUDITED[name]} ({scheme}):\n" + "\n".join(bad)


@pytest.mark.parametrize("path", [f"/daily/{HOSTILE_DAY}", "/papers/2404.00101", "/search?q=overlong&mode=lexical"])
def test_a_10k_character_title_wraps_at_phone_width(browser, base_url, screenshots, path):
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + path)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    title = page.locator("h1" if "/papers/" in path else "a[href='/papers/2404.00101']").first.bounding_box()
    page.screenshot(path=str(screenshots / f"phone-long-title-{path.split('/')[1].split('?')[0]}.png"))
    context.close()
    assert widths[0] <= widths[1], f"{path}: content {widths[0]}px wide in a {widths[1]}px screen"
    assert title and title["width"] <= widths[1] and title["height"] > 800  # it wraps onto many lines


def test_rtl_titles_read_right_to_left(page, base_url):
    page.goto(base_url + f"/daily/{HOSTILE_DAY}")
    rtl = page.locator("a[href='/papers/2404.00102']")
    ltr = page.locator("a[href='/papers/2404.00101']")
    assert rtl.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert ltr.evaluate("e => getComputedStyle(e).direction") == "ltr"
