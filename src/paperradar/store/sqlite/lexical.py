"""The hooks that put SQLiteStore's keyword search on the tantivy BM25 index beside the file
(store/bm25.py), following the `text_changes` log of migration 0004, with FTS5 as the exact fallback."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from paperradar.models import Filters
from paperradar.store.bm25 import BM25Mixin
from paperradar.store.filters import where
from paperradar.store.sqlite.dialect import SQLITE
from paperradar.store.text_index import document_text


class LexicalMixin(BM25Mixin):
    """BM25Mixin's hooks in SQLite (needs `_conn`, `location`)."""

    location: str

    _conn: Callable[[], sqlite3.Connection]  # SQLiteStore's: this thread's connection

    def _text_index_folder(self) -> Path | None:
        if self.location == ":memory:":
            return None
        return Path(self.location).expanduser().with_name(Path(self.location).name + ".text")

    def _writing(self) -> bool:
        return self._conn().in_transaction

    def _newest_text_change(self) -> int:
        return self._conn().execute("SELECT max(seq) FROM text_changes").fetchone()[0] or 0

    def _text_changes(self, after: int, limit: int) -> list[tuple[int, int]]:
        return (
            self._conn()
            .execute("SELECT seq, paper_pk FROM text_changes WHERE seq > ? ORDER BY seq LIMIT ?", (after, limit))
            .fetchall()
        )

    def _texts(self, pks: Sequence[int]) -> dict[int, str]:
        marks = ",".join("?" * len(pks))
        rows = self._conn().execute(f"SELECT pk, title, abstract, authors FROM papers WHERE pk IN ({marks})", pks)
        return {pk: document_text(title, abstract, json.loads(authors)) for pk, title, abstract, authors in rows}

    def _restricts(self, filters: Filters | None) -> bool:
        return bool(where(filters, SQLITE)[0])

    def _ids_passing(self, pks: Sequence[int], filters: Filters | None) -> dict[int, str]:
        condition, params = where(filters, SQLITE)
        marks = ",".join("?" * len(pks))
        rows = self._conn().execute(
            f"SELECT p.pk, p.id FROM papers p WHERE p.pk IN ({marks}){condition}", (*pks, *params)
        )
        return dict(rows)
