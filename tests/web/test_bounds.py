"""Bounded requests through the real app: every integer parameter of every route, and how deep a page may reach."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from paperradar.ingest.batch import merge_batch
from paperradar.models import Paper
from paperradar.settings import load_settings
from paperradar.web.app import create_app

PASSWORD = "correct horse battery"
HUGE = ["99999999999999999999", str(2**63), str(-(2**63) - 1)]


@pytest.fixture
def app(seeded, tmp_path):
    settings = load_settings(database_url=seeded.settings.database, home=tmp_path, secret_key="s" * 32)
    seeded.settings = settings
    return create_app(settings, library=seeded)


def _token(client: TestClient, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


@pytest.fixture
def client(app) -> TestClient:
    """A signed-in user's browser, so routes behind the login and CSRF checks reach their parameters."""
    client = TestClient(app)
    app.state.library.accounts.add("walker@example.org", PASSWORD, admin=False)
    login = {"email": "walker@example.org", "password": PASSWORD, "csrf_token": _token(client, "/login")}
    assert client.post("/login", data=login, follow_redirects=False).status_code == 303
    client.headers["X-CSRF-Token"] = _token(client, "/library")
    return client


def _integer_parameters(dependant) -> list[tuple[str, str]]:
    """(where, name) of each int parameter of a route and of its dependencies (the shared search filters)."""
    found = []
    for where, fields in (("query", dependant.query_params), ("path", dependant.path_params),
                          ("form", dependant.body_params)):  # fmt: skip
        for field in fields:
            if "int" in repr(field.field_info.annotation) and "Filters" not in repr(field.field_info.annotation):
                found.append((where, field.alias))
    for sub in dependant.dependencies:
        found += _integer_parameters(sub)
    return found


def _routes(app) -> list[tuple[str, str, str, str]]:
    routes = [(context.path, context.methods, context.original_route) for context in iter_route_contexts(app.routes)]
    return [(method, path, where, name) for path, methods, route in routes if isinstance(route, APIRoute)
            for method in sorted(methods) for where, name in _integer_parameters(route.dependant)]  # fmt: skip


def _path(template: str, where: str, name: str, value: str) -> str:
    """A concrete path: the parameter under test filled with `value`, any other with something valid."""
    filled = {"year": "2020", "search_id": "1", "paper_id": "2405.00001", "slug": "2024-05-01", "token": "t"}
    if where == "path":
        filled[name] = value
    return re.sub(r"\{(\w+)(?::path)?\}", lambda m: filled.get(m.group(1), "x"), template)


def test_the_walk_finds_the_integer_parameters(app):
    seen = {(path, name) for _method, path, _where, name in _routes(app)}
    expected = {("/api/search", "min_citations"), ("/api/search", "offset"), ("/search", "page"),
                ("/best/{year}", "year"), ("/api/me/searches/{search_id}", "search_id"),
                ("/searches", "year")}  # fmt: skip
    assert expected <= seen


@pytest.mark.parametrize("value", HUGE)
def test_every_integer_parameter_refuses_a_huge_number_naming_it(client, value):
    for method, template, where, name in _routes(client.app):
        extra = {"q": "attention"} if template in ("/searches", "/api/me/searches") else {}
        query = {**extra, name: value} if where == "query" else extra
        form = {name: value, **extra} if where == "form" else None
        if form is not None:
            query = {}
        answer = client.request(method, _path(template, where, name, value), params=query, data=form,
                                headers={"Accept": "application/json"})  # fmt: skip
        assert answer.status_code == 422, f"{method} {template} {name}={value}: {answer.status_code} {answer.text}"
        assert name in answer.json()["error"], f"{method} {template}: {answer.json()['error']}"


def test_min_citations_past_64_bits_is_refused_on_the_api_and_the_page(client):
    for path in ("/api/search", "/search"):
        answer = client.get(path, params={"q": "attention", "min_citations": "99999999999999999999"},
                            headers={"Accept": "application/json"})  # fmt: skip
        assert answer.status_code == 422 and "min_citations" in answer.json()["error"]


def test_offset_and_limit_reach_at_most_a_thousand_results(client):
    assert client.get("/api/search", params={"q": "attention", "offset": 900, "limit": 100}).status_code == 200
    deep = client.get("/api/search", params={"q": "attention", "offset": 950, "limit": 100})
    assert deep.status_code == 422 and deep.json()["error"].startswith("offset: offset + limit must be at most 1000")
    assert client.get("/api/latest", params={"offset": 100000, "limit": 1000}).status_code == 422
    for path in ("/api/best", "/api/latest", "/api/trending", "/api/daily"):
        answer = client.get(path, params={"offset": 999, "limit": 2})
        assert answer.status_code == 422 and "offset" in answer.json()["error"], path


def test_a_page_past_the_thousandth_result_is_refused_naming_page(client):
    # 25 a page: page 40 ends at the 1000th result, page 41 would go past it
    assert client.get("/latest", params={"page": 40}).status_code == 200
    for path in ("/latest", "/search?q=attention", "/", "/trending", "/daily/2024-05-01"):
        answer = client.get(path, params={"page": 41}, headers={"Accept": "application/json"})
        assert answer.status_code == 422 and answer.json()["error"].startswith("page: at most 40"), path


def test_the_pager_offers_no_page_past_the_window_but_latest_pages_on_by_cursor(app, tmp_path):
    library = app.state.library
    with library.store.transaction():  # 476 seed papers and 1100 more: enough for a last page of a search
        merge_batch(library.store, [Paper(title=f"Filler paper number {n}", year=2001) for n in range(1100)])
    library.store.sync_text_index()
    settings = load_settings(database_url=app.state.settings.database, home=tmp_path, secret_key="s" * 32,
                             page_size=200)  # fmt: skip
    client = TestClient(create_app(settings, library=library))
    search = {"q": "filler", "mode": "lexical"}
    assert 'rel="next"' in client.get("/search", params={**search, "page": 4}).text
    assert 'rel="next"' not in client.get("/search", params={**search, "page": 5}).text  # it would reach result 1200
    # /latest's "Older" link names the last paper shown, not a count, so it reaches past the window.
    older = re.search(r'rel="next" href="\?after=([\w-]+)"', client.get("/latest", params={"page": 5}).text)
    assert older and client.get("/latest", params={"after": older.group(1)}).text.count('class="paper"') == 200
