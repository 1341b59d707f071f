"""Embed the papers that lack a vector from the current model, in batches committed one at a time.

Each batch is embedded, then written in its own transaction, so an interrupted run keeps everything
finished before the interruption and the next run starts where it stopped (the queue is simply
"papers without a vector", so there is no cursor to lose).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from paperradar.embed import Embedder, paper_text, text_hash
from paperradar.store.base import Store

# Texts per model call: large enough that sorting by length inside the call keeps padding low,
# small enough that an interruption loses little work.
BATCH = 256
# Writing at least this many vectors, more than the model has already, goes with the vector index
# dropped and built once at the end: on PostgreSQL ~20x faster than upkeeping it row by row. Searches
# meanwhile are exact scans, which is no loss where the index covered less than half the vectors.
BULK_VECTORS = 10_000


def loading(store: Store, incoming: int, present: int) -> AbstractContextManager[None]:
    """Around writing `incoming` vectors to a store that holds `present`: a bulk load when it pays."""
    if incoming >= BULK_VECTORS and incoming > present:
        return store.bulk_vectors()
    return nullcontext()


@dataclass(slots=True)
class EmbedSummary:
    model: str
    embedded: int = 0
    pending_before: int = 0
    seconds: float = 0.0
    dropped_other_models: int = 0
    _started: float = field(default_factory=time.perf_counter, repr=False)

    @property
    def per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "model": self.model,
            "embedded": self.embedded,
            "pending_before": self.pending_before,
            "seconds": round(self.seconds, 2),
            "papers_per_second": round(self.per_second, 1),
            "dropped_other_models": self.dropped_other_models,
        }


def embed_pending(
    store: Store,
    embedder: Embedder,
    batch: int = BATCH,
    limit: int | None = None,
    on_batch: Callable[[EmbedSummary], None] | None = None,
) -> EmbedSummary:
    """Embed every paper without a vector from `embedder` (at most `limit`), committing per batch."""
    summary = EmbedSummary(embedder.name, pending_before=store.count_pending_embeddings(embedder.name))
    incoming = summary.pending_before if limit is None else min(limit, summary.pending_before)
    with loading(store, incoming, store.embedding_models().get(embedder.name, 0)):
        _embed(store, embedder, batch, limit, on_batch, summary)
    if limit is None and summary.embedded and not store.count_pending_embeddings(embedder.name):
        # Every paper has a vector from this model: vectors from an earlier model are dead weight.
        with store.transaction():
            summary.dropped_other_models = store.drop_embeddings_except(embedder.name)
    # Bring the vector index up to date and save it now, so the first search does not pay for it.
    store.sync_vector_index(embedder.name, embedder.dimensions)
    summary.seconds = time.perf_counter() - summary._started
    return summary


def _embed(store: Store, embedder: Embedder, batch: int, limit: int | None,
           on_batch: Callable[[EmbedSummary], None] | None, summary: EmbedSummary) -> None:  # fmt: skip
    after: str | None = None
    while limit is None or summary.embedded < limit:
        size = batch if limit is None else min(batch, limit - summary.embedded)
        pending = store.pending_embeddings(embedder.name, size, after=after)
        if not pending:
            break
        texts = [paper_text(p.title, p.abstract) for p in pending]
        vectors = embedder.embed(texts)
        with store.transaction():
            store.put_embeddings(
                embedder.name,
                [
                    (p.paper_id, text_hash(text), vector)
                    for p, text, vector in zip(pending, texts, vectors, strict=True)
                ],
            )
        summary.embedded += len(pending)
        summary.seconds = time.perf_counter() - summary._started
        after = pending[-1].paper_id
        if on_batch:
            on_batch(summary)
