"""A paper's neighbourhood as a graph to draw (`library.graph.view`): the papers around it, why each is
there, the links between them and where each sits.

The store is asked for a bounded number of candidates of each kind (CANDIDATES, and at most DIRECT of
the paper's own references and citing papers), so a paper with thousands of edges costs what one with
fifty does; graph/pick.py says how the NODES are chosen from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from paperradar.graph.drawing import Band, Circle, Line, draw
from paperradar.graph.links import similarity_links
from paperradar.graph.pick import pick
from paperradar.models import Paper
from paperradar.store import Store
from paperradar.store.base import Ranking

NODES = 40  # besides the paper itself
QUOTA = 6  # seats each kind is sure of
CANDIDATES = 60  # asked of each kind
# Of the paper's references, and of its citing papers, ranked by similarity to it with the store's exact
# search among them: for 200, 16 ms on SQLite and 5 on PostgreSQL; for 1,000, 72 and 38 (bench/graph_view.py's
# corpus, a busy machine). Reading their vectors to score them here is 1 ms on SQLite but 45 on PostgreSQL.
DIRECT = 200
SIMILAR_LINKS = 3  # each node linked to its most similar others
KINDS = ("cites", "cited_by", "co_cited", "coupled", "similar")


@dataclass(frozen=True, slots=True)
class GraphNode:
    paper: Paper
    circle: Circle
    why: list[str]
    similarity: float | None  # cosine to the centre paper's vector


@dataclass(frozen=True, slots=True)
class GraphView:
    """Node 0 is the paper the graph is of; links name their nodes by index."""

    paper: Paper
    nodes: list[GraphNode]
    lines: list[Line]
    bands: list[Band]
    size: int

    def to_dict(self) -> dict[str, Any]:
        def node(n: GraphNode) -> dict[str, Any]:
            c = n.circle
            return {**n.paper.to_dict(), "x": c.x, "y": c.y, "r": c.r,
                    "band": None if c.band is None else c.band.index, "why": n.why,
                    "similarity": None if n.similarity is None else round(n.similarity, 3)}  # fmt: skip

        ids = [n.paper.id for n in self.nodes]
        links = [{"source": ids[ln.source], "target": ids[ln.target], "kind": ln.kind, "weight": ln.weight}
                 for ln in self.lines]  # fmt: skip
        bands = [{"band": b.index, "first": b.first, "last": b.last} for b in self.bands]
        return {"paper_id": self.paper.id, "size": self.size, "nodes": [node(n) for n in self.nodes],
                "links": links, "bands": bands}  # fmt: skip


def neighbourhood_graph(store: Store, model: str | None, paper: Paper,
                        embed: Callable[[Paper], np.ndarray] | None = None,
                        counted: Callable[[str, int], tuple[Ranking, Ranking]] | None = None) -> GraphView:  # fmt: skip
    """The graph around `paper`. `model` names the stored vectors (None: the corpus has none, so no
    similarity); `embed` makes the paper's vector when it has none stored yet; `counted` gives its
    (co-cited, coupled) rankings (the graph service's, remembered until the edges change), else the store."""
    pid = paper.id or ""
    vector = store.embedding(model, pid) if model else None
    if vector is None and model and embed is not None:
        vector = embed(paper)
    references = [e.work.paper_id for e in store.references(pid) if e.work.paper_id and e.work.paper_id != pid]
    citing = [e.citing for e in store.citing(pid) if e.citing != pid]

    def most_similar(ids: list[str]) -> Ranking:
        return store.nearest(model, vector, CANDIDATES, among=ids) if model and vector is not None and ids else []

    co_cited, coupled = (counted or (lambda p, n: (store.co_cited(p, n), store.coupled(p, n))))(pid, CANDIDATES)
    rankings: dict[str, Ranking] = {
        "cites": _direct(references, most_similar),
        "cited_by": _direct(citing, most_similar),
        "co_cited": co_cited,
        "coupled": coupled,
        "similar": store.nearest(model, vector, CANDIDATES, exclude=[pid]) if model and vector is not None else [],
    }
    chosen = [f.paper_id for f in pick(rankings, NODES, QUOTA)]
    found = {p.id: p for p in store.papers(chosen)}
    chosen = [c for c in chosen if c in found]
    ids = [pid, *chosen]
    stored = store.embeddings(model, chosen) if model else {}
    vectors = [vector, *(stored.get(c) for c in chosen)]
    papers = [paper, *(found[c] for c in chosen)]
    drawing = draw([p.year for p in papers], [_count(p) for p in papers], similarity_links(vectors, SIMILAR_LINKS),
                   _citations_among(store, ids))  # fmt: skip
    scores = {name: dict(ranking) for name, ranking in rankings.items()}
    nodes = [GraphNode(paper, drawing.circles[0], ["this paper"], None)]
    for i, cid in enumerate(chosen, start=1):
        similarity = float(vectors[i] @ vector) if vectors[i] is not None and vector is not None else None
        nodes.append(GraphNode(found[cid], drawing.circles[i], _why(cid, scores, similarity), similarity))
    return GraphView(paper, nodes, drawing.lines, drawing.bands, drawing.size)


def _direct(ids: list[str], most_similar: Callable[[list[str]], Ranking]) -> Ranking:
    """The paper's own references or citing papers, most similar to it first (the store's exact search
    among the first DIRECT of them, in the store's order), then those without a vector."""
    ids = list(dict.fromkeys(ids))[:DIRECT]
    ranked = most_similar(ids)
    seen = {pid for pid, _ in ranked}
    return (ranked + [(pid, 0.0) for pid in ids if pid not in seen])[:CANDIDATES]


def _citations_among(store: Store, ids: list[str]) -> list[tuple[int, int]]:
    """(citing node, cited node) for the citations between the graph's papers, in one read."""
    index = {pid: i for i, pid in enumerate(ids)}
    return sorted({(index[a], index[b]) for a, b in store.edges_among(ids)})


def _count(paper: Paper) -> int | None:
    return paper.citations.count if paper.citations else None


def _why(pid: str, scores: dict[str, dict[str, float]], similarity: float | None) -> list[str]:
    """Why a paper is in the graph, in words: each kind that found it."""
    why = []
    if pid in scores["cites"]:
        why.append("cited by this paper")
    if pid in scores["cited_by"]:
        why.append("cites this paper")
    if (n := int(scores["co_cited"].get(pid, 0))) > 0:
        why.append(f"cited by {n} of its neighbours")
    if (n := int(scores["coupled"].get(pid, 0))) > 0:
        why.append(f"cites {n} of its neighbours")
    if pid in scores["similar"] and similarity is not None:
        why.append(f"similar ({similarity:.2f})")
    return why
