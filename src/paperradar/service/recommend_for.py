"""Recommendations for a user: a profile vector per tag and for the whole library, kept in the store and
refreshed when the library changes; candidates come from the vector index's nearest search, so no
request scores the whole corpus. Each pick says which saved papers it is closest to."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from paperradar.models.account import User
from paperradar.recommend import closest, profile

if TYPE_CHECKING:
    from paperradar.service import Library, Page

WHOLE = ""  # the profile of the whole library is kept under the empty tag


class Recommender:
    """`Library.recommender`."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.store = library.store

    def _vectors(self, ids: list[str]) -> tuple[list[str], np.ndarray]:
        found = self.store.embeddings(self.library.embedder_name(), ids) if ids else {}
        kept = [i for i in ids if i in found]
        if not kept:
            return [], np.zeros((0, 0), dtype=np.float32)
        return kept, np.array([found[i] for i in kept], dtype=np.float32)

    def refresh(self, user: User) -> None:
        """Recompute the user's profiles from their own library (a few hundred vectors, not the corpus)."""
        if not self.library.has_embeddings():
            return
        model = self.library.embedder_name()
        _, negatives = self._vectors(self.store.dismissed(user.id))
        shelf = self.store.shelf(user.id)
        groups: dict[str, list[str]] = {WHOLE: [e.paper_id for e in shelf]}
        for entry in shelf:
            for tag in entry.tags:
                groups.setdefault(tag, []).append(entry.paper_id)
        now = int(time.time())
        for tag, ids in groups.items():
            _, positives = self._vectors(ids)
            self.store.put_user_model(user.id, tag, model, profile(positives, negatives), now)

    def recommend(self, user_id: int, limit: int = 20, tag: str | None = None) -> Page:
        from paperradar.service import Hit, Page, check_limit

        check_limit(limit)
        user = self.store.user(user_id)
        title = f"For you: {tag}" if tag else "For you"
        if user is None or not self.library.has_embeddings():
            return Page([], 0, limit, title=title, total=0)
        model = self.library.embedder_name()
        key = (tag or WHOLE).lower()
        vector = self.store.user_model(user.id, key, model)
        if vector is None:
            self.refresh(user)  # saved before the papers had vectors, or the model changed
            vector = self.store.user_model(user.id, key, model)
        if vector is None:
            return Page([], 0, limit, title=title, total=0)
        shelf = self.store.shelf(user.id, tag=key or None)
        exclude = [e.paper_id for e in self.store.shelf(user.id)] + self.store.dismissed(user.id)
        ranking = self.store.nearest(model, vector, limit, exclude=exclude)
        saved_ids, saved = self._vectors([e.paper_id for e in shelf])
        picks = self._vectors([pid for pid, _ in ranking])
        reasons = {pid: closest(vec, saved_ids, saved) for pid, vec in zip(picks[0], picks[1], strict=True)}
        named = {p.id: p.title for p in self.store.papers(sorted({s for r in reasons.values() for s in r}))}
        papers = {p.id: p for p in self.store.papers([pid for pid, _ in ranking])}
        hits = [
            Hit(
                papers[pid],
                score,
                why=tuple(f"like “{named[s]}” in your library" for s in reasons.get(pid, []) if s in named),
            )
            for pid, score in ranking
            if pid in papers
        ]
        return Page(hits, 0, limit, title=title)
