"""The benchmark corpora as embedded paperradar databases, built once and cached between runs.

`seed`: the bundled demo corpus. `arxiv-daily-cs`: ../shared/data/arxiv-daily-cs (74,728 papers;
embedding it with all-MiniLM-L6-v2 takes ~15-25 min on two cores, once).
Cache folder: ~/.cache/paperradar-bench (PAPERRADAR_BENCH_CACHE to move it).
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from paperradar.service import Library
from paperradar.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PAPERRADAR_SHARED", ROOT.parent / "shared"))
CACHE = Path(os.environ.get("PAPERRADAR_BENCH_CACHE", "~/.cache/paperradar-bench")).expanduser()
SOURCES = {
    "seed": ROOT / "src" / "paperradar" / "data" / "seed-papers.jsonl.gz",
    "arxiv-daily-cs": SHARED / "data" / "arxiv-daily-cs" / "papers.jsonl.gz",
}


def database_url(name: str, embedder: str = "minilm") -> str:
    """The cached database of a corpus: MiniLM's under the corpus name, another embedder's beside it."""
    suffix = "" if embedder == "minilm" else f"-{embedder}"
    return f"sqlite:///{CACHE / (name + suffix + '.db')}"


def open_corpus(name: str, embedder: str = "minilm") -> Library:
    """The corpus as a Library with the embedder's vectors for every paper (imported and embedded if needed)."""
    if not SOURCES[name].exists():
        sys.exit(f"{SOURCES[name]} not found (the reference data lives in ../shared)")
    CACHE.mkdir(parents=True, exist_ok=True)
    library = Library.open(load_settings(database_url=database_url(name, embedder), embedder=embedder))
    if library.store.count() == 0:
        print(f"[{name}] importing {SOURCES[name].name} (once; cached) …", file=sys.stderr)
        library.import_sources(library.sources([SOURCES[name]]))
    if library.pending_embeddings():
        print(f"[{name}] embedding {library.pending_embeddings():,} papers with {embedder} (once; cached) …",
              file=sys.stderr)  # fmt: skip
        library.embed_pending()
    return library


def read_queries(name: str) -> list[dict]:
    path = ROOT / "bench" / "queries" / f"known_items_{name.removeprefix('arxiv-').replace('-', '_')}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def raw_records(name: str):
    with gzip.open(SOURCES[name], "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)
