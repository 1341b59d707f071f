"""The bundled demo: the seed papers, five weeks of recent arXiv listings and their MiniLM vectors.

Built by scripts/build_demo_corpus.py into paperradar/data/. The vectors are matched to papers by the
hash of the text they were computed from (title and abstract), so a paper whose text is not the
bundled one (merged with another record, say) is simply left to the embedder.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from paperradar.embed import normalise_rows, paper_text, text_hash
from paperradar.ingest import ImportSummary
from paperradar.ingest.embedding import loading
from paperradar.store.base import Store

SEED_PAPERS = "seed-papers.jsonl.gz"
ARXIV_PAPERS = "demo-arxiv.jsonl.gz"
VECTORS = "demo-vectors.npy"
MANIFEST = "demo-vectors.json"
DEMO_KEY = "demo"  # in the store's meta table: the newest listing day of the demo data, "" for seeds only
BATCH = 2_000


def data_file(name: str) -> Path:
    return Path(str(resources.files("paperradar.data") / name))


@dataclass(frozen=True, slots=True)
class DemoLoad:
    """What `paperradar demo` loaded."""

    seeds: ImportSummary
    arxiv: ImportSummary
    first_day: date | None
    last_day: date | None
    bundled_vectors: int  # vectors taken from the package instead of computed

    def describe(self) -> str:
        """One line: "450 seed papers + 6,926 arXiv papers listed 2026-06-01 … 2026-07-01, vectors included"."""
        line = f"{self.seeds.added:,} seed papers + {self.arxiv.added:,} arXiv papers"
        if self.first_day and self.last_day:
            line += f" listed {self.first_day.isoformat()} … {self.last_day.isoformat()}"
        return line + (", vectors included" if self.bundled_vectors else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed_papers": self.seeds.added,
            "arxiv_papers": self.arxiv.added,
            "added": self.seeds.added + self.arxiv.added,
            "skipped": self.seeds.skipped + self.arxiv.skipped,
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "bundled_vectors": self.bundled_vectors,
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest_fits(manifest: dict[str, Any], model: str) -> bool:
    """The bundled vectors are of this model, with the weights installed here, and of this corpus."""
    if manifest.get("model") != model or manifest.get("corpus_sha256") != _sha256(data_file(ARXIV_PAPERS)):
        return False
    from paperradar.embed.minilm import MODEL_NAME, model_path

    if model != MODEL_NAME:
        return False
    try:
        weights = model_path() / "model.safetensors"
    except RuntimeError:
        return False  # no model installed: nothing could search with these vectors anyway
    return _sha256(weights) == manifest.get("model_weights_sha256")


def store_bundled_vectors(store: Store, model: str) -> int:
    """Give every paper waiting for a `model` vector the bundled one of its text; returns how many."""
    manifest = json.loads(data_file(MANIFEST).read_text(encoding="utf-8"))
    if not _manifest_fits(manifest, model):
        return 0
    vectors = np.load(data_file(VECTORS), allow_pickle=False)
    row_of = {digest: row for row, digest in enumerate(manifest["text_hashes"])}
    written, after = 0, None
    with loading(store, store.count_pending_embeddings(model), store.embedding_models().get(model, 0)):
        while pending := store.pending_embeddings(model, BATCH, after=after):
            after = pending[-1].paper_id
            found = []
            for paper in pending:
                digest = text_hash(paper_text(paper.title, paper.abstract))
                if digest in row_of:
                    found.append((paper.paper_id, digest, row_of[digest]))
            if not found:
                continue
            unit = normalise_rows(vectors[[row for _, _, row in found]].astype(np.float32))
            with store.transaction():
                store.put_embeddings(model, [(pid, digest, unit[i]) for i, (pid, digest, _) in enumerate(found)])
            written += len(found)
    store.sync_vector_index(model, int(manifest["dimensions"]))
    return written
