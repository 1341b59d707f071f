"""A new user's first run in a real browser (Debian's chromium): the API browser works offline, the
signed-in header keeps to one row at 1280 px, and every form of the site, submitted with its fields
left empty, answers with a page, never a 422 or a 500 (issue 14)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from servers import running_server
from web.test_browser import CHROMIUM, SCREENSHOTS, browser  # noqa: F401 - the shared browser fixture

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")
PASSWORD = "correct horse battery"
SIGNED_OUT = ["/", "/latest", "/search?q=lottery", "/best", "/best/2021", "/trending", "/signup", "/login", "/forgot"]
SIGNED_IN = ["/latest", "/search?q=language+model", "/library", "/for-you", "/account"]


@pytest.fixture(scope="module")
def site(seeded_db: Path, tmp_path_factory) -> Iterator[str]:
    """`paperradar serve` on a copy of the seed papers, with no mail configured."""
    import shutil

    home = tmp_path_factory.mktemp("first-run")
    shutil.copy(seeded_db, home / "paperradar.db")
    env = {k: v for k, v in os.environ.items() if k not in ("PAPERRADAR_SMTP_URL", "PAPERRADAR_DATABASE_URL")}
    env["PAPERRADAR_HOME"] = str(home)
    with running_server(env, home / "server.log") as url:
        yield url


def _sign_up(page, site: str, email: str) -> None:
    page.goto(site + "/signup")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()


def test_the_api_browser_renders_offline_under_the_sites_csp(browser, site):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if message.type == "error" else None)
    page.goto(site + "/api/docs")
    page.locator(".opblock").first.wait_for(timeout=20_000)
    assert page.locator(".opblock").count() >= 20 and "/api/search" in page.locator("#swagger-ui").inner_text()
    assert not blocked, blocked
    page.screenshot(path=str(SCREENSHOTS / "api-docs.png"))
    context.close()


def test_the_signed_in_header_keeps_to_one_row_at_1280_px(browser, site):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    _sign_up(page, site, "a.rather.long.address.indeed@example-university.org")
    page.goto(site + "/latest")
    brand, search = page.locator("a.brand").bounding_box(), page.locator("form.search").bounding_box()
    assert page.locator("a.signed-in").is_visible()
    assert search["y"] < brand["y"] + brand["height"], "the search box wrapped to a second row"
    page.screenshot(path=str(SCREENSHOTS / "header-signed-in-1280.png"))
    page.set_viewport_size({"width": 390, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / "header-signed-in-390.png"))
    context.close()


FORMS = "main form, header form"
KINDS = ("text", "search", "email", "password", "number")
TYPED = ", ".join(f"input[type={kind}]" for kind in KINDS) + ", input:not([type])"


def _kind(form) -> str:
    """What sets one form apart from another: where it goes and what can be typed into it (the 25 cards
    of a page have one save form each; submitting one of them says what all of them do)."""
    names = [field.get_attribute("name") or "" for field in form.locator(TYPED).all()]
    return f"{form.get_attribute('action')} {sorted(names)}"


def _submit_every_form_empty(context, site: str, paths: list[str]) -> list[str]:
    """Open each page, and for each kind of form on it in turn: clear what can be typed in and press its
    button as a user would; returns what went wrong (a 422 or a 5xx answer, or a page without a heading)."""
    problems, page = [], context.new_page()
    answers: list[int] = []
    page.on("response", lambda r: answers.append(r.status) if r.request.resource_type == "document" else None)
    for path in paths:
        page.goto(site + path)
        kinds = list(dict.fromkeys(_kind(form) for form in page.locator(FORMS).all()))
        for kind in kinds:
            if kind.startswith("/logout "):
                continue  # ends the session the other forms need; logging out is not a field left empty
            page.goto(site + path)
            form = next((f for f in page.locator(FORMS).all() if _kind(f) == kind), None)
            if form is None:  # an earlier submission changed the page (a saved paper has no save form)
                continue
            for field in form.locator(TYPED).all():
                if field.is_visible():
                    field.fill("")
            answers.clear()
            form.locator("button[type=submit], button:not([type])").first.click()
            page.wait_for_load_state()
            bad = [status for status in answers if status == 422 or status >= 500]
            if bad or page.locator("h1").count() == 0:
                problems.append(f"{path}: {kind}: {bad or 'no heading'}")
    page.close()
    return problems


def test_every_form_left_empty_answers_with_a_page(browser, site):  # noqa: F811
    signed_out = browser.new_context(java_script_enabled=False)
    assert _submit_every_form_empty(signed_out, site, SIGNED_OUT) == []
    signed_out.close()
    signed_in = browser.new_context(java_script_enabled=False)
    page = signed_in.new_page()
    _sign_up(page, site, "forms@example.org")
    page.goto(site + "/latest")
    page.locator("article.paper").first.get_by_role("button", name=re.compile("^Save to library")).click()
    paper = page.locator("article.paper").first.get_attribute("id").removeprefix("p-")
    page.close()
    assert _submit_every_form_empty(signed_in, site, [*SIGNED_IN, f"/papers/{paper}"]) == []
    signed_in.close()
