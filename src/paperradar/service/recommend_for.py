"""Recommendations for a user: a profile vector per tag and for the whole library, kept in the store and
refreshed when the library changes; candidates come from the vector index's nearest search, so no
request scores the whole corpus. Each pick says which saved papers it is closest to.

Where the citation graph knows papers that cite what the library holds, those among the profile's
nearest candidates rise (search.similar.with_graph, as similar papers fuse the graph) and say which
saved paper they cite: the profile still chooses the candidates, the graph only re-orders them."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from paperradar.models import Filters
from paperradar.models.account import User
from paperradar.recommend import closest, profile
from paperradar.search.similar import GRAPH_POOL, with_graph
from paperradar.service.results import Hit, Page, check_limit

if TYPE_CHECKING:
    from paperradar.service import Library

WHOLE = ""  # the profile of the whole library is kept under the empty tag
BACKGROUND, BLOCKS = 500, 5  # negatives: 5 blocks of 100 papers at random places in the corpus
BACKGROUND_SECONDS = 3600  # the sample is redrawn hourly (the corpus grows daily)
CITERS = 200  # papers citing the library read at most, those citing the most of it first


class Recommender:
    """`Library.recommender`."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.store = library.store
        self._background: tuple[float, str, list[str], np.ndarray] | None = None
        self._lock = threading.Lock()

    def background(self) -> tuple[list[str], np.ndarray]:
        """Ids and vectors of a sample of papers, the "not this" side every library is contrasted with."""
        model = self.library.embedder_name()
        with self._lock:
            cached = self._background
            if cached and cached[1] == model and time.monotonic() - cached[0] < BACKGROUND_SECONDS:
                return cached[2], cached[3]
            total = self.store.count()
            size = BACKGROUND // BLOCKS
            starts = {random.randrange(max(total - size, 1)) for _ in range(BLOCKS)}
            ids = list(dict.fromkeys(pid for s in sorted(starts) for pid, _ in self.store.latest(Filters(), size, s)))
            kept, vectors = self._vectors(ids)
            self._background = (time.monotonic(), model, kept, vectors)
            return kept, vectors

    def _vectors(self, ids: list[str]) -> tuple[list[str], np.ndarray]:
        found = self.store.embeddings(self.library.embedder_name(), ids) if ids else {}
        kept = [i for i in ids if i in found]
        if not kept:
            return [], np.zeros((0, 0), dtype=np.float32)
        return kept, np.array([found[i] for i in kept], dtype=np.float32)

    def refresh(self, user: User, tags: Iterable[str] | None = None) -> None:
        """Refit the user's profiles (the whole library's, and those of `tags`, else of every tag) from
        their own library and the background sample: a few hundred vectors, never the corpus."""
        if not self.library.has_embeddings():
            return
        model = self.library.embedder_name()
        shelf = self.store.shelf(user.id)
        saved = {e.paper_id for e in shelf}
        _, dismissed = self._vectors(self.store.dismissed(user.id))
        sample_ids, sample = self.background()
        # A saved paper that the sample happened to draw must not count against the library.
        others = sample[[i not in saved for i in sample_ids]] if sample_ids else sample
        parts = [m for m in (dismissed, others) if m.size]
        negatives = np.vstack(parts) if parts else None
        groups: dict[str, list[str]] = {WHOLE: [e.paper_id for e in shelf]}
        for entry in shelf:
            for tag in entry.tags:
                groups.setdefault(tag, []).append(entry.paper_id)
        wanted = None if tags is None else {WHOLE, *tags}
        now = int(self.library.settings.clock.now().timestamp())
        for tag in wanted if wanted is not None else groups:
            _, positives = self._vectors(groups.get(tag, []))
            self.store.put_user_model(user.id, tag, model, profile(positives, negatives), now)

    def recommend(self, user_id: int, limit: int = 20, tag: str | None = None) -> Page:
        check_limit(limit)
        user = self.store.user(user_id)
        title = f"For you: {tag}" if tag else "For you"
        if user is None or not self.library.has_embeddings():
            return Page([], 0, limit, title=title, total=0)
        model = self.library.embedder_name()
        key = (tag or WHOLE).lower()
        vector = self.store.user_model(user.id, key, model)
        if vector is None:
            self.refresh(user, [key])  # saved before the papers had vectors, or the model changed
            vector = self.store.user_model(user.id, key, model)
        if vector is None:
            return Page([], 0, limit, title=title, total=0)
        shelf = self.store.shelf(user.id, tag=key or None)
        exclude = [e.paper_id for e in self.store.shelf(user.id)] + self.store.dismissed(user.id)
        citers = self.store.citers_of([e.paper_id for e in shelf], CITERS) if shelf else {}
        if citers:
            near = self.store.nearest(model, vector, max(limit, GRAPH_POOL), exclude=exclude)
            ranking = with_graph(near, [(pid, float(len(cited))) for pid, cited in citers.items()], limit)
        else:
            ranking = self.store.nearest(model, vector, limit, exclude=exclude)
        saved_ids, saved = self._vectors([e.paper_id for e in shelf])
        picks = self._vectors([pid for pid, _ in ranking])
        reasons = {pid: closest(vec, saved_ids, saved) for pid, vec in zip(picks[0], picks[1], strict=True)}
        cites = {pid: citers[pid][:1] for pid, _ in ranking if pid in citers}
        mentioned = {s for r in [*reasons.values(), *cites.values()] for s in r}
        named = {p.id: p.title for p in self.store.papers(sorted(mentioned))}
        papers = {p.id: p for p in self.store.papers([pid for pid, _ in ranking])}
        hits = [
            Hit(
                papers[pid],
                score,
                why=tuple(
                    [f"cites “{named[s]}” from your library" for s in cites.get(pid, []) if s in named]
                    + [f"like “{named[s]}” in your library" for s in reasons.get(pid, []) if s in named]
                ),
            )
            for pid, score in ranking
            if pid in papers
        ]
        return Page(hits, 0, limit, title=title)
