"""Ranked keyword search for SQLiteStore: BM25 from the tantivy index beside the database, with
filters and the query's hard parts checked in SQL, and FTS5 as the exact fallback.

The index follows the `text_changes` log (migration 0004): before answering, a store applies the
rows written since the index's last seq, whichever process wrote them.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from paperradar.models import KeywordQuery
from paperradar.store.base import Ranking
from paperradar.store.sqlite.filters import where
from paperradar.store.text_index import TextIndex, TextIndexBusy, document_text

# With filters or hard parts, look this deep for candidates before falling back to an FTS5 scan.
RESTRICTED_DEPTH = 2_000
_CATCH_UP_BATCH = 20_000


class LexicalMixin:
    """Provides `lexical`, `sync_text_index` and `rebuild_text_index` (needs `_conn`, `keyword`, `matching`)."""

    location: str
    _text_index: TextIndex | None
    _text_index_lock: threading.Lock

    _conn: Callable[[], sqlite3.Connection]  # SQLiteStore's: this thread's connection

    def _text_index_folder(self) -> Path | None:
        if self.location == ":memory:":
            return None
        return Path(self.location).expanduser().with_name(Path(self.location).name + ".text")

    def _loaded_text_index(self) -> TextIndex:
        with self._text_index_lock:
            if self._text_index is None:
                self._text_index = TextIndex(self._text_index_folder())
            return self._text_index

    def _changes(self, after: int) -> Iterator[tuple[list[tuple[int, str | None]], int]]:
        """Batches of (pk, text or None) for papers changed after seq `after`, with each batch's last seq."""
        conn = self._conn()
        while True:
            rows = conn.execute(
                "SELECT seq, paper_pk FROM text_changes WHERE seq > ? ORDER BY seq LIMIT ?", (after, _CATCH_UP_BATCH)
            ).fetchall()
            if not rows:
                return
            pks = list(dict.fromkeys(pk for _, pk in rows))
            texts: dict[int, str] = {}
            for start in range(0, len(pks), 500):
                chunk = pks[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for pk, title, abstract, authors in conn.execute(
                    f"SELECT pk, title, abstract, authors FROM papers WHERE pk IN ({marks})", chunk
                ):
                    texts[pk] = document_text(title, abstract, json.loads(authors))
            after = rows[-1][0]
            yield [(pk, texts.get(pk)) for pk in pks], after

    def sync_text_index(self) -> int:
        """Apply the text changes the index has not seen; returns how many papers it (re)indexed."""
        index = self._loaded_text_index()
        if self._conn().in_transaction:
            return 0  # uncommitted rows may still roll back; the next reader applies them
        newest = self._conn().execute("SELECT max(seq) FROM text_changes").fetchone()[0] or 0
        if newest <= index.last_seq:
            return 0
        index.refresh()  # another process may have applied them already
        applied = 0
        for batch, seq in self._changes(index.last_seq):
            applied += index.apply(batch, seq)
        return applied

    def rebuild_text_index(self) -> int:
        """Index every paper afresh; returns how many the index holds."""
        index = self._loaded_text_index()
        newest = self._conn().execute("SELECT max(seq) FROM text_changes").fetchone()[0] or 0
        first = True
        for batch, seq in self._changes(0):
            index.apply(batch, seq, clear=first)
            first = False
        if first:
            index.apply([], newest, clear=True)
        return len(index)

    def lexical(self, query: KeywordQuery, limit: int) -> Ranking:
        """BM25 over any of the query's words, best first, honouring its filters and hard parts."""
        rankable = [*query.terms, *query.phrases, *(text for _, text in query.fields)]
        if not rankable or limit <= 0:
            return []
        with contextlib.suppress(TextIndexBusy):  # another process is writing it: answer from what it holds
            self.sync_text_index()
        condition, params = where(query.filters)
        restricted = bool(condition) or query.has_constraints
        depth = max(limit * 20, RESTRICTED_DEPTH) if restricted else limit
        hits = self._loaded_text_index().search(rankable, depth)
        ids = self._ids_passing(hits, condition, params)
        if query.has_constraints and ids:
            allowed = self.matching(list(ids.values()), query.constraints)  # type: ignore[attr-defined]
            ids = {pk: pid for pk, pid in ids.items() if pid in allowed}
        ranking = [(ids[pk], score) for pk, score in hits if pk in ids][:limit]
        if restricted and len(ranking) < limit and len(hits) == depth:
            # The filters are more selective than the candidates reach: scan exactly with FTS5.
            return self.keyword(query, limit, match_all=False)  # type: ignore[attr-defined]
        return ranking

    def _ids_passing(self, hits: list[tuple[int, float]], condition: str, params: list[object]) -> dict[int, str]:
        found: dict[int, str] = {}
        pks = [pk for pk, _ in hits]
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._conn().execute(
                f"SELECT p.pk, p.id FROM papers p WHERE p.pk IN ({marks}){condition}", (*chunk, *params)
            )
            found.update(rows)
        return found
