"""The graph view, /papers/{id}/graph, and its JSON, /api/papers/{id}/graph/layout, on both backends: which
papers it shows and why, how they are drawn, and the papers with no edges, no vector or no such id."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, Paper
from paperradar.rank.markdown import format_count
from paperradar.service import graph_view
from paperradar.web.app import create_app
from web.test_graph_page import TITLES, client, seed_graph  # noqa: F401 - the app over the seed corpus with edges

HOSTILE = '<script>alert("node")</script> A survey of prompts'


class Drawing(HTMLParser):
    """The SVG's nodes (href, title, circle attributes, label) and lines (class), and the list below it."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[dict] = []
        self.lines: list[str] = []
        self.listed: list[tuple[str, str]] = []  # (href, text of the item)
        self.svg: dict = {}
        self._in: str | None = None
        self._item: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and "neighbourhood" in (attrs.get("class") or ""):
            self.svg = attrs
        elif tag == "a" and "node" in (attrs.get("class") or "").split():
            self.nodes.append({"href": attrs["href"], "class": attrs["class"], "title": "", "label": ""})
        elif tag == "circle" and self.nodes and "circle" not in self.nodes[-1] and self.svg and not self._closed():
            self.nodes[-1]["circle"] = attrs
        elif tag in ("title", "text") and self.nodes:
            self._in = tag
        elif tag == "line" and self.svg and not self._closed():
            self.lines.append(attrs["class"])
        elif tag == "li" and self._closed():
            self._item = [None, ""]
        elif tag == "a" and self._item is not None and self._item[0] is None:
            self._item[0] = attrs["href"]

    def _closed(self) -> bool:
        return bool(self.svg.get("closed"))

    def handle_endtag(self, tag):
        if tag == "svg" and self.svg:
            self.svg["closed"] = True
        elif tag in ("title", "text"):
            self._in = None
        elif tag == "li" and self._item is not None:
            if self._item[0]:
                self.listed.append((self._item[0], " ".join(self._item[1].split())))
            self._item = None

    def handle_data(self, data):
        if self._in and self.nodes and not self._closed():
            self.nodes[-1]["title" if self._in == "title" else "label"] += data
        if self._item is not None:
            self._item[1] += data


def drawing(html: str) -> Drawing:
    parsed = Drawing()
    parsed.feed(html)
    return parsed


def test_the_graph_view_draws_the_neighbourhood_and_lists_it(client):  # noqa: F811
    ids = client.ids
    page = client.get(f"/papers/{ids['prompting']}/graph")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    found = drawing(page.text)
    assert found.svg["viewbox"] == "0 0 640 640" and found.svg["width"] == "100%"
    assert 30 <= len(found.nodes) <= 51
    assert found.nodes[0]["href"] == f"/papers/{ids['prompting']}" and "centre" in found.nodes[0]["class"]
    for node in found.nodes:  # each a link to its paper, named by its title, with the year in words
        assert node["href"].startswith("/papers/") and node["title"].strip()
        circle = node["circle"]
        assert float(circle["cx"]) - float(circle["r"]) >= 0 and float(circle["cx"]) + float(circle["r"]) <= 640
        assert re.search(r"\((\d{4}|undated)[,)]", node["title"]), node["title"]
        assert circle["class"].startswith("band-") == bool(node["label"].strip())  # dated: colour and number
    titles = {n["href"]: n["title"] for n in found.nodes}
    assert titles[f"/papers/{ids['hubert']}"].startswith(f"{TITLES['hubert']} (2021, {format_count(3891)} citations): ")
    # The citations among the drawn papers, as arrows: the 8 edges of the test graph.
    assert found.lines.count("link cites") == 8 and found.lines.count("link similar") >= len(found.nodes)

    why = dict(found.listed)
    assert [href for href, _ in found.listed] == [n["href"] for n in found.nodes[1:]]  # the same papers, in order
    assert "cited by this paper; cited by 2 of its neighbours" in why[f"/papers/{ids['lora']}"]
    assert f"(2021, {format_count(14774)} citations)" in why[f"/papers/{ids['lora']}"]
    assert "cites this paper; cites 2 of its neighbours" in why[f"/papers/{ids['roformer']}"]
    assert "cited by this paper" in why[f"/papers/{ids['gans']}"]
    assert sum("similar (0." in text for text in why.values()) >= 20
    assert "band-2" in page.text and '<li><svg width="16"' in page.text  # the legend: one band (2021), undated
    assert f'href="/api/papers/{ids["prompting"]}/graph/layout"' in page.text


def test_the_paper_page_links_its_graph_view(client):  # noqa: F811
    page = client.get(f"/papers/{client.ids['ddpm']}")
    assert f'<a href="/papers/{client.ids["ddpm"]}/graph">See its neighbourhood as a graph</a>' in page.text


def test_a_paper_without_edges_gets_a_graph_of_its_embedding_neighbours(client):  # noqa: F811
    found = drawing(client.get(f"/papers/{client.ids['ddpm']}/graph").text)
    assert len(found.nodes) == graph_view.NODES + 1
    assert found.listed and all(re.search(r"· similar \(0\.\d\d\)$", text) for _, text in found.listed)
    assert "link cites" not in found.lines


def test_the_json_is_the_drawing(client):  # noqa: F811
    ids = client.ids
    answer = client.get(f"/api/papers/{ids['prompting']}/graph/layout")
    assert answer.status_code == 200
    data = answer.json()
    assert set(data) == {"paper_id", "size", "nodes", "links", "bands"} and data["size"] == 640
    nodes = {n["id"]: n for n in data["nodes"]}
    assert data["nodes"][0]["id"] == ids["prompting"] and data["nodes"][0]["why"] == ["this paper"]
    assert all(n["r"] <= n["x"] <= 640 - n["r"] and n["r"] <= n["y"] <= 640 - n["r"] for n in nodes.values())
    assert {(link["source"], link["target"]) for link in data["links"] if link["kind"] == "cites"} == {
        (ids["prompting"], ids[n]) for n in ("lora", "gans", "foundation")} | {
        (ids[a], ids[b]) for a, b in [("hubert", "prompting"), ("hubert", "lora"), ("roformer", "prompting"),
                                      ("roformer", "lora"), ("roformer", "foundation")]}  # fmt: skip
    assert all(link["source"] in nodes and link["target"] in nodes for link in data["links"])
    assert data["bands"] == [{"band": 0, "first": 2021, "last": 2021}]
    assert nodes[ids["lora"]]["citations"] == 14774 and nodes[ids["lora"]]["similarity"] is not None
    # the page and the JSON show one graph
    page = drawing(client.get(f"/papers/{ids['prompting']}/graph").text)
    assert [n["href"] for n in page.nodes] == [f"/papers/{pid}" for pid in nodes]
    assert [float(page.nodes[1]["circle"][k]) for k in ("cx", "cy", "r")] == [
        data["nodes"][1][k] for k in ("x", "y", "r")]  # fmt: skip
    # the older answer of /graph keeps its keys
    assert set(client.get(f"/api/papers/{ids['prompting']}/graph").json()) == {"paper_id", "prior", "derivative"}


def test_an_unknown_paper_is_a_404_page_and_a_404_answer(client):  # noqa: F811
    page = client.get("/papers/no-such-paper/graph", headers={"accept": "text/html"})
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text
    answer = client.get("/api/papers/no-such-paper/graph/layout")
    assert answer.status_code == 404 and "no-such-paper" in answer.json()["error"]


def test_a_title_in_the_graph_is_text_never_markup(seeded_library, tmp_path):
    ids = seed_graph(seeded_library, tmp_path)
    with seeded_library.store.transaction():
        hostile, _, _ = upsert(
            seeded_library.store, Paper(title=HOSTILE, year=2020, citations=CitationCount(7, "openalex"))
        )
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps({"citing": ids["prompting"], "cited": {"title": HOSTILE, "year": 2020}}) + "\n")
    seeded_library.graph.import_edges([path])
    with TestClient(create_app(seeded_library.settings, library=seeded_library)) as app:
        page = app.get(f"/papers/{ids['prompting']}/graph").text
    assert "<script>" not in page and "&lt;script&gt;" in page
    node = next(n for n in drawing(page).nodes if n["href"] == f"/papers/{hostile.id}")
    assert node["title"].startswith(HOSTILE + " (2020, 7 citations): cited by this paper")
    assert node["label"] == "2020"


def test_a_paper_with_no_vector_is_embedded_on_the_spot(seeded_library):
    with seeded_library.store.transaction():
        paper = Paper(
            title="Denoising diffusion models for image synthesis",
            abstract="Diffusion models beat GANs on image synthesis.",
        )
        fresh, _, _ = upsert(seeded_library.store, paper)
    assert seeded_library.store.embedding(seeded_library.embedder_name(), fresh.id) is None
    view = seeded_library.graph.view(fresh.id)
    assert len(view.nodes) == graph_view.NODES + 1
    assert all(n.why[0].startswith("similar (") for n in view.nodes[1:])


def test_a_corpus_without_vectors_or_edges_draws_nothing_and_says_why(library):
    with library.store.transaction():
        alone, _, _ = upsert(library.store, Paper(title="A paper alone", year=2024))
        upsert(library.store, Paper(title="Another paper", year=2023))
    with TestClient(create_app(library.settings, library=library)) as app:
        page = app.get(f"/papers/{alone.id}/graph")
        answer = app.get(f"/api/papers/{alone.id}/graph/layout").json()
    assert page.status_code == 200 and "Nothing to draw yet" in page.text and "<svg" not in page.text.split("<main")[1]
    assert [n["id"] for n in answer["nodes"]] == [alone.id] and answer["links"] == []


def test_a_paper_with_thousands_of_edges_reads_a_bounded_number_of_candidates(seeded, tmp_path, monkeypatch):
    ids = seed_graph(seeded, tmp_path)
    others = [h.paper.id for h in seeded.latest(limit=500).hits if h.paper.id != ids["prompting"]]
    rows = [{"citing": ids["prompting"], "cited": {"openalex": f"W{n}", "title": f"Outside {n}"}} for n in range(3000)]
    rows += [{"citing": pid, "cited": {"title": TITLES["prompting"], "year": 2021}} for pid in others]
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    seeded.graph.import_edges([path])
    assert len(seeded.graph.citations(ids["prompting"]).papers) >= 400
    store, asked, read = seeded.store, [], []
    nearest, embeddings = store.nearest, store.embeddings

    def counted_nearest(model, vector, limit, filters=None, exclude=(), among=None):
        asked.append((limit, len(among or ())))
        return nearest(model, vector, limit, filters, exclude, among)

    def counted_embeddings(model, paper_ids):
        read.append(len(paper_ids))
        return embeddings(model, paper_ids)

    monkeypatch.setattr(graph_view, "DIRECT", 100)
    monkeypatch.setattr(store, "nearest", counted_nearest)
    monkeypatch.setattr(store, "embeddings", counted_embeddings)
    view = seeded.graph.view(ids["prompting"])
    assert len(view.nodes) == graph_view.NODES + 1
    assert asked and all(limit <= graph_view.CANDIDATES and among <= 100 for limit, among in asked)
    assert read == [graph_view.NODES]  # vectors read: only the drawn papers'
    kinds = [w for n in view.nodes[1:] for w in n.why]
    assert sum(w == "cites this paper" for w in kinds) >= graph_view.QUOTA  # the quota holds a seat for them
    assert any(w.startswith("similar") for w in kinds) and any(w == "cited by this paper" for w in kinds)
