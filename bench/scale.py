"""Scale: synthetic papers at 100k-1M on SQLite or PostgreSQL, from import to search under a server.

The papers are made from the real arxiv-daily-cs corpus (../shared/data): abstracts are real
sentences drawn at random and reshuffled, as many as real abstracts have; titles join halves of two
real titles; authors come from the real author pool with the real count per paper; categories are
real papers' category lists; years grow as arXiv did (+12 %/year); citations have a heavy tail
(Pareto, a third unknown). A paper's vector is the normalised sum of its sentences' and title's
hashing-embedder vectors (computed once per real sentence), so 1M papers embed in minutes and a
query embedded by the server's hashing embedder lands near the papers that share its words.

Measured: import through the real importer, vector writes, text and vector index builds, size on
disk, then `paperradar serve` over it: search p50/p99 per mode with and without a filter, and the
server's memory. Baselines in the same run: a brute-force numpy scan over the same vectors
(semantic), and, when an earlier run at a smaller size left its figures in --dir, the ratio to it.
Last, what the real query encoder adds: hybrid searches in process with the hashing query vector
alone and with MiniLM encoding each query first (the corpus' vectors stay the hashing ones).

    nice -n 10 .venv/bin/python bench/scale.py --backend sqlite --papers 100000 --dir /work/scale
    nice -n 10 .venv/bin/python bench/scale.py --backend postgres --papers 100000 --dir /work/scale
    nice -n 10 .venv/bin/python bench/scale.py --backend postgres --papers 1000000 --keep  # then --search-only
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from copy_roundtrip import fresh_postgres
from corpora import raw_records
from paperradar.embed.hashing import HashingEmbedder
from paperradar.ingest.importer import import_records
from paperradar.models import CitationCount, Paper
from paperradar.service import Library
from paperradar.settings import load_settings
from paperradar.sources.base import Record
from search_speed import free_port, percentiles

ADMIN = os.environ.get("PAPERRADAR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
EMBEDDER = HashingEmbedder(384)
BATCH = 2_000
FILTER = {"year_from": 2024}  # about a third of the papers: a filter that still leaves many


class Model:
    """What the generator draws from, taken from the real corpus."""

    def __init__(self, limit_sentences: int = 150_000) -> None:
        rng = random.Random(1)
        self.titles: list[list[str]] = []
        self.sentence_counts: list[int] = []
        self.author_counts: list[int] = []
        self.authors: list[str] = []
        self.categories: list[list[str]] = []
        sentences: list[str] = []
        for record in raw_records("arxiv-daily-cs"):
            self.titles.append(record["title"].split())
            parts = [s.strip() for s in record.get("abstract", "").split(". ") if s.strip()]
            self.sentence_counts.append(max(1, len(parts)))
            sentences.extend(parts)
            self.author_counts.append(max(1, len(record.get("authors") or [])))
            self.authors.extend(record.get("authors") or [])
            self.categories.append(record.get("categories") or ["cs.LG"])
        rng.shuffle(sentences)
        self.sentences = [s if s.endswith(".") else s + "." for s in sentences[:limit_sentences]]
        self.sentence_vectors = EMBEDDER.embed(self.sentences) if self.sentences else np.zeros((0, 384))

    def papers(self, start: int, count: int) -> tuple[list[Paper], np.ndarray]:
        """Papers number start..start+count-1 (the same for the same numbers) and their vectors."""
        rng = np.random.default_rng(start)
        papers, vectors = [], np.zeros((count, 384), dtype=np.float32)
        years = 2026 - np.minimum(rng.geometric(0.11, count) - 1, 26)  # +12 %/year back to 2000
        for row in range(count):
            n = start + row
            first, second = self.titles[rng.integers(len(self.titles))], self.titles[rng.integers(len(self.titles))]
            title = " ".join(first[: max(1, len(first) // 2)] + second[len(second) // 2 :])
            picks = rng.integers(
                len(self.sentences), size=self.sentence_counts[rng.integers(len(self.sentence_counts))]
            )
            abstract = " ".join(self.sentences[i] for i in picks)
            authors = [
                self.authors[i]
                for i in rng.integers(len(self.authors), size=self.author_counts[rng.integers(len(self.author_counts))])
            ]
            cites = None if rng.random() < 0.33 else int(rng.pareto(1.1) * 3)
            year = int(years[row])
            vector = self.sentence_vectors[picks].sum(axis=0) + EMBEDDER.embed([title])[0]
            vectors[row] = vector / max(float(np.linalg.norm(vector)), 1e-9)
            month = 1 + n % 12
            papers.append(Paper(
                title=title, arxiv_id=f"{year % 100:02d}{month:02d}.{n // 12 + 10000:05d}", abstract=abstract,
                authors=authors, year=year, published=date(year, month, 1 + n % 28),
                categories=list(self.categories[rng.integers(len(self.categories))]),
                citations=None if cites is None else CitationCount(cites, "synthetic", date(2026, 11, 1)),
            ))  # fmt: skip
        return papers, vectors


def database(backend: str, size: int, folder: Path) -> str:
    if backend == "sqlite":
        path = folder / f"scale-{size}.db"
        for stale in folder.glob(f"scale-{size}.db*"):
            subprocess.run(["rm", "-rf", str(stale)], check=True)
        return f"sqlite:///{path}"
    return fresh_postgres(f"paperradar_scale_{size}")


def disk_size(url: str) -> int:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        files = [p for p in path.parent.glob(path.name + "*")]
        return sum(f.stat().st_size for p in files for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file())
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0])


def queries(model: Model, count: int) -> list[str]:
    rng = random.Random(7)
    broad = ["learning", "diffusion models", "neural network", "large language models", "reinforcement learning"]
    found = broad + [" ".join(rng.choice(model.sentences).split()[:8]) for _ in range(count)]
    return list(dict.fromkeys(found))[:count]


def build(args: argparse.Namespace, model: Model, figures: dict) -> tuple[str, np.ndarray, list[str]]:
    """Generate and import the papers and their vectors, build the indexes; times each step."""
    url = database(args.backend, args.papers, args.dir)
    settings = load_settings(database_url=url, embedder="hashing", home=str(args.dir / "home"))
    library = Library.open(settings)
    store, name = library.store, EMBEDDER.name
    generate = imported = vectors_s = 0.0
    all_vectors = np.zeros((args.papers, 384), dtype=np.float16)  # the brute-force baseline's copy
    ids: list[str] = []
    with store.bulk_vectors():
        for start in range(0, args.papers, BATCH):
            t0 = time.perf_counter()
            papers, vectors = model.papers(start, min(BATCH, args.papers - start))
            t1 = time.perf_counter()
            import_records(store, (Record(p, f"synthetic:{start + i}") for i, p in enumerate(papers)))
            t2 = time.perf_counter()
            with store.transaction():
                store.put_embeddings(name, [(p.arxiv_id, "synthetic", v) for p, v in zip(papers, vectors, strict=True)])
            t3 = time.perf_counter()
            generate, imported, vectors_s = generate + t1 - t0, imported + t2 - t1, vectors_s + t3 - t2
            all_vectors[start : start + len(papers)] = vectors
            ids.extend(p.arxiv_id or "" for p in papers)
            print(
                f"  {start + len(papers):,} papers, import {imported:.0f} s, vectors {vectors_s:.0f} s", file=sys.stderr
            )
        t0 = time.perf_counter()
    figures["vector_index_s"] = time.perf_counter() - t0  # PostgreSQL: the HNSW build when bulk_vectors ends
    figures.update(
        generate_s=generate, import_s=imported, import_per_s=args.papers / imported, vector_write_s=vectors_s
    )
    t0 = time.perf_counter()
    store.sync_text_index()
    figures["text_index_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    store.sync_vector_index(name, 384)
    figures["vector_index_s"] = float(figures["vector_index_s"]) + time.perf_counter() - t0  # SQLite: hnswlib
    assert store.embedding_models() == {name: args.papers}, "every paper has its vector"
    library.close()
    figures["disk_mb"] = disk_size(url) / 1e6
    return url, all_vectors, ids


def reuse(args: argparse.Namespace, figures: dict) -> tuple[str, np.ndarray, list[str]]:
    """The database an earlier run kept: rebuild its indexes (timed), read its vectors back."""
    url = (
        f"sqlite:///{args.dir / f'scale-{args.papers}.db'}"
        if args.backend == "sqlite"
        else f"{ADMIN}/paperradar_scale_{args.papers}"
    )
    library = Library.open(load_settings(database_url=url, embedder="hashing", home=str(args.dir / "home")))
    store = library.store
    if not args.search_only:
        t0 = time.perf_counter()
        store.rebuild_text_index()
        figures["text_index_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        store.rebuild_vector_index(EMBEDDER.name, 384)
        figures["vector_index_s"] = time.perf_counter() - t0
    ids = [paper.id or "" for paper in store.iter_papers(5000)]
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(ids), 5000):
        found.update(store.embeddings(EMBEDDER.name, ids[start : start + 5000]))
    library.close()
    figures["disk_mb"] = disk_size(url) / 1e6
    return url, np.stack([found[i] for i in ids]).astype(np.float16), ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=Path("/work/scale"))
    parser.add_argument("--keep", action="store_true", help="keep the database (default: drop it at the end)")
    parser.add_argument("--reuse", action="store_true", help="search the database a --keep run left (indexes rebuilt)")
    parser.add_argument("--search-only", action="store_true", help="search a kept database as it is")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"backend": args.backend, "papers": args.papers, "day": date.today().isoformat()}
    if args.search_only:
        figures["search_only"] = True
    started = time.perf_counter()
    model = Model()
    figures["model_s"] = time.perf_counter() - started
    if args.reuse or args.search_only:
        url, all_vectors, ids = reuse(args, figures)
    else:
        url, all_vectors, ids = build(args, model, figures)
    print(f"built in {time.perf_counter() - started:.0f} s: {json.dumps(figures)}", file=sys.stderr)

    texts = queries(model, args.queries)
    samples: dict[str, list[float]] = {}
    port = free_port()
    env = {**os.environ, "PAPERRADAR_DATABASE_URL": url, "PAPERRADAR_EMBEDDER": "hashing",
           "PAPERRADAR_HOME": str(args.dir / "home")}  # fmt: skip
    server = subprocess.Popen([sys.executable, "-m", "paperradar", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
        t0 = time.perf_counter()
        for _ in range(3000):
            try:
                client.get("/api/stats").raise_for_status()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        client.get("/api/search", params={"q": "warm up", "mode": "hybrid"}).raise_for_status()
        figures["server_ready_s"] = time.perf_counter() - t0
        for _ in range(2):  # warm: the page cache and the indexes' pages, as a serving instance is
            for text in texts[:20]:
                client.get("/api/search", params={"q": text + " warm", "mode": "hybrid"})
        for mode in ("lexical", "semantic", "hybrid"):
            for label, extra in (("", {}), (" +filter", FILTER)):
                for text in texts:
                    t0 = time.perf_counter()
                    client.get("/api/search", params={"q": text, "mode": mode, "limit": 20, **extra}).raise_for_status()
                    samples.setdefault(f"{mode}{label}", []).append(time.perf_counter() - t0)
                p50, p99 = percentiles(samples[f"{mode}{label}"])
                print(f"  {mode}{label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms", file=sys.stderr)
        status = Path(f"/proc/{server.pid}/status").read_text()
        memory = {
            line.split(":")[0]: int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("Vm")
        }
        figures["server_rss_mb"], figures["server_peak_mb"] = memory["VmRSS"], memory["VmHWM"]
        client.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a request still running: the figures are taken already
            server.kill()
            server.wait()
    matrix = all_vectors.astype(np.float32)
    for text in texts:
        t0 = time.perf_counter()
        scores = matrix @ EMBEDDER.embed_query(text)
        top = np.argpartition(-scores, 20)[:20]
        [ids[i] for i in top[np.argsort(-scores[top])]]
        samples.setdefault("baseline: numpy brute-force scan (semantic)", []).append(time.perf_counter() - t0)
    figures["search_ms"] = {k: percentiles(v) for k, v in samples.items()}
    figures["search_ms"].update(query_encoder_cost(url, args.dir / "home", texts))
    report(figures, args.dir)
    if not (args.keep or args.reuse or args.search_only) and args.backend == "postgres":
        with psycopg.connect(f"{ADMIN}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS paperradar_scale_{args.papers}")


class MiniLMFirst:
    """The hashing embedder, with every query first encoded by MiniLM as well: a MiniLM server's
    cost per query (its query encoder) over a corpus whose vectors are the hashing ones."""

    def __init__(self, minilm, hashing: HashingEmbedder) -> None:
        self.minilm, self.hashing = minilm, hashing
        self.name, self.dimensions = hashing.name, hashing.dimensions

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.hashing.embed(texts)

    def embed_query(self, text: str) -> np.ndarray:
        self.minilm.embed_query(text)
        return self.hashing.embed_query(text)


def query_encoder_cost(url: str, home: Path, texts: list[str]) -> dict[str, tuple[float, float]]:
    """Hybrid searches in process, on a worker thread as the server runs them, with the hashing
    query vector alone and with MiniLM encoding each query first. The queries alternate between the
    two, so neither finds pages the other's search of the same words warmed."""
    from concurrent.futures import ThreadPoolExecutor

    from paperradar.embed import load_embedder

    settings = load_settings(database_url=url, embedder="hashing", home=str(home))
    plain = Library.open(settings)
    minilm = Library(settings, plain.store, MiniLMFirst(load_embedder("minilm"), EMBEDDER))
    times: dict[str, list[float]] = {"hybrid in process, hashing query vector": [],
                                     "hybrid in process, MiniLM query encoder first": []}  # fmt: skip
    with ThreadPoolExecutor(1) as worker:
        for text in texts[:20]:  # warm the model and the pages
            worker.submit(minilm.search, text + " warm", 20).result()
        for number, text in enumerate(texts):
            library, label = (plain, minilm)[number % 2], list(times)[number % 2]
            t0 = time.perf_counter()
            worker.submit(library.search, text, 20).result()
            times[label].append(time.perf_counter() - t0)
    plain.close()
    return {label: percentiles(samples) for label, samples in times.items()}


def report(figures: dict, folder: Path) -> None:
    earlier = sorted(folder.glob(f"scale-{figures['backend']}-*.json"))
    smaller = [json.loads(p.read_text()) for p in earlier if json.loads(p.read_text())["papers"] < figures["papers"]]
    suffix = "-search" if figures.get("search_only") else ""  # a search-only run keeps the build's figures
    (folder / f"scale-{figures['backend']}-{figures['papers']}{suffix}.json").write_text(json.dumps(figures, indent=1))
    base = smaller[-1] if smaller else None
    print(f"{figures['backend']}, {figures['papers']:,} synthetic papers ({figures['day']})")
    keys = ("model_s", "generate_s", "import_s", "import_per_s", "vector_write_s", "text_index_s", "vector_index_s",
            "disk_mb", "server_ready_s", "server_rss_mb", "server_peak_mb")  # fmt: skip
    for key in keys:
        if key not in figures:
            continue  # a --reuse run builds nothing but the indexes
        ratio = f"  x{figures[key] / base[key]:.2f} vs {base['papers']:,}" if base and base.get(key) else ""
        print(f"{key:<20} {figures[key]:10.1f}{ratio}")
    print(f"{'search (HTTP, limit 20)':<44} {'p50 ms':>8} {'p99 ms':>8}")
    for name, (p50, p99) in figures["search_ms"].items():
        ratio = f"  x{p50 / base['search_ms'][name][0]:.2f}" if base and name in base["search_ms"] else ""
        print(f"{name:<44} {p50:8.2f} {p99:8.2f}{ratio}")


if __name__ == "__main__":
    main()
