"""The hooks that put PostgresStore's keyword search on a tantivy BM25 index beside the server
(store/bm25.py), following the `text_changes` log of migration 0004, with ts_rank_cd as the exact
fallback: ts_rank_cd ranks every matching row, 140-370 ms for a broad query at 75k papers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from paperradar.models import Filters
from paperradar.store.bm25 import BM25Mixin
from paperradar.store.filters import where
from paperradar.store.postgres.dialect import POSTGRES
from paperradar.store.text_index import document_text


class LexicalMixin(BM25Mixin):
    """BM25Mixin's hooks in PostgreSQL (needs `_rows`, `_local`, `_index_home`)."""

    _rows: Callable[..., list[tuple]]  # PostgresStore's: run a query, return its rows
    _local: threading.local
    _index_home: Path | None  # where this server keeps index files; None: in memory

    def _text_index_folder(self) -> Path | None:
        if self._index_home is None:
            return None
        database, instance = self._rows("SELECT current_database(), id FROM paperradar_instance")[0]
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in database)
        return self._index_home / f"postgres-{safe}-{instance[:12]}.text"

    def _writing(self) -> bool:
        return getattr(self._local, "conn", None) is not None

    def _newest_text_change(self) -> int:
        return int(self._rows("SELECT COALESCE(max(seq), 0) FROM text_changes")[0][0])

    def _text_changes(self, after: int, limit: int) -> list[tuple[int, int]]:
        return self._rows("SELECT seq, paper_pk FROM text_changes WHERE seq > %s ORDER BY seq LIMIT %s", (after, limit))

    def _texts(self, pks: Sequence[int]) -> dict[int, str]:
        rows = self._rows("SELECT pk, title, abstract, authors FROM papers WHERE pk = ANY(%s)", (list(pks),))
        return {pk: document_text(title, abstract, authors) for pk, title, abstract, authors in rows}

    def _restricts(self, filters: Filters | None) -> bool:
        return bool(where(filters, POSTGRES)[0])

    def _ids_passing(self, pks: Sequence[int], filters: Filters | None) -> dict[int, str]:
        condition, params = where(filters, POSTGRES)
        rows = self._rows(f"SELECT p.pk, p.id FROM papers p WHERE p.pk = ANY(%s){condition}", (list(pks), *params))
        return dict(rows)
