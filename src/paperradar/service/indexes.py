"""The keyword and vector indexes beside the database: brought up to date after whatever writes papers,
followed while a server runs beside other writers, rebuilt on demand."""

from __future__ import annotations

import logging
import threading

from paperradar.errors import Busy
from paperradar.service.base import LibraryBase

log = logging.getLogger("paperradar")


class Indexes(LibraryBase):
    """`Library.sync_indexes`, `follow_indexes` and `reindex`."""

    def follow_indexes(self, stop: threading.Event) -> None:
        """Until `stop` is set, every `index_follow_interval` seconds index what other processes changed
        and left unindexed (a server beside a database other machines import into; searches never
        write the index). A writer busy elsewhere is applying the same changes: skip that round."""
        interval = self.settings.index_follow_interval
        while interval and not stop.wait(interval):
            try:
                self.store.sync_text_index(wait=0)
            except Busy:
                continue
            except Exception:  # a database hiccup must not end the follower; the next round retries
                log.exception("keyword index follower")

    def sync_indexes(self) -> int:
        """Index papers whose texts changed for keyword search (after an import or a sync, in whatever
        process made them; searches never do it). Returns how many papers it (re)indexed; waits up to
        `index_write_wait` for another process writing the index, then raises Busy."""
        return self.store.sync_text_index(wait=self.settings.index_write_wait)

    def reindex(self) -> dict[str, int]:
        """Rebuild the keyword and vector indexes beside the database; returns how many papers each holds."""
        sizes = {"keyword": self.store.rebuild_text_index(wait=self.settings.index_write_wait)}
        if self.has_embeddings():
            sizes["vectors"] = self.store.rebuild_vector_index(self.embedder.name, self.embedder.dimensions)
        return sizes
