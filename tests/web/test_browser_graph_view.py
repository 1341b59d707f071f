"""The graph view (/papers/{id}/graph) in a real browser (Debian's chromium) without script: read it at
desktop and phone width, photograph it, follow a node to its paper, and audit it with axe."""

from __future__ import annotations

import pytest

from web.test_browser import AXE, AXE_SHA256, CHROMIUM, SCREENSHOTS, browser  # noqa: F401 - shared fixture
from web.test_browser_graph import site  # noqa: F401 - the served seed corpus with the test edges
from web.test_graph_page import TITLES

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _svg_facts(page) -> dict:
    """What the drawn graph looks like on screen: its size, its nodes' links and how small they get."""
    return page.evaluate(
        """() => {
            const svg = document.querySelector('svg.neighbourhood'), box = svg.getBoundingClientRect();
            const circles = [...svg.querySelectorAll('a.node circle')].map(c => c.getBoundingClientRect());
            const texts = [...svg.querySelectorAll('a.node text')].map(t => t.getBoundingClientRect().height);
            return {width: box.width, height: box.height, nodes: circles.length,
                    links: svg.querySelectorAll('line.link').length,
                    inside: circles.every(c => c.left >= box.left - 0.5 && c.right <= box.right + 0.5
                                               && c.top >= box.top - 0.5 && c.bottom <= box.bottom + 0.5),
                    smallestText: Math.min(...texts),
                    scroll: [document.documentElement.scrollWidth, document.documentElement.clientWidth]};
        }"""
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_opens_the_graph_from_the_paper_page_and_follows_a_node(browser, site, width):  # noqa: F811
    url, ids = site
    context = browser.new_context(viewport=WIDTHS[width], java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{url}/papers/{ids['prompting']}")
    page.get_by_role("link", name="See its neighbourhood as a graph").click()
    page.wait_for_url(f"**/papers/{ids['prompting']}/graph")
    facts = _svg_facts(page)
    listed = page.locator("#neighbours ol.works > li > a").all_inner_texts()
    why = page.locator("#neighbours li", has_text=TITLES["hubert"]).inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"graph-view-{width}.png"), full_page=True)
    page.locator("figure.graph-view").screenshot(path=str(SCREENSHOTS / f"graph-view-{width}-figure.png"))
    node = page.locator(f'svg.neighbourhood a[href="/papers/{ids["hubert"]}"]')
    named = node.locator("title").text_content()
    node.click()
    page.wait_for_url(f"**/papers/{ids['hubert']}")
    followed = page.locator("h1").inner_text()
    context.close()

    assert facts["nodes"] == len(listed) + 1 and facts["nodes"] >= 30  # the paper and its neighbours
    assert facts["links"] > facts["nodes"] and facts["inside"]
    assert facts["scroll"][0] <= facts["scroll"][1], f"content {facts['scroll'][0]}px wide on a {width}"
    assert facts["width"] <= WIDTHS[width]["width"] and facts["height"] >= 0.9 * min(facts["width"], 640)
    assert facts["smallestText"] >= 10, f"the years under the nodes are {facts['smallestText']:.1f}px tall"
    assert {TITLES[n] for n in ("lora", "gans", "foundation", "hubert", "roformer")} <= set(listed)
    assert "cites this paper" in why and "(2021, " in why
    assert named.startswith(TITLES["hubert"] + " (2021") and "cites this paper" in named
    assert followed == TITLES["hubert"]


def _violations(page) -> list[str]:
    """Everything the pinned axe-core finds on the open page, of any impact, one line each."""
    import hashlib

    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256, f"{AXE} is not the pinned axe-core"
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]]  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_graph_view_has_no_accessibility_violations(browser, site, width, scheme):  # noqa: F811
    url, ids = site
    context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    for name in ("prompting", "ddpm"):  # with edges, and with similar papers only
        page.goto(f"{url}/papers/{ids[name]}/graph")
        bad = _violations(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"graph-view-{name}-{width}-{scheme}.png"), full_page=True)
        page.locator("figure.graph-view").screenshot(
            path=str(SCREENSHOTS / f"graph-view-{name}-{width}-{scheme}-figure.png")
        )
        assert not bad, f"graph view of {name} ({width}, {scheme}):\n" + "\n".join(bad)
    context.close()


def test_the_nodes_can_be_reached_and_seen_from_the_keyboard(browser, site):  # noqa: F811
    url, ids = site
    context = browser.new_context(viewport=WIDTHS["desktop"], java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{url}/papers/{ids['prompting']}/graph")
    page.focus(f'svg.neighbourhood a[href="/papers/{ids["lora"]}"]')
    ring = page.evaluate("getComputedStyle(document.activeElement.querySelector('circle')).strokeWidth")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/papers/{ids['lora']}")
    context.close()
    assert ring == "4px"
