"""The JSON API as a client developer meets it: an OpenAPI schema with examples, and CORS only when asked for."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from paperradar.ingest.importer import upsert
from paperradar.models import Paper
from paperradar.settings import load_settings
from paperradar.web.app import create_app

ORIGIN = "https://reader.example"


def _client(tmp_path, **settings) -> TestClient:
    return TestClient(create_app(load_settings(database_url=f"sqlite:///{tmp_path / 'api.db'}", **settings)))


def _has_example(parameter: dict) -> bool:
    schema = parameter["schema"]
    variants = [schema, *schema.get("anyOf", [])]
    return bool(parameter.get("examples") or parameter.get("example") or any("examples" in v for v in variants))


def test_every_api_route_has_a_description_and_examples(tmp_path):
    with _client(tmp_path) as client:
        spec = client.get("/openapi.json").json()
    routes = {path: op for path, ops in spec["paths"].items() if path.startswith("/api/") for op in ops.values()}
    expected = {"daily", "weekly", "monthly", "trending", "best", "search", "papers", "latest", "stats", "me"}
    assert {path.split("/")[2] for path in routes} == expected
    for path, op in routes.items():
        assert op.get("summary") and op.get("description"), f"{path} has no description"
        answers = op["responses"]["200"].get("content", {})
        assert any("example" in body for body in answers.values()), f"{path} has no example answer"
        missing = [p["name"] for p in op.get("parameters", []) if not _has_example(p)]
        assert not missing, f"{path}: parameters without an example: {missing}"
        assert all(p.get("description") for p in op.get("parameters", []) if p["in"] == "query"), path


def test_every_api_route_documents_the_refusals_it_answers(tmp_path):
    """401 for your data signed out, 403 for a change without the CSRF token, 404 for an unknown paper, 422 for
    a bad parameter: each listed with the one error shape the app sends (tests/web/test_api_conformance.py
    checks the answers themselves)."""
    with _client(tmp_path) as client:
        spec = client.get("/openapi.json").json()
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            answers, where = op["responses"], f"{method.upper()} {path}"
            assert all(answers[code]["content"] == error for code in answers if code >= "400"), where
            expected = {"401"} if path.startswith("/api/me") else set()
            expected |= {"403"} if path.startswith("/api/me") and method != "get" else set()
            expected |= {"404"} if "{paper_id}" in path else set()
            expected |= {"422"} if op.get("parameters") or op.get("requestBody") else set()
            assert expected <= set(answers), f"{where} does not document {sorted(expected - set(answers))}"
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and schemas["Error"]["required"] == ["error", "detail"]


def test_bibtex_is_declared_with_the_type_it_is_sent_with(tmp_path):
    with _client(tmp_path) as client:
        store = client.app.state.library.store
        with store.transaction():
            upsert(store, Paper(title="LoRA: Low-Rank Adaptation of Large Language Models", arxiv_id="2106.09685"))
        sent = client.get("/api/papers/2106.09685/bibtex").headers["content-type"]
        spec = client.get("/openapi.json").json()
    answer = spec["paths"]["/api/papers/{paper_id}/bibtex"]["get"]["responses"]["200"]
    assert list(answer["content"]) == [sent] == ["application/x-bibtex; charset=utf-8"]


@pytest.mark.parametrize("path", ["/api/stats", "/api/search?q=x"])
def test_cors_is_off_by_default(tmp_path, path):
    with _client(tmp_path) as client:
        answer = client.get(path, headers={"Origin": ORIGIN})
        preflight = client.options(path, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_only_the_configured_origins(tmp_path):
    with _client(tmp_path, cors_origins=f" {ORIGIN} , https://other.example") as client:
        allowed = client.get("/api/stats", headers={"Origin": ORIGIN})
        preflight = client.options("/api/stats", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})
        stranger = client.get("/api/stats", headers={"Origin": "https://evil.example"})
        post = client.options("/api/stats", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert preflight.status_code == 200 and "GET" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-origin" not in stranger.headers
    assert post.status_code == 400  # reading is all another site's script may do


def test_cors_origins_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERRADAR_CORS_ORIGINS", "*")
    with _client(tmp_path) as client:
        assert client.get("/api/stats", headers={"Origin": ORIGIN}).headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(("method", "path"), [("TRACE", "/api/stats"), ("DELETE", "/api/search"), ("POST", "/latest")])
def test_a_method_a_route_does_not_answer_is_refused_naming_the_ones_it_does(tmp_path, method, path):
    with _client(tmp_path) as client:
        answer = client.request(method, path)
    assert answer.status_code == 405 and answer.headers["allow"] == "GET"  # RFC 9110: a 405 says which


@pytest.mark.parametrize("day", ["0", "20240503", "1714694400"])
def test_a_day_is_a_date_as_the_schema_says_not_a_count_of_seconds(tmp_path, day):
    with _client(tmp_path) as client:
        refused = client.get("/api/trending", params={"day": day})
        taken = client.get("/api/trending", params={"day": "2024-05-03"})
    assert refused.status_code == 422 and refused.json()["error"].startswith("day: "), refused.text
    assert taken.status_code == 200 and taken.json()["title"].endswith("(to 2024-05-03)")
