"""Known-item search: a user looking for one paper they half remember. hit@10 and MRR per mode, per half.

Query sets (written by hand, bench/queries/): *precise* queries paraphrase the abstract with its
distinctive terms; *vague* ones say the gist in everyday words. Each query carries its `half`:
the first, third, fifth ... query of each kind is `tuning` (the half search parameters may be
chosen on from now on), the others `held-out` (never tuned on; the figure to trust). Every figure is
reported for both halves and for all queries, in one run. Each system is run in the same process
over the same embedded corpus: our three modes; the floor the issue names (a plain reciprocal-rank
fusion, k = 60, of FTS5 BM25 over all query words and MiniLM nearest neighbours) with its two halves;
and arxiv-sanity-lite's scan (bench/arxiv_sanity.py). --variants adds the hybrid settings that were
tried: RRF k = 60 instead of 10, and the semantic ranking weighted 1.5x and 2x.

    .venv/bin/python bench/known_items.py [--corpus seed|arxiv-daily-cs|all] [--variants] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from arxiv_sanity import ArxivSanityScan
from corpora import open_corpus, read_queries
from paperradar.models import KeywordQuery
from paperradar.search.fusion import RRF_K, reciprocal_rank_fusion
from paperradar.search.modes import FUSION_DEPTH, semantic_search
from paperradar.search.query import parse, words

DEPTH = 100
HALVES = ("tuning", "held-out")
# Hybrid as it is (k = RRF_K, equal weights) and as it was tried: (rrf k, weight of the semantic ranking).
VARIANTS = {
    f"variant: hybrid, RRF k={RRF_K}, equal weights (= ours)": (RRF_K, 1.0),
    "variant: hybrid, RRF k=60 (the customary k, before)": (60, 1.0),
    f"variant: hybrid, RRF k={RRF_K}, semantic weighted 1.5x": (RRF_K, 1.5),
    f"variant: hybrid, RRF k={RRF_K}, semantic weighted 2x": (RRF_K, 2.0),
}


def floor_rankings(library, text: str) -> dict[str, list[str]]:
    """The floor: BM25 over every word (OR), MiniLM cosine, and their plain RRF."""
    bm25 = library.store.keyword(KeywordQuery(terms=tuple(dict.fromkeys(words(text)))), DEPTH, match_all=False)
    vector = library.embedder.embed_query(text)
    minilm = library.store.nearest(library.embedder.name, vector, DEPTH)
    fused = [f.paper_id for f in reciprocal_rank_fusion({"bm25": bm25, "minilm": minilm}, k=60)]  # the usual k
    return {
        "floor: BM25 alone (FTS5, all words OR)": [pid for pid, _ in bm25],
        "floor: MiniLM alone": [pid for pid, _ in minilm],
        "floor: plain RRF of BM25 and MiniLM": fused[:DEPTH],
    }


def variant_rankings(library, text: str) -> dict[str, list[str]]:
    """Hybrid's two rankings, as `search.modes.find` gets them, fused with each variant's k and weight."""
    query = parse(text)
    lexical = library.store.lexical(query, FUSION_DEPTH)
    semantic = semantic_search(library.store, library.embedder, query, FUSION_DEPTH)
    return {
        name: [f.paper_id for f in reciprocal_rank_fusion(
            {"lexical": lexical, "semantic": semantic}, weights={"semantic": weight}, k=k)][:DEPTH]
        for name, (k, weight) in VARIANTS.items()
    }  # fmt: skip


def score(ranks: list[int | None]) -> tuple[float, float]:
    hit10 = sum(1 for r in ranks if r is not None and r <= 10) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return hit10, mrr


def run(corpus: str, variants: bool = False) -> list[dict]:
    library = open_corpus(corpus)
    queries = read_queries(corpus)
    if {q.get("half") for q in queries} != set(HALVES):
        sys.exit(f"every query of {corpus} needs a half: {' or '.join(HALVES)}")
    sanity = ArxivSanityScan(library.store.iter_papers())
    ranks: dict[tuple[str, str, str], list[int | None]] = {}
    seconds: dict[str, float] = {}

    def record(system: str, item: dict, ranking: list[str], took: float) -> None:
        rank = ranking.index(item["target"]) + 1 if item["target"] in ranking[:DEPTH] else None
        ranks.setdefault((system, item["kind"], item["half"]), []).append(rank)
        seconds[system] = seconds.get(system, 0.0) + took

    for item in queries:
        text = item["query"]
        library.embedder.embed_query(text)  # every system gets the query vector warm
        for mode in ("lexical", "semantic", "hybrid"):
            started = time.perf_counter()
            hits = library.search(text, limit=DEPTH, mode=mode).hits
            record(f"ours: {mode}", item, [h.paper.id for h in hits], time.perf_counter() - started)
        started = time.perf_counter()
        for system, ranking in floor_rankings(library, text).items():
            record(system, item, ranking, 0.0)
        seconds["floor: plain RRF of BM25 and MiniLM"] = seconds.get("floor: plain RRF of BM25 and MiniLM", 0.0) + (
            time.perf_counter() - started
        )
        if variants:
            for system, ranking in variant_rankings(library, text).items():
                record(system, item, ranking, 0.0)
        started = time.perf_counter()
        record("arxiv-sanity-lite scan", item, sanity.search(text, DEPTH), time.perf_counter() - started)
    library.close()
    rows = []
    for (system, kind, half), found in ranks.items():
        rows.append(row(corpus, system, kind, half, found, seconds.get(system, 0.0) / len(queries)))
    for system, kind in {(s, k) for s, k, _ in ranks}:
        found = [r for half in HALVES for r in ranks[(system, kind, half)]]
        rows.append(row(corpus, system, kind, "all", found, seconds.get(system, 0.0) / len(queries)))
    return rows


def row(corpus: str, system: str, kind: str, half: str, found: list[int | None], seconds: float) -> dict:
    hit10, mrr = score(found)
    return {"corpus": corpus, "system": system, "kind": kind, "half": half, "queries": len(found),
            "hit@10": round(hit10, 3), "MRR": round(mrr, 3), "ms_per_query": round(1000 * seconds, 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="all", choices=["seed", "arxiv-daily-cs", "all"])
    parser.add_argument("--variants", action="store_true", help="also the hybrid settings that were tried")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    corpora = ["seed", "arxiv-daily-cs"] if args.corpus == "all" else [args.corpus]
    rows = [r for corpus in corpora for r in run(corpus, args.variants)]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    cells = {(r["corpus"], r["system"], r["kind"], r["half"]): r for r in rows}
    columns = [(kind, half) for kind in ("precise", "vague") for half in (*HALVES, "all")]
    print("hit@10 / MRR per kind of query and half (tuning: the half parameters may be chosen on; held-out: never)")
    print(f"{'corpus':<15} {'system':<56} " + " ".join(f"{kind + ' ' + half:>19}" for kind, half in columns)
          + f" {'ms/query':>9}")  # fmt: skip
    order = list(dict.fromkeys((r["corpus"], r["system"]) for r in rows))
    for corpus, system in sorted(order, key=lambda cs: (cs[0], not cs[1].startswith("ours"), cs[1])):
        figures = [cells[(corpus, system, kind, half)] for kind, half in columns]
        print(f"{corpus:<15} {system:<56} " + " ".join(f"{c['hit@10']:>8.2f} / {c['MRR']:<8.2f}" for c in figures)
              + f" {figures[-1]['ms_per_query']:>9.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
