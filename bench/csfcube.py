"""CSFCube: faceted query-by-example. How well does our similar-papers scoring rank each judged pool?

Reads ../shared/data/csfcube (CC BY-NC: read in place, never copied). For each of the 50 query-facet
pairs, every scorer re-ranks the judged pool; MAP (relevance >= 2) and NDCG%20 (graded, over the
first 20 % of the pool) are reported per facet and over all 50, beside SPECTER's published rankings
evaluated by the same code, and the two floors the issue names (MiniLM cosine; RRF with BM25).
Fusion weights are tuned on each fold's dev queries and reported on its test queries (the two test
folds together cover all 50 pairs once).

    .venv/bin/python bench/csfcube.py            # ~3 min the first time (embeds 4,205 abstracts by sentence)
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from paperradar.embed import load_embedder, paper_text
from paperradar.search.fusion import reciprocal_rank_fusion
from paperradar.search.similar import FOCUS_WEIGHTS, bm25_scores, focus_scores, sentence_match

DATA = Path(os.environ.get("PAPERRADAR_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "data" / "csfcube"
CACHE = Path("~/.cache/paperradar-bench").expanduser()
FACETS = ("background", "method", "result")


def load():
    corpus = {}
    with gzip.open(DATA / "corpus.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            corpus[record["paper_id"]] = record
    pools = {}
    for facet in FACETS:
        for query, ann in json.loads((DATA / f"test-pid2anns-csfcube-{facet}.json").read_text()).items():
            pools[f"{query}_{facet}"] = dict(zip(ann["cands"], ann["relevance_adju"], strict=True))
    splits = json.loads((DATA / "evaluation_splits.json").read_text())["all"]
    specter = {}
    for facet in FACETS:
        for query, ranked in json.loads((DATA / "baselines" / f"specter-{facet}-ranked.json").read_text()).items():
            specter[f"{query}_{facet}"] = [pid for pid, _ in ranked]
    return corpus, pools, splits, specter


# -- metrics ---------------------------------------------------------------------------------
def average_precision(ranking: list[str], relevance: dict[str, int]) -> float:
    relevant = sum(1 for r in relevance.values() if r >= 2)
    if relevant == 0:
        return 0.0
    hits, total = 0, 0.0
    for position, pid in enumerate(ranking, start=1):
        if relevance.get(pid, 0) >= 2:
            hits += 1
            total += hits / position
    return total / relevant


def ndcg_at_20_percent(ranking: list[str], relevance: dict[str, int]) -> float:
    k = math.floor(len(relevance) * 0.2)
    gains = [relevance.get(pid, 0) for pid in ranking[:k]]
    ideal = sorted(relevance.values(), reverse=True)[:k]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best > 0 else 0.0


def evaluate(rankings: dict[str, list[str]], pools: dict[str, dict[str, int]], keys) -> dict[str, tuple[float, float]]:
    """{"background"|"method"|"result"|"all": (MAP, NDCG%20)} in percent over `keys`."""
    per_facet = defaultdict(list)
    for key in keys:
        ranking = [pid for pid in rankings[key] if pid in pools[key]]
        scores = (average_precision(ranking, pools[key]), ndcg_at_20_percent(ranking, pools[key]))
        per_facet[key.rsplit("_", 1)[1]].append(scores)
        per_facet["all"].append(scores)
    return {f: (100 * np.mean([s[0] for s in v]), 100 * np.mean([s[1] for s in v])) for f, v in per_facet.items()}


# -- features ----------------------------------------------------------------------------------
def sentences_of(record) -> list[tuple[str, str]]:
    return [(s["facet"], s["text"]) for s in record.get("abstract_sentences") or []]


def embed_all(corpus):
    """Whole-paper and per-sentence vectors for every paper, cached on disk between runs."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cache = CACHE / "csfcube-vectors.npz"
    ids = sorted(corpus)
    sentence_rows = [(pid, i) for pid in ids for i, _ in enumerate(sentences_of(corpus[pid]))]
    if cache.exists():
        saved = np.load(cache)
        whole, sentence = saved["whole"], saved["sentence"]
        embed_seconds = float(saved["seconds"])
    else:
        embedder = load_embedder("minilm")
        started = time.perf_counter()
        whole = embedder.embed([paper_text(corpus[p]["title"], corpus[p]["abstract"]) for p in ids])
        sentence = embedder.embed([sentences_of(corpus[p])[i][1] for p, i in sentence_rows])
        embed_seconds = time.perf_counter() - started
        np.savez(cache, whole=whole, sentence=sentence, seconds=embed_seconds)
    whole_of = {pid: whole[n] for n, pid in enumerate(ids)}
    sentences_by = defaultdict(list)
    for n, (pid, _) in enumerate(sentence_rows):
        sentences_by[pid].append(sentence[n])
    return whole_of, {pid: np.vstack(v) for pid, v in sentences_by.items()}, embed_seconds


def facet_text(record, facet: str) -> str:
    chosen = [t for f, t in sentences_of(record) if f == facet or (facet == "background" and f == "objective")]
    return " ".join(chosen) or record["abstract"]


def product_rankings(corpus, pools, whole) -> dict[str, list[str]]:
    """`paperradar similar ID --focus TEXT` exactly: the query's facet sentences as the focus, its
    vector from the same model, blended by search.similar.focus_scores over the judged pool."""
    embedder = load_embedder("minilm")
    documents = {pid: paper_text(r["title"], r["abstract"]) for pid, r in corpus.items()}
    rankings = {}
    for key, pool in pools.items():
        query, facet = key.rsplit("_", 1)
        focus = facet_text(corpus[query], facet)
        focus_vector = embedder.embed([focus])[0]
        candidates = list(pool)
        matrix = np.vstack([whole[c] for c in candidates])
        scores = focus_scores(
            matrix @ whole[query], matrix @ focus_vector, bm25_scores(focus, [documents[c] for c in candidates])
        )
        rankings[key] = [candidates[i] for i in np.argsort(-scores, kind="stable")]
    return rankings


def features(corpus, pools, whole, sentence_vectors):
    """Per query: {candidate: {feature: score}} for every scorer we fuse."""
    documents = {pid: paper_text(r["title"], r["abstract"]) for pid, r in corpus.items()}
    out = {}
    for key, pool in pools.items():
        query, facet = key.rsplit("_", 1)
        record = corpus[query]
        facet_rows = [
            i
            for i, (f, _) in enumerate(sentences_of(record))
            if f == facet or (facet == "background" and f == "objective")
        ]
        facet_text = " ".join(sentences_of(record)[i][1] for i in facet_rows) or record["abstract"]
        facet_vectors = sentence_vectors[query][facet_rows] if facet_rows else sentence_vectors[query]
        facet_mean = facet_vectors.mean(axis=0)
        facet_mean /= np.linalg.norm(facet_mean) or 1.0
        candidates = list(pool)
        bm25_whole = bm25_scores(documents[query], [documents[c] for c in candidates])
        bm25_facet = bm25_scores(facet_text, [documents[c] for c in candidates])
        rows = {}
        for n, cand in enumerate(candidates):
            cand_sentences = sentence_vectors.get(cand, whole[cand][None, :])
            rows[cand] = {
                "whole": float(whole[query] @ whole[cand]),
                "facet_whole": float(facet_mean @ whole[cand]),
                "facet_sentences": sentence_match(facet_vectors, sentence_vectors.get(cand, whole[cand][None, :])),
                "paper_sentences": sentence_match(
                    sentence_vectors[query], sentence_vectors.get(cand, whole[cand][None, :])
                ),
                "facet_best": float((facet_vectors @ cand_sentences.T).max()),
                "bm25_whole": bm25_whole[n],
                "bm25_facet": bm25_facet[n],
            }
        out[key] = rows
    return out


def standardise(feats) -> dict[str, tuple[list[str], dict[str, np.ndarray]]]:
    """Per query: its candidates and, per feature, their z-scores (scores on one scale to blend)."""
    out = {}
    for key, rows in feats.items():
        candidates = list(rows)
        columns = {}
        for name in next(iter(rows.values())):
            values = np.array([rows[c][name] for c in candidates])
            columns[name] = (values - values.mean()) / (values.std() or 1.0)
        out[key] = (candidates, columns)
    return out


def blend(standard, weights: dict[str, float], keys=None) -> dict[str, list[str]]:
    rankings = {}
    for key in keys or standard:
        candidates, columns = standard[key]
        total = sum(weight * columns[name] for name, weight in weights.items() if weight)
        rankings[key] = [candidates[i] for i in np.argsort(-total, kind="stable")]
    return rankings


def rrf(feats, names, k=60) -> dict[str, list[str]]:
    """The floor: the project's reciprocal rank fusion of single features, with the usual k."""
    rankings = {}
    for key, rows in feats.items():
        ranked = {name: sorted(((c, rows[c][name]) for c in rows), key=lambda item: -item[1]) for name in names}
        rankings[key] = [f.paper_id for f in reciprocal_rank_fusion(ranked, k=k)]
    return rankings


GRID_NAMES = ("whole", "facet_whole", "facet_sentences", "facet_best", "paper_sentences", "bm25_facet")
GRID_STEPS = (0.0, 0.5, 1.0, 2.0)


def tune(standard, pools, dev_keys) -> dict[str, float]:
    """The blend weights with the best dev MAP + NDCG%20 (a small grid: 4^6 blends)."""
    best, best_score = None, -1.0
    for combo in itertools.product(GRID_STEPS, repeat=len(GRID_NAMES)):
        if not any(combo):
            continue
        weights = dict(zip(GRID_NAMES, combo, strict=True))
        result = evaluate(blend(standard, weights, dev_keys), pools, dev_keys)["all"]
        if result[0] + result[1] > best_score:
            best, best_score = weights, result[0] + result[1]
    return best or {}


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"CSFCube not found at {DATA} (it lives in ../shared/data/csfcube)")
    corpus, pools, splits, specter = load()
    whole, sentence_vectors, seconds = embed_all(corpus)
    feats = features(corpus, pools, whole, sentence_vectors)
    standard = standardise(feats)
    keys = list(pools)
    systems = {
        "SPECTER (published rankings)": specter,
        "floor: MiniLM cosine, title + abstract": blend(standard, {"whole": 1.0}),
        "floor: RRF of MiniLM cosine and BM25": rrf(feats, ["whole", "bm25_whole"]),
    }
    # Ours: a blend tuned on each fold's dev queries, applied to that fold's test queries.
    ours: dict[str, list[str]] = {}
    chosen = {}
    for fold in ("fold1", "fold2"):
        weights = tune(standard, pools, splits[f"{fold}_dev"])
        chosen[fold] = weights
        ours.update(blend(standard, weights, splits[f"{fold}_test"]))
    systems[f"ours: similar --focus (weights {FOCUS_WEIGHTS})"] = product_rankings(corpus, pools, whole)
    systems["ours+: sentence-level matching, tuned per fold on dev"] = ours
    print(f"CSFCube, 50 query-facet pairs; MiniLM vectors for 4,205 papers by sentence in {seconds:.0f} s (cached)")
    print(f"{'system':<66} {'facet':<11} {'MAP':>6} {'NDCG%20':>8}")
    for name, rankings in systems.items():
        result = evaluate(rankings, pools, keys)
        for facet in ("background", "method", "result", "all"):
            print(f"{name:<66} {facet:<11} {result[facet][0]:6.1f} {result[facet][1]:8.1f}")
    for fold, weights in chosen.items():
        print(f"weights tuned on {fold} dev: " + ", ".join(f"{k}={v}" for k, v in weights.items() if v))


if __name__ == "__main__":
    main()
