"""Embedding throughput: `paperradar embed` (read, embed, write, index) beside the raw model on the
same texts, in the same run. Goal: the pipeline at >= 0.9x the model alone.

    .venv/bin/python bench/embed_speed.py [--papers 2000]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import raw_records
from paperradar.embed import paper_text
from paperradar.ingest.importer import upsert
from paperradar.models import Paper
from paperradar.service import Library
from paperradar.settings import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=2000)
    args = parser.parse_args()
    records = list(itertools.islice(raw_records("arxiv-daily-cs"), args.papers))
    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(load_settings(database_url=f"sqlite:///{folder}/embed.db", embedder="minilm"))
        with library.store.transaction():
            for r in records:
                upsert(library.store, Paper(title=r["title"], abstract=r["abstract"], arxiv_id=r["id"]))
        embedder = library.embedder
        texts = [paper_text(r["title"], r["abstract"]) for r in records]
        embedder.embed(texts[:64])  # warm the model once for both
        rounds = []
        for _ in range(2):  # alternate, so drift in machine load hits both alike
            started = time.perf_counter()
            for start in range(0, len(texts), 256):
                embedder.embed(texts[start : start + 256])
            raw = time.perf_counter() - started
            with library.store.transaction():
                library.store.drop_embeddings_except("nothing")
            started = time.perf_counter()
            summary = library.embed_pending()
            ours = time.perf_counter() - started
            rounds.append((len(texts) / raw, summary.embedded / ours))
        library.close()
    raw_rate = max(r for r, _ in rounds)
    our_rate = max(o for _, o in rounds)
    print(f"Embedding {len(texts):,} abstracts of arxiv-daily-cs with {embedder.name} ({embedder.precision})")
    print(f"{'raw model (MiniLMEmbedder.embed, batches of 256)':<52} {raw_rate:8.1f} papers/s")
    print(f"{'paperradar embed (read, embed, store, index)':<52} {our_rate:8.1f} papers/s")
    print(f"{'ratio':<52} {our_rate / raw_rate:8.2f}x")


if __name__ == "__main__":
    main()
