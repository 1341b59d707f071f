"""Does the citation graph improve similar papers? CSFCube, where the graph is known for the query papers.

CSFCube's pool file says which candidates each query paper cites (pool method `cited`: 638 links over
34 query papers), so for its 50 query-facet pairs the graph closeness the product computes
(search.similar.graph_closeness) is known: a candidate the query cites is its direct neighbour. The
candidates' own references are not in the data, so co-citation and coupling are empty here: this
measures the direct-link part only.

For each pair the judged pool is ranked by the product's similar papers, with and without the graph
fused in (search.similar.with_graph: weighted reciprocal-rank fusion of the embedding ranking with the
graph ranking), and without and with the facet focus; MAP and NDCG%20 as bench/csfcube.py computes
them, and how many of each top 10 the graph changes. The graph's weight is chosen on each fold's dev
queries and reported on its test queries (the two test folds cover all 50 pairs once).

    .venv/bin/python bench/graph_similar.py      # ~3 min the first time (shares bench/csfcube.py's vector cache)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from csfcube import DATA, embed_all, evaluate, load, product_rankings
from paperradar.search.similar import GRAPH_WEIGHT, graph_closeness, with_graph

WEIGHTS = (0.0, 0.1, 0.25, 0.5, 1.0)


def cited_by_query() -> dict[str, set[str]]:
    """Query paper -> the pool candidates it cites (CSFCube's `cited` pool method)."""
    pools = json.loads((DATA / "test-pid2pool-csfcube.json").read_text())
    return {
        q: {c for c, how in zip(v["cands"], v["cand_source"], strict=True) if "cited" in how} for q, v in pools.items()
    }


def fused(rankings: dict[str, list[str]], cites: dict[str, set[str]], weight: float, keys) -> dict[str, list[str]]:
    out = {}
    for key in keys:
        query = key.rsplit("_", 1)[0]
        ranking = [(pid, 1.0 / (n + 1)) for n, pid in enumerate(rankings[key])]
        graph = graph_closeness(references=list(cites.get(query, ())), citing=[], co_cited=[], coupled=[])
        out[key] = [pid for pid, _ in with_graph(ranking, graph, len(ranking), weight)]
    return out


def changed_in_top10(a: dict[str, list[str]], b: dict[str, list[str]]) -> tuple[int, float]:
    """(pairs whose top 10 differ as a set, mean number of papers that differ)."""
    diffs = [len(set(a[k][:10]) - set(b[k][:10])) for k in a]
    return sum(1 for d in diffs if d), float(np.mean(diffs))


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"CSFCube not found at {DATA} (it lives in ../shared/data/csfcube)")
    corpus, pools, splits, _ = load()
    whole, _, _ = embed_all(corpus)
    cites = cited_by_query()
    keys = list(pools)
    with_edges = [k for k in keys if cites.get(k.rsplit("_", 1)[0])]
    plain = {}
    for key, pool in pools.items():
        query = key.rsplit("_", 1)[0]
        candidates = list(pool)
        scores = np.array([whole[query] @ whole[c] for c in candidates])
        plain[key] = [candidates[i] for i in np.argsort(-scores, kind="stable")]
    focus = product_rankings(corpus, pools, whole)
    print(
        f"CSFCube: {len(keys)} query-facet pairs, {len(with_edges)} of them with the query's cited papers known "
        f"({sum(len(v) for v in cites.values())} links)"
    )
    print(f"{'system':<50} {'pairs':<9} {'MAP':>6} {'NDCG%20':>8} {'top 10 changed: pairs, papers':>30}")
    for label, base in (("similar (embedding only)", plain), ("similar --focus (facet sentences)", focus)):
        chosen: dict[str, list[str]] = {}
        picks = []
        for fold in ("fold1", "fold2"):
            dev = splits[f"{fold}_dev"]
            best = max(WEIGHTS, key=lambda w: sum(evaluate(fused(base, cites, w, dev), pools, dev)["all"]))
            picks.append(best)
            chosen.update(fused(base, cites, best, splits[f"{fold}_test"]))
        systems = [(label, base), (f"  + graph, weight tuned on dev folds: {picks}", chosen)]
        for w in WEIGHTS[1:]:
            systems.append((f"  + graph, weight {w}{' (the product)' if w == GRAPH_WEIGHT else ''}",
                            fused(base, cites, w, keys)))  # fmt: skip
        for name, rankings in systems:
            for subset, subset_keys in [("all", keys)] + (
                [("w/ edges", with_edges)] if len(with_edges) < len(keys) else []
            ):
                result = evaluate(rankings, pools, subset_keys)["all"]
                pairs, mean = changed_in_top10({k: rankings[k] for k in subset_keys}, base)
                change = "" if rankings is base else f"{pairs} pairs, {mean:.1f}"
                print(f"{name:<50} {subset:<9} {result[0]:6.1f} {result[1]:8.1f} {change:>30}")


if __name__ == "__main__":
    main()
