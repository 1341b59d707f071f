"""Papers in: files opened and imported (all or none when strict), vectors embedded for what has none,
and the bundled demo loaded into an empty database."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from importlib import resources
from pathlib import Path

from paperradar.ingest import ImportSummary, import_records
from paperradar.ingest.embedding import EmbedSummary, embed_pending
from paperradar.service import demo
from paperradar.service.demo import DemoLoad
from paperradar.service.indexes import Indexes
from paperradar.sources.base import Source
from paperradar.sources.files import open_source

DEMO_CORPUS = "seed-papers.jsonl.gz"


class Importing(Indexes):
    """`Library.import_sources`, `embed_pending` and the demo loads."""

    def sources(self, paths: Iterable[Path], fmt: str = "auto") -> list[Source]:
        """Open every file before importing any, so a missing file fails before anything is written."""
        return [open_source(Path(p), fmt) for p in paths]

    def import_sources(
        self,
        sources: list[Source],
        strict: bool = False,
        on_progress: Callable[[Source, ImportSummary], None] | None = None,
    ) -> ImportSummary:
        total = ImportSummary()
        if strict:  # all files or none
            with self.store.transaction():
                for source in sources:
                    total.add(self._import_one(source, strict, on_progress))
        else:
            for source in sources:
                total.add(self._import_one(source, strict, on_progress))
        self.sync_indexes()
        return total

    def _import_one(
        self, source: Source, strict: bool, on_progress: Callable[[Source, ImportSummary], None] | None
    ) -> ImportSummary:
        callback = (lambda summary: on_progress(source, summary)) if on_progress else None
        return import_records(self.store, source.read(), strict=strict, on_batch=callback)

    def embed_pending(
        self, limit: int | None = None, on_batch: Callable[[EmbedSummary], None] | None = None
    ) -> EmbedSummary:
        """Embed every paper that has no vector from the current model (resumable: committed per batch)."""
        return embed_pending(self.store, self.embedder, limit=limit, on_batch=on_batch)

    def pending_embeddings(self) -> int:
        return self.store.count_pending_embeddings(self.embedder_name())

    def demo_corpus_path(self) -> Path:
        return Path(str(resources.files("paperradar.data") / DEMO_CORPUS))

    def load_demo_if_empty(self) -> ImportSummary | None:
        """Import the bundled seed papers into an empty database; None when it already has papers.
        (The test suite's corpus; `load_full_demo` adds the arXiv slice and its vectors.)"""
        if self.store.count() > 0:
            return None
        return self.import_sources(self.sources([self.demo_corpus_path()]))

    def load_full_demo(self) -> DemoLoad | None:
        """Into an empty database: the seed papers, five weeks of arXiv listings and, when the embedder is
        MiniLM, their bundled vectors (papers left without one wait for `embed_pending`). None when the
        database already has papers: loading again changes nothing."""
        if self.store.count() > 0:
            return None
        seeds = self.import_sources(self.sources([demo.data_file(demo.SEED_PAPERS)]))
        arxiv = self.import_sources(self.sources([demo.data_file(demo.ARXIV_PAPERS)]))
        bundled = demo.store_bundled_vectors(self.store, self.embedder_name())
        first, last = self.store.listing_day(after=date(1000, 1, 1)), self.store.listing_day()
        self.store.set_meta(demo.DEMO_KEY, last.isoformat() if last else "")
        return demo.DemoLoad(seeds, arxiv, first, last, bundled)

    def demo_until(self) -> date | None:
        """The newest listing day of the bundled demo data when this database holds it, for pages to say so."""
        value = self.store.meta(demo.DEMO_KEY)
        return date.fromisoformat(value) if value else None
