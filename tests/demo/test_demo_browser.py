"""The demo's daily, weekly, trending and paper pages in a real browser, at desktop and phone width,
audited by axe-core and photographed (test-artifacts/screenshots/demo-*.png)."""

from __future__ import annotations

import pytest

from web.test_browser import ARGS, AXE, CHROMIUM, ROOT, SCREENSHOTS

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")

PAGES = {
    "daily": ("/", "Papers of Wednesday 1 July 2026"),
    "weekly": ("/weekly/2026-W27", "Papers of week 2026-W27 (29 Jun – 5 Jul 2026)"),
    "trending": ("/trending", "Trending this week (to 2026-07-01)"),
    "paper": ("/papers/2606.30875", "The Label Imitation Game"),
}
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_a_demo_page_reads_at_desktop_and_phone_width(browser, demo_url, name, width):
    path, heading = PAGES[name]
    # axe is a script: this context runs it past the CSP (the pages themselves have no JavaScript).
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(demo_url + path)
    assert page.locator("h1").inner_text().startswith(heading)
    if name != "paper":
        assert page.locator("article.paper").count() == 25
        assert "Demo data up to 2026-07-01" in page.locator("main").inner_text()
        assert page.locator("article.paper .authors a").count() >= 25  # real authors, linked
    else:
        assert page.get_by_role("link", name="Brent A. Griffin").count() == 1
        assert page.get_by_role("link", name="Code").get_attribute("href") == "https://github.com/voxel51/ttn"
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"demo-{name}-{width}.png"), full_page=name == "paper")
    bad = []
    if AXE.exists():
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [f"{v['id']} ({v['impact']}): {v['help']}" for v in results["violations"]
               if v["impact"] in ("serious", "critical")]  # fmt: skip
    context.close()
    assert scroll <= inner, f"{path}: content {scroll}px wide in a {inner}px screen"
    assert not bad, f"{path} at {width} ({AXE.relative_to(ROOT)}):\n" + "\n".join(bad)
