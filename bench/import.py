"""Import throughput on the reference corpora, beside SQLite's own FTS5 bulk build of the same texts.

Run: .venv/bin/python bench/import.py [--json]
For each corpus it imports the whole file into a fresh database (no embeddings) and reports
papers/s and the peak memory of the import (in a child process, so each figure is its own). The
baseline is SQLite's FTS5 indexing the same titles, abstracts and authors in one bulk statement,
measured in the same run: the ratio says how close the full pipeline (parse, merge, store, index)
comes to the index build alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(os.environ.get("PAPERRADAR_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
CORPORA = {
    "arxiv-daily-cs": SHARED / "data" / "arxiv-daily-cs" / "papers.jsonl.gz",
    "paperlists": SHARED / "data" / "paperlists" / "papers.jsonl.gz",
}


def _import(path: Path, queue: multiprocessing.Queue) -> None:
    from paperradar.service import Library
    from paperradar.settings import load_settings

    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(load_settings(database_url=f"sqlite:///{folder}/bench.db"))
        started = time.perf_counter()
        summary = library.import_sources(library.sources([path]))
        seconds = time.perf_counter() - started
        library.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"records": summary.read, "added": summary.added, "skipped": summary.skipped, "seconds": seconds,
               "peak_mb": peak_mb})  # fmt: skip


def _fts_baseline(path: Path, queue: multiprocessing.Queue) -> None:
    """FTS5 alone: the same texts, already parsed, indexed in one INSERT ... SELECT."""
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            rows.append((record.get("title") or "", record.get("abstract") or "", json.dumps(record.get("authors"))))
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(f"{folder}/fts.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE docs (pk INTEGER PRIMARY KEY, title, abstract, authors)")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO docs (title, abstract, authors) VALUES (?, ?, ?)", rows)
        conn.execute("COMMIT")
        conn.execute(
            "CREATE VIRTUAL TABLE docs_fts USING fts5 (title, abstract, authors, content='docs', content_rowid='pk', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO docs_fts (rowid, title, abstract, authors) SELECT pk, title, abstract, authors FROM docs"
        )
        conn.execute("COMMIT")
        seconds = time.perf_counter() - started
        conn.close()
    queue.put({"records": len(rows), "seconds": seconds})


def _in_child(target, path: Path) -> dict:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=target, args=(path, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    missing = [name for name, path in CORPORA.items() if not path.exists()]
    if missing:
        print(f"skipped: reference data not found under {SHARED} ({', '.join(missing)})")
        return 0
    results = {}
    for name, path in CORPORA.items():
        ours = _in_child(_import, path)
        baseline = _in_child(_fts_baseline, path)
        ours_rate = ours["records"] / ours["seconds"]
        base_rate = baseline["records"] / baseline["seconds"]
        results[name] = {
            "records": ours["records"],
            "skipped": ours["skipped"],
            "papers_per_s": round(ours_rate),
            "fts5_bulk_docs_per_s": round(base_rate),
            "ratio_to_fts5_bulk": round(ours_rate / base_rate, 3),
            "peak_memory_mb": round(ours["peak_mb"]),
        }
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'corpus':<16}{'records':>9}{'skipped':>9}{'papers/s':>10}{'FTS5 bulk/s':>13}{'ratio':>8}{'peak MB':>9}")
    for name, r in results.items():
        print(f"{name:<16}{r['records']:>9}{r['skipped']:>9}{r['papers_per_s']:>10}{r['fts5_bulk_docs_per_s']:>13}"
              f"{r['ratio_to_fts5_bulk']:>8.2f}{r['peak_memory_mb']:>9}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
