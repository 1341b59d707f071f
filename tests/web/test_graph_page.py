"""The citation graph on the paper page: references, cited by, prior and derivative works, as a reader sees them."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from paperradar.rank.markdown import format_count
from paperradar.service import Library
from paperradar.web.app import create_app

HOSTILE = '<script>alert("x")</script> Attention'
PROMPTING = "Pre-train, Prompt, and Predict: A Systematic Survey of Prompting Methods in Natural Language Processing"
TITLES = {
    "lora": "LoRA: Low-Rank Adaptation of Large Language Models",  # 14,774 citations
    "gans": "Diffusion Models Beat GANs on Image Synthesis",  # 10,050
    "foundation": "On the Opportunities and Risks of Foundation Models",  # 5,520
    "prompting": PROMPTING,  # 4,747
    "hubert": "HuBERT: Self-Supervised Speech Representation Learning by Masked Prediction of Hidden Units",  # 3,891
    "roformer": "RoFormer: Enhanced Transformer with Rotary Position Embedding",  # 3,778
    "ddpm": "Improved Denoising Diffusion Probabilistic Models",  # no edges
}


class Sections(HTMLParser):
    """Per `<section id=...>` of the page: its heading, its links (href, text) and its whole text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, dict] = {}
        self._section: dict | None = None
        self._link: list | None = None
        self._heading: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id"):
            self._section = self.found.setdefault(attrs["id"], {"heading": "", "links": [], "text": ""})
        elif self._section is not None and tag == "a":
            self._link = [attrs.get("href"), ""]
        elif self._section is not None and tag == "h2":
            self._heading = []

    def handle_endtag(self, tag):
        if tag == "section":
            self._section = None
        elif tag == "a" and self._link is not None and self._section is not None:
            self._section["links"].append(tuple(self._link))
            self._link = None
        elif tag == "h2" and self._heading is not None and self._section is not None:
            self._section["heading"] = "".join(self._heading)
            self._heading = None

    def handle_data(self, data):
        if self._section is None:
            return
        self._section["text"] += data
        if self._link is not None:
            self._link[1] += data
        if self._heading is not None:
            self._heading.append(data)


def sections(html: str) -> dict[str, dict]:
    parser = Sections()
    parser.feed(html)
    return parser.found


def seed_graph(library: Library, folder) -> dict[str, str]:
    """Edges among seed papers, written through the graph's import of an edge file: the prompting survey
    cites LoRA, GANs, Foundation models and two works outside the corpus; HuBERT and RoFormer cite it,
    HuBERT cites LoRA, RoFormer cites LoRA and Foundation models. Returns the papers' ids by short name."""
    found = {h.paper.title: h.paper.id for t in TITLES.values() for h in library.search(t, mode="lexical").hits}
    ids = {name: found[title] for name, title in TITLES.items()}

    def work(name: str) -> dict:  # the seed papers have no arXiv id or DOI: a title claims one in its year
        return {"title": TITLES[name], "year": 2021}

    edges = [(ids["prompting"], work(n)) for n in ("lora", "gans", "foundation")]
    edges += [(ids["prompting"], {"doi": "10.5555/attention", "title": HOSTILE, "year": 2017}),
              (ids["prompting"], {"openalex": "W42"})]  # fmt: skip
    edges += [(ids[a], work(b)) for a, b in [("hubert", "prompting"), ("hubert", "lora"),
              ("roformer", "prompting"), ("roformer", "lora"), ("roformer", "foundation")]]  # fmt: skip
    path = folder / "edges.jsonl"
    rows = [{"citing": citing, "cited": cited, "date": "2026-03-01"} for citing, cited in edges]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    done = library.graph.import_edges([path], strict=True)
    assert (done.read, done.added, done.errors) == (len(rows), len(rows), [])
    return ids


@pytest.fixture
def client(seeded_library, tmp_path):
    """The app on each backend, over the seed corpus with the edges above."""
    seeded_library.ids = seed_graph(seeded_library, tmp_path)
    with TestClient(create_app(seeded_library.settings, library=seeded_library)) as client:
        client.ids = seeded_library.ids
        yield client


def test_a_paper_page_shows_its_references_cited_by_prior_and_derivative_works(client):
    ids = client.ids
    page = client.get(f"/papers/{ids['prompting']}")
    assert page.status_code == 200
    found = sections(page.text)
    assert [found[s]["heading"] for s in ("references", "cited-by", "prior", "derivative")] == [
        "References", "Cited by", "Prior works", "Derivative works"]  # fmt: skip

    def papers(section):
        return [text for href, text in found[section]["links"] if href.startswith("/papers/")]

    refs = found["references"]
    assert papers("references") == [TITLES["lora"], TITLES["gans"], TITLES["foundation"]]  # most cited first
    assert ("/papers/" + ids["lora"], TITLES["lora"]) in refs["links"]
    assert "and 2 works not in this library" in refs["text"]
    assert HOSTILE in refs["text"] and HOSTILE not in page.text  # shown as text, never as markup
    assert ("https://doi.org/10.5555/attention", "DOI 10.5555/attention") in refs["links"]
    assert ("https://openalex.org/W42", "OpenAlex W42") in refs["links"]

    assert papers("cited-by") == [TITLES["hubert"], TITLES["roformer"]]
    assert f"and {format_count(4745)} works not in this library" in found["cited-by"]["text"]  # 4,747 citations, 2 here
    assert papers("prior") == [TITLES["lora"], TITLES["foundation"]]
    assert "2 shared neighbours" in found["prior"]["text"] and "1 shared neighbour" in found["prior"]["text"]
    assert papers("derivative") == [TITLES["roformer"], TITLES["hubert"]]
    assert "no references read" not in page.text.lower()


def test_a_paper_without_edges_shows_no_graph_section_but_how_to_get_them(client):
    page = client.get(f"/papers/{client.ids['ddpm']}")
    found = sections(page.text)
    assert not {"references", "cited-by", "prior", "derivative"} & set(found)
    for heading in ("References", "Cited by", "Prior works", "Derivative works"):
        assert f">{heading}</h2>" not in page.text
    assert "No references read for this paper yet: <code>paperradar sync references</code>" in page.text


def test_a_long_list_of_outside_works_is_cut_and_counted(seeded, tmp_path):
    ids = seed_graph(seeded, tmp_path)
    path = tmp_path / "more.jsonl"
    rows = [{"citing": ids["ddpm"], "cited": {"openalex": f"W{n}", "title": f"Outside work {n}"}} for n in range(30)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    seeded.graph.import_edges([path])
    with TestClient(create_app(seeded.settings, library=seeded)) as client:
        refs = sections(client.get(f"/papers/{ids['ddpm']}").text)["references"]
    assert "30 works not in this library" in refs["text"]
    shown = [text for href, text in refs["links"] if href.startswith("https://openalex.org/")]
    assert len(shown) == 25 and "and 5 more" in refs["text"]
    assert (f"/api/papers/{ids['ddpm']}/references", "all as JSON") in refs["links"]


def _cites(library, citing: str, *cited: str) -> None:
    from datetime import date

    from paperradar.models import CitedWork

    with library.store.transaction():
        library.store.add_references(citing, "file", date(2026, 3, 1), [CitedWork((), paper_id=p) for p in cited])


def test_a_long_cited_by_list_shows_the_most_cited_25_and_counts_the_rest(seeded, tmp_path):
    ids = seed_graph(seeded, tmp_path)
    hits = seeded.search("neural networks", limit=40, mode="lexical").hits
    for paper in [h.paper for h in hits if h.paper.id not in ids.values()][:30]:
        _cites(seeded, paper.id or "", ids["lora"])
    every = seeded.graph.citations(ids["lora"])  # the API's whole list, ranked
    with TestClient(create_app(seeded.settings, library=seeded)) as client:
        cited_by = sections(client.get(f"/papers/{ids['lora']}").text)["cited-by"]
    shown = [href.rsplit("/", 1)[1] for href, _ in cited_by["links"] if href.startswith("/papers/")]
    assert every.in_corpus == 33 and shown == [p.id for p in every.papers[:25]]
    assert f"and {every.in_corpus - 25} more" in cited_by["text"]


def test_prior_and_derivative_works_follow_a_new_edge_at_once(seeded, tmp_path):
    ids = seed_graph(seeded, tmp_path)
    before = seeded.graph.neighbourhood(ids["prompting"])
    assert seeded.graph.neighbourhood(ids["prompting"]) == before  # remembered: the same answer
    version = seeded.store.graph_version()
    newcomer = seeded.search("lottery ticket hypothesis", limit=1).hits[0].paper.id or ""
    _cites(seeded, newcomer, ids["lora"], ids["gans"], ids["foundation"])  # three of its neighbours
    assert seeded.store.graph_version() != version
    after = seeded.graph.neighbourhood(ids["prompting"])
    assert (newcomer, 3) in [(p.id, n) for p, n in after.derivative]
    assert newcomer not in [p.id for p, _ in before.derivative]
