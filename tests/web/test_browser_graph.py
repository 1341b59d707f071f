"""The citation graph on a paper page in a real browser (Debian's chromium): read, follow, audit, photograph."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from paperradar.service import Library
from paperradar.settings import load_settings
from servers import running_server
from web.test_browser import CHROMIUM, SCREENSHOTS, browser, serious_violations  # noqa: F401 - shared fixture
from web.test_graph_page import TITLES, seed_graph

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}


@pytest.fixture(scope="module")
def site(seeded_db, tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    """`paperradar serve` on a copy of the seed corpus with the test edges; its URL and the papers' ids."""
    folder = tmp_path_factory.mktemp("graph-browser")
    path = folder / "graph.db"
    shutil.copy(seeded_db, path)
    library = Library.open(load_settings(database_url=f"sqlite:///{path}"))
    ids = seed_graph(library, folder)
    library.close()
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": f"sqlite:///{path}"}
    with running_server(env, folder / "server.log") as url:
        yield url, ids


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_follows_a_reference_from_the_graph_sections(browser, site, width):  # noqa: F811
    url, ids = site
    context = browser.new_context(viewport=WIDTHS[width], java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{url}/papers/{ids['prompting']}")
    headings = page.locator("section.graph h2").all_inner_texts()
    references = page.locator("#references ol.works a").all_inner_texts()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    # A count such as "(2021, 3 778 citations)" or "2 shared neighbours" is never split across two lines.
    split = page.evaluate(
        "[...document.querySelectorAll('section.graph .year, section.graph .shared, section.graph .n')]"
        ".filter(e => e.getClientRects().length > 1).map(e => e.textContent)"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"paper-graph-{width}.png"), full_page=True)
    page.locator("#cited-by").get_by_role("link", name=TITLES["hubert"]).click()
    page.wait_for_url(f"**/papers/{ids['hubert']}")
    followed = page.locator("h1").inner_text()
    context.close()
    assert headings == ["References", "Cited by", "Prior works", "Derivative works"]
    assert references == [TITLES["lora"], TITLES["gans"], TITLES["foundation"]]
    assert widths[0] <= widths[1], f"content {widths[0]}px wide in a {widths[1]}px screen"
    assert split == []
    assert followed == TITLES["hubert"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_graph_sections_have_no_serious_accessibility_violations(browser, site, width, scheme):  # noqa: F811
    url, ids = site
    context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{url}/papers/{ids['prompting']}")
    bad = serious_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"paper-graph-{width}-{scheme}.png"), full_page=True)
    context.close()
    assert not bad, f"paper page with its graph ({width}, {scheme}):\n" + "\n".join(bad)
