"""Ranked keyword search from the tantivy BM25 index beside a database, for either backend: the
index follows the database's `text_changes` log, filters and the query's hard parts are checked in
SQL, and the backend's own full-text search is the exact fallback.

A search never writes the index: it reloads what other processes committed and answers from that.
Whoever changes papers' texts (an import, a sync, the server's follower of other machines' changes)
then applies the log rows written since the index's last seq, whichever process wrote them, holding
the index's writer lock only while it writes. Writers hold the store's write lock while they insert,
so log rows commit in seq order and a writer that saw seq n has seen every row below it.
"""

from __future__ import annotations

import contextlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from paperradar.errors import Busy
from paperradar.models import Filters, KeywordQuery
from paperradar.store.base import Ranking
from paperradar.store.text_index import WRITE_WAIT, TextIndex

# With filters or hard parts, look this deep for candidates before falling back to an exact scan.
RESTRICTED_DEPTH = 2_000
_CATCH_UP_BATCH = 20_000


class BM25Mixin(ABC):
    """Provides `lexical`, `sync_text_index` and `rebuild_text_index`; the backend provides the
    hooks below, `keyword` (its exact full-text ranking) and `matching`."""

    _text_index: TextIndex | None
    _text_index_lock: threading.Lock

    keyword: Callable[..., Ranking]  # the backend's exact full-text ranking (query, limit, match_all)
    matching: Callable[[Sequence[str], KeywordQuery], set[str]]  # which of these ids meet the hard parts

    # -- what a backend provides (abstract: a backend lacking one cannot be made) --------
    @abstractmethod
    def _text_index_folder(self) -> Path | None:
        """Where the index files live; None keeps the index in memory."""

    @abstractmethod
    def _writing(self) -> bool:
        """Whether this thread is inside a write transaction (its rows may still roll back)."""

    @abstractmethod
    def _newest_text_change(self) -> int:
        """The seq of the newest `text_changes` row (0 when there is none)."""

    @abstractmethod
    def _text_changes(self, after: int, limit: int) -> list[tuple[int, int]]:
        """(seq, paper pk) log rows after seq `after`, in order."""

    @abstractmethod
    def _texts(self, pks: Sequence[int]) -> dict[int, str]:
        """The document text of each of these papers that still exists."""

    @abstractmethod
    def _restricts(self, filters: Filters | None) -> bool:
        """Whether these filters leave out any paper."""

    @abstractmethod
    def _ids_passing(self, pks: Sequence[int], filters: Filters | None) -> dict[int, str]:
        """pk -> public id of those of these papers that pass the filters."""

    # -- the index --------------------------------------------------------------------
    def _loaded_text_index(self) -> TextIndex:
        with self._text_index_lock:
            if self._text_index is None:
                index = TextIndex(self._text_index_folder())
                # Once per process, as the index loads: a missing one (a copied database, a new
                # machine) or one left behind catches up here, so that no search has to.
                with contextlib.suppress(Busy):  # another process is writing it: it catches up
                    self._catch_up(index, wait=0)
                self._text_index = index
            return self._text_index

    def _changes(self, after: int) -> Iterator[tuple[list[tuple[int, str | None]], int]]:
        """Batches of (pk, text or None) for papers changed after seq `after`, with each batch's last seq."""
        while rows := self._text_changes(after, _CATCH_UP_BATCH):
            pks = list(dict.fromkeys(pk for _, pk in rows))
            texts: dict[int, str] = {}
            for start in range(0, len(pks), 500):
                texts.update(self._texts(pks[start : start + 500]))
            after = rows[-1][0]
            yield [(pk, texts.get(pk)) for pk in pks], after

    def sync_text_index(self, wait: float = WRITE_WAIT) -> int:
        """Apply the text changes the index has not seen; returns how many papers it (re)indexed.
        Waits up to `wait` seconds for another process's writer, then raises TextIndexBusy."""
        return self._catch_up(self._loaded_text_index(), wait)

    def _catch_up(self, index: TextIndex, wait: float) -> int:
        if self._writing():
            return 0  # uncommitted rows may still roll back; the next writer applies them
        index.refresh()  # another process may have applied them already
        if self._newest_text_change() <= index.last_seq:
            return 0
        applied = 0
        with index.writing(wait) as write:
            for batch, seq in self._changes(index.last_seq):
                applied += write(batch, seq)
        return applied

    def rebuild_text_index(self, wait: float = WRITE_WAIT) -> int:
        """Index every paper afresh; returns how many the index holds."""
        index = self._loaded_text_index()
        newest = self._newest_text_change()
        with index.writing(wait, clear=True) as write:
            for batch, seq in self._changes(0):
                write(batch, seq)
            write([], newest)
        return len(index)

    def refresh_text_index(self) -> None:
        """Let searches see what writers in other processes committed (reading only: never a writer)."""
        index = self._loaded_text_index()
        if self._newest_text_change() > index.last_seq:
            index.refresh()

    def lexical(self, query: KeywordQuery, limit: int) -> Ranking:
        """BM25 over any of the query's words, best first, honouring its filters and hard parts."""
        rankable = [*query.terms, *query.phrases, *(text for _, text in query.fields)]
        if not rankable or limit <= 0:
            return []
        if self._loaded_text_index().folder is None:
            self.sync_text_index()  # an index in memory is this store's alone: no other writer keeps it
        else:
            self.refresh_text_index()  # never applies changes: that is the writers' work (import, sync)
        restricted = self._restricts(query.filters) or query.has_constraints
        # A broad filter is met within a shallow search; a selective one needs the deep one (each
        # hit costs a stored-field read, ~50 us, so 2,000 are ~100 ms), then the exact fallback.
        depths = (limit * 5, max(limit * 20, RESTRICTED_DEPTH)) if restricted else (limit,)
        for depth in depths:
            hits = self._loaded_text_index().search(rankable, depth)
            ids: dict[int, str] = {}
            pks = [pk for pk, _ in hits]
            for start in range(0, len(pks), 500):
                ids.update(self._ids_passing(pks[start : start + 500], query.filters))
            if query.has_constraints and ids:
                allowed = self.matching(list(ids.values()), query.constraints)
                ids = {pk: pid for pk, pid in ids.items() if pid in allowed}
            ranking = [(ids[pk], score) for pk, score in hits if pk in ids][:limit]
            if not restricted or len(ranking) == limit or len(hits) < depth:
                return ranking
        # The filters are more selective than the candidates reach: scan exactly.
        return self.keyword(query, limit, match_all=False)
