"""The graph view's cost (/papers/{id}/graph) for a paper with 200 references and 1,000 citing papers, on both backends.

A synthetic corpus, built afresh each run: `--papers` papers (by default more than the 5,000 below which
the stores answer similar papers by an exact scan, so the HNSW walk of a real corpus is what is timed),
years 2012-2025, log-normal citation counts, titles and abstracts drawn from eight topics' word lists so
the hashing embedder's vectors cluster; each
citing `--refs` earlier papers drawn by preferential attachment (chance ∝ 1 + times cited so far), so the
in-degrees are heavy-tailed as in the OpenAlex samples; one paper of 2019 (the centre) cites 200 earlier
papers and is cited by 1,000 later ones. Measured in the same run, warm, in-app (the ASGI app through
Starlette's TestClient, from the call to the last byte): the graph view, its JSON, `library.graph.view`
alone, the paper page (which reads the same paper's references, citations and neighbourhood lists:
the baseline) and /static/style.css (the floor). Median and p99 of `--samples` requests each.

    .venv/bin/python bench/graph_view.py [--papers 6000] [--refs 15] [--samples 50] [--backend sqlite postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("PAPERRADAR_EMBEDDER", "hashing")

from fastapi.testclient import TestClient

from paperradar.graph.drawing import GAP, SIZE
from paperradar.graph.layout import force_layout
from paperradar.ingest.importer import upsert
from paperradar.models import CitationCount, CitedWork, Paper
from paperradar.service import Library
from paperradar.service.graph_view import DIRECT
from paperradar.settings import load_settings
from paperradar.web.app import create_app

POSTGRES = os.environ.get("PAPERRADAR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
TOPICS = [
    "diffusion image generation denoising score sampling guidance",
    "language model pretraining transformer tokens prompting",
    "reinforcement learning policy reward agent exploration",
    "graph neural network node message passing molecules",
    "speech recognition audio acoustic self-supervised units",
    "vision transformer patches detection segmentation",
    "optimisation convergence gradient stochastic adaptive",
    "retrieval dense passages question answering index",
]
CENTRE_REFERENCES, CENTRE_CITATIONS = 200, 1000


def synthetic(papers: int, seed: int = 7) -> list[Paper]:
    rng = random.Random(seed)
    made = []
    for i in range(papers):
        words = TOPICS[i % len(TOPICS)].split()
        title = " ".join(rng.choice(words) for _ in range(6)).capitalize() + f" {i}"
        abstract = " ".join(rng.choice(words + TOPICS[rng.randrange(len(TOPICS))].split()) for _ in range(60))
        year = 2012 + i * 14 // papers
        count = int(rng.lognormvariate(3, 1.6))
        made.append(Paper(title=title, abstract=abstract, year=year, arxiv_id=f"{year % 100:02d}01.{i:05d}",
                          citations=CitationCount(count, "openalex", date(2026, 1, 1))))  # fmt: skip
    return made


def build(library: Library, papers: int, refs: int) -> str:
    """The corpus and its edges; returns the centre paper's id."""
    rng = random.Random(11)
    with library.store.transaction():
        ids = [upsert(library.store, p)[0].id or "" for p in synthetic(papers)]
    library.embed_pending()
    centre = min(range(papers), key=lambda i: abs(i - papers // 2.5))  # a paper of about 2019
    cited_so_far = [0] * papers
    references: dict[int, set[int]] = {}
    for i in range(1, papers):
        weights = [1 + c for c in cited_so_far[:i]]
        chosen = set(rng.choices(range(i), weights=weights, k=min(refs, i)))
        references[i] = chosen
        for j in chosen:
            cited_so_far[j] += 1
    references[centre] = set(rng.sample(range(centre), CENTRE_REFERENCES))
    for i in rng.sample(range(centre + 1, papers), CENTRE_CITATIONS):
        references[i].add(centre)
    day = date(2026, 3, 1)
    with library.store.transaction():
        for i, cited in references.items():
            works = [CitedWork((), paper_id=ids[j]) for j in sorted(cited)]
            library.store.add_references(ids[i], "file", day, works)
    return ids[centre]


def timed(call: Callable[[], object], samples: int) -> tuple[float, float]:
    call()  # warm
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def run(url: str, args: argparse.Namespace, home: Path) -> None:
    library = Library.open(load_settings(database_url=url, home=home))
    started = time.perf_counter()
    centre = build(library, args.papers, args.refs)
    built = time.perf_counter() - started
    view = library.graph.view(centre)
    cites = sum(line.kind == "cites" for line in view.lines)
    print(f"  built in {built:.0f} s; centre {centre}: {len(library.graph.references(centre).papers)} references, "
          f"{len(library.graph.citations(centre).papers)} citing papers; the view: {len(view.nodes)} nodes, "
          f"{len(view.lines)} links ({cites} citations)")  # fmt: skip
    with TestClient(create_app(library.settings, library=library)) as client:

        def get(path: str) -> Callable[[], object]:
            def call() -> object:
                answer = client.get(path)
                assert answer.status_code == 200, (path, answer.status_code)
                return answer

            return call

        rows = {
            "floor: /static/style.css": get("/static/style.css"),
            "baseline: /papers/{id} (the paper page)": get(f"/papers/{centre}"),
            "/papers/{id}/graph": get(f"/papers/{centre}/graph"),
            "/api/papers/{id}/graph/layout": get(f"/api/papers/{centre}/graph/layout"),
            "library.graph.view (no HTTP)": lambda: library.graph.view(centre),
        }
        # Where the view's time goes: the store reads it makes, and the layout alone.
        store, model = library.store, library.embedder_name()
        vector = store.embedding(model, centre)
        nodes = [n.paper.id or "" for n in view.nodes]
        cited = [e.work.paper_id or "" for e in store.references(centre) if e.work.paper_id][:DIRECT]
        citing = [e.citing for e in store.citing(centre)][:DIRECT]
        radii = [n.circle.r for n in view.nodes]
        pulls = [(line.source, line.target, 1.0) for line in view.lines]
        parts = {
            "  part: store.co_cited + coupled (first view; then remembered)": lambda: (store.co_cited(centre, 60),
                                                                                    store.coupled(centre, 60)),
            "  part: store.references + citing of the paper": lambda: (store.references(centre), store.citing(centre)),
            "  part: store.nearest x3 (similar; 2 among 200)": lambda: [
                store.nearest(model, vector, 60, exclude=[centre]), store.nearest(model, vector, 60, among=cited),
                store.nearest(model, vector, 60, among=citing)],
            "  part: store.edges_among the nodes": lambda: store.edges_among([centre, *nodes[1:]]),
            "  part: the force layout": lambda: force_layout(radii, pulls, SIZE, SIZE, gap=GAP, margin=GAP),
        }  # fmt: skip
        rows |= parts
        print(f"  {'request':<50} {'p50 ms':>8} {'p99 ms':>8}")
        for name, call in rows.items():
            p50, p99 = timed(call, args.samples)
            print(f"  {name:<50} {p50:8.1f} {p99:8.1f}")
    library.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=6000, help="above 5,000: similar papers walk the HNSW index")
    parser.add_argument("--refs", type=int, default=15, help="references of each paper besides the centre's")
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--backend", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    args = parser.parse_args()
    if args.papers < CENTRE_CITATIONS * 2:
        sys.exit(f"--papers: at least {CENTRE_CITATIONS * 2}, for the centre's {CENTRE_CITATIONS} citing papers")
    load = os.getloadavg()[0]
    print(f"graph view: {args.papers} papers, {args.refs} references each; load average {load:.1f} "
          f"on {os.cpu_count()} cores")  # fmt: skip
    for backend in args.backend:
        with tempfile.TemporaryDirectory() as folder:
            print(backend)
            if backend == "sqlite":
                run(f"sqlite:///{folder}/graph.db", args, Path(folder))
                continue
            import psycopg

            name = f"paperradar_bench_graph_{secrets.token_hex(3)}"
            with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            try:
                run(f"{POSTGRES}/{name}", args, Path(folder))
            finally:
                with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
