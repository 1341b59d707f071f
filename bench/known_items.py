"""Known-item search: a user looking for one paper they half remember. hit@10 and MRR per mode.

Query sets (written by hand, bench/queries/): *precise* queries paraphrase the abstract with its
distinctive terms; *vague* ones say the gist in everyday words. Each system is run in the same
process over the same embedded corpus: our three modes; the floor the issue names (a plain
reciprocal-rank fusion, k = 60, of FTS5 BM25 over all query words and MiniLM nearest neighbours) with its
two halves; and arxiv-sanity-lite's scan (bench/arxiv_sanity.py).

    .venv/bin/python bench/known_items.py [--corpus seed|arxiv-daily-cs|all] [--json]
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
from paperradar.search.fusion import reciprocal_rank_fusion
from paperradar.search.query import words

DEPTH = 100


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


def score(ranks: list[int | None]) -> tuple[float, float]:
    hit10 = sum(1 for r in ranks if r is not None and r <= 10) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return hit10, mrr


def run(corpus: str) -> list[dict]:
    library = open_corpus(corpus)
    queries = read_queries(corpus)
    sanity = ArxivSanityScan(library.store.iter_papers())
    ranks: dict[tuple[str, str], list[int | None]] = {}
    seconds: dict[str, float] = {}

    def record(system: str, kind: str, ranking: list[str], target: str, took: float) -> None:
        rank = ranking.index(target) + 1 if target in ranking[:DEPTH] else None
        ranks.setdefault((system, kind), []).append(rank)
        seconds[system] = seconds.get(system, 0.0) + took

    for item in queries:
        text, target, kind = item["query"], item["target"], item["kind"]
        library.embedder.embed_query(text)  # every system gets the query vector warm
        for mode in ("lexical", "semantic", "hybrid"):
            started = time.perf_counter()
            hits = library.search(text, limit=DEPTH, mode=mode).hits
            record(f"ours: {mode}", kind, [h.paper.id for h in hits], target, time.perf_counter() - started)
        started = time.perf_counter()
        for system, ranking in floor_rankings(library, text).items():
            record(system, kind, ranking, target, 0.0)
        seconds["floor: plain RRF of BM25 and MiniLM"] = seconds.get("floor: plain RRF of BM25 and MiniLM", 0.0) + (
            time.perf_counter() - started
        )
        started = time.perf_counter()
        record("arxiv-sanity-lite scan", kind, sanity.search(text, DEPTH), target, time.perf_counter() - started)
    library.close()
    rows = []
    for (system, kind), found in ranks.items():
        hit10, mrr = score(found)
        rows.append({
            "corpus": corpus, "system": system, "kind": kind, "queries": len(found),
            "hit@10": round(hit10, 3), "MRR": round(mrr, 3),
            "ms_per_query": round(1000 * seconds.get(system, 0.0) / len(queries), 2),
        })  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="all", choices=["seed", "arxiv-daily-cs", "all"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    corpora = ["seed", "arxiv-daily-cs"] if args.corpus == "all" else [args.corpus]
    rows = [row for corpus in corpora for row in run(corpus)]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'corpus':<15} {'system':<42} {'kind':<8} {'n':>3} {'hit@10':>7} {'MRR':>6} {'ms/query':>9}")
    for row in sorted(rows, key=lambda r: (r["corpus"], r["kind"], r["system"])):
        print(
            f"{row['corpus']:<15} {row['system']:<42} {row['kind']:<8} {row['queries']:>3} "
            f"{row['hit@10']:>7.2f} {row['MRR']:>6.2f} {row['ms_per_query']:>9.1f}"
        )


if __name__ == "__main__":
    main()
