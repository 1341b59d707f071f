"""A BM25 keyword index (tantivy) over each paper's title, abstract and authors, kept as files.

Why not FTS5 alone: FTS5 scores every document that contains any query word, so a 12-word
natural-language query over 75k abstracts takes ~100-400 ms; tantivy's block-max WAND skips
documents that cannot reach the top k and answers the same query in ~1-2 ms (bench/search_speed.py).
FTS5 stays the source of truth for phrases, one-field matches and exclusions, which are checked on
the candidates this index returns.

One field holds title + abstract + authors: classic BM25 over the whole text ranked known papers
better than per-field scores summed with a title boost (bench/known_items.py). Documents are keyed
by the store's internal paper key; the index remembers the last change-log row it applied
(`last_seq`, in a small JSON file written after each commit). Applying a change deletes the
paper's old document first, so replaying a change twice is harmless: a crash between the commit
and the JSON file costs a replay, never a wrong index.

Searching never writes and takes no lock: tantivy's searchers are safe to share between threads, and
`refresh` (a reload of what other processes committed) is cheap. Only a writer takes tantivy's writer
lock (one per folder, across processes), for as long as it writes; a second writer waits for it, up
to a bound, then gives up with TextIndexBusy.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import cast

import tantivy

from paperradar.errors import Busy

WRITER_HEAP = 64_000_000
# Hits fetched beyond the limit, so that papers tied at the cut are chosen by key, not by position.
TIE_MARGIN = 10
_STATE = "paperradar-state.json"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("pk", stored=True, indexed=True, fast=True)  # i64: what delete-by-term matches
    builder.add_text_field("text", tokenizer_name="en_stem")  # positions kept: "GPT 4" is a phrase
    return builder.build()


# How long a writer waits for another process's writer by default, and how often it looks again.
WRITE_WAIT = 60.0
_RETRY_EVERY = 0.2


class TextIndexBusy(Busy):
    """Another process held the index's writer lock for longer than the writer would wait."""


Write = Callable[[Iterable[tuple[int, str | None]], int], int]


class TextIndex:
    """tantivy over paper texts, on disk in `folder` (or in memory when folder is None)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.last_seq = 0
        self._write_lock = threading.Lock()  # one writer per process; tantivy's lock file is per folder
        self._schema = _schema()
        self._index = self._open()
        self._read_state()

    def _open(self) -> tantivy.Index:
        if self.folder is None:
            return tantivy.Index(self._schema)
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            return tantivy.Index(self._schema, path=str(self.folder), reuse=True)
        except ValueError:
            # Damaged or from an incompatible version: it is only a cache of the database; rebuild.
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True, exist_ok=True)
            return tantivy.Index(self._schema, path=str(self.folder), reuse=False)

    def _read_state(self) -> None:
        if self.folder is None:
            return
        with contextlib.suppress(OSError, ValueError, TypeError):
            self.last_seq = int(json.loads((self.folder / _STATE).read_text())["last_seq"])

    def _write_state(self) -> None:
        if self.folder is None:
            return
        partial = self.folder / (_STATE + ".partial")
        partial.write_text(json.dumps({"last_seq": self.last_seq}))
        partial.replace(self.folder / _STATE)

    def refresh(self) -> None:
        """See commits made by other processes (a reader's reload: it writes nothing)."""
        self._index.reload()
        self._read_state()

    @contextlib.contextmanager
    def writing(self, wait: float = WRITE_WAIT, clear: bool = False) -> Iterator[Write]:
        """Hold the writer lock (waiting up to `wait` seconds for another writer) and yield a function
        that commits one batch of changes with the seq it reaches. `last_seq` is re-read once the lock
        is held, so what another writer applied meanwhile is not applied again."""
        with self._write_lock:
            writer = self._writer(wait)
            try:
                self._read_state()
                if clear:
                    writer.delete_all_documents()
                    self.last_seq = 0

                def write(changed: Iterable[tuple[int, str | None]], last_seq: int) -> int:
                    count = 0
                    for pk, text in changed:
                        writer.delete_documents_by_term("pk", pk)
                        if text is not None:
                            document = tantivy.Document()
                            document.add_integer("pk", pk)
                            document.add_text("text", text)
                            writer.add_document(document)
                        count += 1
                    writer.commit()
                    self.last_seq = max(last_seq, self.last_seq)
                    self._write_state()
                    return count

                yield write
                if clear:
                    writer.commit()  # an empty rebuild still clears
                    self._write_state()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # ends the writer: the lock file is free from here
            self._index.reload()

    def _writer(self, wait: float) -> tantivy.IndexWriter:
        deadline = time.monotonic() + wait
        while True:
            try:
                return self._index.writer(heap_size=WRITER_HEAP, num_threads=1)
            except ValueError as exc:  # the lock file of another process's writer
                if time.monotonic() >= deadline:
                    where = self.folder or "memory"
                    raise TextIndexBusy(
                        f"the keyword index at {where} is busy: another process has been writing it for {wait:g} s",
                        hint="the database is saved; the next import or sync (or `paperradar reindex`) "
                        "brings the keyword index up to date",
                    ) from exc
                time.sleep(_RETRY_EVERY)

    def apply(self, changed: Iterable[tuple[int, str | None]], last_seq: int, clear: bool = False,
              wait: float = WRITE_WAIT) -> int:  # fmt: skip
        """Replace the documents of changed papers ((pk, text); text None: the paper is gone)."""
        with self.writing(wait, clear=clear) as write:
            return write(changed, last_seq)

    def search(self, terms: list[str], limit: int) -> list[tuple[int, float]]:
        """(pk, BM25) for documents matching any term, best first. Terms are words (letters and
        digits only, as the query parser makes them); a term of several words is a phrase."""
        pieces = []
        for term in terms:
            words = term.lower().split()
            if not words or not all(w.replace("_", "").isalnum() for w in words):
                continue  # never hand the query language anything but plain words
            pieces.append('"' + " ".join(words) + '"' if len(words) > 1 else words[0])
        if not pieces or limit <= 0:
            return []
        query = self._index.parse_query(" ".join(pieces), ["text"])
        searcher = self._index.searcher()
        hits = searcher.search(query, limit + TIE_MARGIN, count=False).hits
        # pk is an integer fast field every document has; the stub types any fast field's values
        pks = cast(list[int], searcher.fast_field_values("pk", [address for _, address in hits]))
        # Equal scores are common (short texts, one query word); tantivy orders them by where the
        # documents sit in its segments, which differs between two builds of the same papers. By
        # paper key they come out the same from any build (a copied database ranks alike).
        ranked = sorted(((int(pk), float(score)) for (score, _), pk in zip(hits, pks, strict=True)),
                        key=lambda hit: (-hit[1], hit[0]))  # fmt: skip
        return ranked[:limit]

    def __len__(self) -> int:
        return self._index.searcher().num_docs


def document_text(title: str, abstract: str | None, authors: Iterable[str]) -> str:
    return " ".join([title or "", abstract or "", " ".join(authors)])
