"""`paperradar demo` through the real entry point: what it loads, what it says, and that it loads once."""

from __future__ import annotations

import json
import re

import numpy as np

from cli.test_cli import run
from demo.conftest import DEMO_ENV
from paperradar.embed import paper_text
from paperradar.service import Library
from paperradar.settings import load_settings

LOADED = re.compile(
    r"^Loaded 450 seed papers \+ (\d[\d,]*) arXiv papers listed 2026-06-01 … 2026-07-01, vectors included\.$"
)


def test_demo_loads_the_slice_with_its_vectors_once(tmp_path):
    first = run(tmp_path, "demo", env=DEMO_ENV)
    match = LOADED.match(first.stdout.strip())
    assert match, first.stdout
    arxiv = int(match.group(1).replace(",", ""))
    assert 5_000 <= arxiv <= 8_000
    assert "Embedded" not in first.stdout  # the bundled vectors, not the model
    stats = json.loads(run(tmp_path, "stats", "--json", env=DEMO_ENV).stdout)
    assert stats["papers"] == 450 + arxiv
    # Every paper already has its MiniLM vector: nothing waits for the embedder.
    embed = json.loads(run(tmp_path, "embed", "--json", env=DEMO_ENV).stdout)
    assert (embed["model"], embed["embedded"], embed["pending_after"]) == ("all-MiniLM-L6-v2", 0, 0)

    again = run(tmp_path, "demo", env=DEMO_ENV)
    assert again.stdout.strip() == "The database already has papers; the demo corpus was not loaded."
    assert json.loads(run(tmp_path, "stats", "--json", env=DEMO_ENV).stdout) == stats
    assert json.loads(run(tmp_path, "demo", "--json", env=DEMO_ENV).stdout) == {
        "added": 0, "already_loaded": True, "embedded": 0}  # fmt: skip


def test_with_another_embedder_the_demo_embeds_its_papers(tmp_path):
    done = json.loads(run(tmp_path, "demo", "--json", env={"PAPERRADAR_EMBEDDER": "hashing"}).stdout)
    assert done["bundled_vectors"] == 0 and done["embedded"] == done["added"] > 5_000
    assert (done["first_day"], done["last_day"]) == ("2026-06-01", "2026-07-01")


def test_the_bundled_vectors_are_what_the_embedder_computes(demo_db):
    """Within float16: a sample of papers re-embedded with the product's own MiniLM embedder."""
    lib = Library.open(load_settings(database_url=f"sqlite:///{demo_db}", embedder="minilm"))
    try:
        papers = [h.paper for h in lib.latest(limit=4).hits]
        fresh = lib.embedder.embed([paper_text(p.title, p.abstract) for p in papers])
        stored = lib.store.embeddings("all-MiniLM-L6-v2", [p.id for p in papers])
        for paper, vector in zip(papers, fresh, strict=True):
            assert float(np.dot(stored[paper.id], vector)) > 0.999, paper.id
    finally:
        lib.close()


def test_postgresql_holds_the_demo_with_its_vectors(demo_postgres):
    lib = Library.open(load_settings(database_url=demo_postgres, embedder="minilm"))
    try:
        assert lib.pending_embeddings() == 0
        assert lib.demo_until() is not None and lib.demo_until().isoformat() == "2026-07-01"
        assert lib.daily().page.title == "Papers of Wednesday 1 July 2026"
        assert lib.load_full_demo() is None
    finally:
        lib.close()


def test_a_seed_only_database_is_not_a_demo(tmp_path):
    lib = Library.open(load_settings(database_url=f"sqlite:///{tmp_path / 's.db'}"))
    try:
        lib.load_demo_if_empty()
        assert lib.demo_until() is None
    finally:
        lib.close()
