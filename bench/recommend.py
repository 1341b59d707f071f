"""Recommendation quality: which model of a user's library finds the papers they would save next?

Pseudo-libraries from ../shared/data/arxiv-daily-cs: a user "follows" one fine arXiv category (cs.RO,
cs.IR, cs.CR, ...). Their library is 20 random papers of it; the held-out papers of the category are
the ones they would want. Every method ranks the whole sample (less the library) and we count how
many of its top 20 / top 100 are held-out papers. Vectors: the real all-MiniLM-L6-v2 over title and
abstract, as paperradar stores them.

Methods (the baseline named in the ratios is `centroid`, measured in the same run):
- centroid: cosine to the mean of the library;
- knn-max: the best cosine to any one saved paper;
- logreg: logistic regression, library as positives, 500 random papers as negatives (as arxiv-sanity
  does with an SVM over tf-idf; its weight vector ranks by a dot product, so it would fit the index too);
- svm: a linear SVM (C=0.1), same data; `shipped` is paperradar's `recommend.profile` (this SVM,
  normalised, as the store keeps it), so the figures follow the code;
- random: a floor.

    .venv/bin/python bench/recommend.py [--papers 6000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from paperradar.embed import load_embedder, paper_text
from paperradar.recommend import centroid as centroid_of
from paperradar.recommend import profile

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "arxiv-daily-cs" / "papers.jsonl.gz"
FOLLOWED = ["cs.RO", "cs.IR", "cs.CR", "cs.HC", "cs.SD", "cs.GR", "cs.CY", "cs.MM", "cs.LG", "eess.IV"]
LIBRARY, NEGATIVES = 20, 500
CACHE = Path(os.environ.get("PAPERRADAR_BENCH_CACHE", "~/.cache/paperradar-bench")).expanduser()


def sample(papers: int, seed: int = 7) -> list[dict]:
    """Up to papers/20 per followed category, the rest random others (the distractors a feed holds)."""
    rng = random.Random(seed)
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    rng.shuffle(records)
    per = papers // (2 * len(FOLLOWED))
    chosen, counts = [], defaultdict(int)
    for r in records:
        hit = next((c for c in FOLLOWED if c in r["categories"]), None)
        if hit and counts[hit] < per:
            counts[hit] += 1
            chosen.append(r)
    others = [r for r in records if not any(c in r["categories"] for c in FOLLOWED)]
    return chosen + others[: papers - len(chosen)]


def rankers(vectors: np.ndarray, rng: np.random.Generator):
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    def centroid(lib, _neg):
        return vectors @ centroid_of(vectors[lib])

    def shipped(lib, neg):  # what paperradar keeps: recommend.profile (a linear SVM, as below)
        return vectors @ profile(vectors[lib], vectors[neg])

    def knn_max(lib, _neg):
        return (vectors @ vectors[lib].T).max(axis=1)

    def fitted(model):
        def rank(lib, neg):
            x = np.vstack([vectors[lib], vectors[neg]])
            y = np.r_[np.ones(len(lib)), np.zeros(len(neg))]
            model.fit(x, y)
            return vectors @ model.coef_.ravel()

        return rank

    def shuffled(_lib, _neg):
        return rng.random(len(vectors))

    return {"centroid": centroid, "knn-max": knn_max, "shipped": shipped,
            "logreg": fitted(LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)),
            "svm": fitted(LinearSVC(C=0.1, class_weight="balanced")), "random": shuffled}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=6000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found: the reference data lives in ../shared")
    records = sample(args.papers)
    cache = CACHE / f"recommend-{args.papers}.npy"
    if cache.exists():
        vectors = np.load(cache)
    else:
        embedder = load_embedder("minilm", "auto")
        started = time.perf_counter()
        vectors = embedder.embed([paper_text(r["title"], r["abstract"]) for r in records]).astype(np.float32)
        print(f"embedded {len(records):,} papers in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(cache, vectors)
    rng = np.random.default_rng(11)
    methods = rankers(vectors, rng)
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    seconds: dict[str, float] = defaultdict(float)
    trials = 0
    for category in FOLLOWED:
        members = np.array([i for i, r in enumerate(records) if category in r["categories"]])
        if len(members) < LIBRARY * 3:
            continue
        for _ in range(args.repeats):
            lib = rng.choice(members, LIBRARY, replace=False)
            wanted = set(members.tolist()) - set(lib.tolist())
            pool = np.setdiff1d(np.arange(len(records)), lib)
            neg = rng.choice(pool, NEGATIVES, replace=False)
            trials += 1
            for name, rank in methods.items():
                t0 = time.perf_counter()
                score = rank(lib, neg)
                seconds[name] += time.perf_counter() - t0
                score[lib] = -np.inf
                top = np.argsort(-score, kind="stable")[:100]
                scores[name].append((sum(int(i) in wanted for i in top[:20]) / 20,
                                     sum(int(i) in wanted for i in top) / min(100, len(wanted))))  # fmt: skip
    base = np.mean([p for p, _ in scores["centroid"]])
    print(f"{trials} pseudo-libraries ({LIBRARY} papers each) over {len(records):,} papers, {len(FOLLOWED)} categories")
    print(f"{'method':<10} {'P@20':>6} {'R@100':>6} {'P@20 vs centroid':>17} {'ms per model':>13}")
    for name, values in scores.items():
        p20, r100 = np.mean([p for p, _ in values]), np.mean([r for _, r in values])
        print(f"{name:<10} {p20:6.3f} {r100:6.3f} {p20 / base:16.2f}x {1000 * seconds[name] / trials:12.1f}")


if __name__ == "__main__":
    main()
