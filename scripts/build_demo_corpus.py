"""Build the bundled demo slice: the last five ISO weeks of arxiv-daily-cs, and their MiniLM vectors.

    PYTHONPATH=src python scripts/build_demo_corpus.py [--source ../shared/data/arxiv-daily-cs] [--weeks 5]

Writes into src/paperradar/data/:
  demo-arxiv.jsonl.gz   the papers in the native import format (docs/formats.md), sorted by listing date and id
  demo-vectors.npy      float16 (n, 384): all-MiniLM-L6-v2 vectors of the seed and demo papers' texts
  demo-vectors.json     the model, its weights' checksum, the precision, the corpus checksum and, row by
                        row, the hash of the text each vector is of
  DEMO-SOURCE.md        where the papers come from and under which licences

Reproducible: the same source file gives byte-identical outputs (gzip without a timestamp, sorted
records; the vectors depend only on the model and its precision, both recorded).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from paperradar.embed import load_embedder, paper_text, text_hash
from paperradar.embed.minilm import MODEL_NAME, model_path
from paperradar.sources.files.fields import to_paper

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "paperradar" / "data"
FIELDS = ("id", "title", "authors", "categories", "primary_category", "abstract", "comment", "listing_date")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_slice(path: Path, weeks: int) -> tuple[list[dict], date, date]:
    """The records listed in the last `weeks` ISO weeks (Monday to the newest day) of the file."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    newest = max(date.fromisoformat(r["listing_date"]) for r in records)
    first = newest - timedelta(days=newest.weekday()) - timedelta(weeks=weeks - 1)
    chosen = [
        {key: r.get(key) for key in FIELDS if r.get(key) not in (None, "", [])}
        for r in records
        if date.fromisoformat(r["listing_date"]) >= first
    ]
    chosen.sort(key=lambda r: (r["listing_date"], r["id"]))
    return chosen, first, newest


def write_jsonl(records: list[dict], path: Path) -> None:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        for record in records:
            handle.write((json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def source_commit(source_md: Path) -> str:
    match = re.search(r"\*\*Commit[^\n]*?`([0-9a-f]{40})`", source_md.read_text(encoding="utf-8"))
    return match.group(1) if match else "unknown"


def write_attribution(path: Path, count: int, first: date, newest: date, commit: str) -> None:
    path.write_text(
        f"""# The bundled demo papers

`demo-arxiv.jsonl.gz` holds {count:,} arXiv papers (cs.CV, cs.CL, cs.AI and neighbours) listed
{first.isoformat()} … {newest.isoformat()}, taken by `scripts/build_demo_corpus.py` from the
arxiv-daily-cs collection:

- Source repository: https://github.com/dw-dengwei/daily-arXiv-ai-enhanced (branch `data`)
- Commit: `{commit}`
- Fields kept: arXiv id, title, authors, categories (first = primary), abstract, arXiv comment, listing date.
- Licence: arXiv metadata is CC0; each abstract stays under the licence its authors chose on arXiv.

`demo-vectors.npy` holds their {MODEL_NAME} vectors and the seed papers' (float16), computed with paperradar's own
embedder from each paper's title and abstract; `demo-vectors.json` names the model, the checksum
of its weights and the checksum of the papers' file they belong to.
""",
        encoding="utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data" / "arxiv-daily-cs")
    parser.add_argument("--weeks", type=int, default=5)
    parser.add_argument("--precision", default="auto", help="the embedder's precision (as `embed_precision`)")
    args = parser.parse_args()

    records, first, newest = read_slice(args.source / "papers.jsonl.gz", args.weeks)
    corpus = OUT / "demo-arxiv.jsonl.gz"
    write_jsonl(records, corpus)
    write_attribution(OUT / "DEMO-SOURCE.md", len(records), first, newest, source_commit(args.source / "SOURCE.md"))
    print(f"{len(records):,} papers listed {first} … {newest} -> {corpus.name}", file=sys.stderr)

    # Embed what the importer makes of each record, seed papers too, so the text equals what
    # `paperradar embed` reads; the loader matches vectors to papers by the hash of that text.
    with gzip.open(OUT / "seed-papers.jsonl.gz", "rt", encoding="utf-8") as handle:
        seeds = [json.loads(line) for line in handle if line.strip()]
    texts = list(dict.fromkeys(paper_text(p.title, p.abstract) for p in (to_paper(r) for r in seeds + records)))
    embedder = load_embedder("minilm", args.precision)
    batches = []
    for start in range(0, len(texts), 256):
        batches.append(embedder.embed(texts[start : start + 256]))
        print(f"  embedded {start + len(batches[-1]):,} / {len(texts):,}", file=sys.stderr)
    vectors = np.concatenate(batches)
    np.save(OUT / "demo-vectors.npy", vectors.astype(np.float16), allow_pickle=False)
    manifest = {
        "model": embedder.name,
        "model_weights_sha256": sha256(model_path() / "model.safetensors"),
        "precision": getattr(embedder, "precision", args.precision),
        "dtype": "float16",
        "dimensions": int(vectors.shape[1]),
        "corpus": corpus.name,
        "corpus_sha256": sha256(corpus),
        # The hash of each text embedded (as `paperradar embed` keys vectors): a vector is used only for that text.
        "text_hashes": [text_hash(text) for text in texts],
    }
    (OUT / "demo-vectors.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"{len(vectors):,} vectors ({MODEL_NAME}, {manifest['precision']}) -> demo-vectors.npy", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
