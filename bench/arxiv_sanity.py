"""arxiv-sanity-lite's search, re-implemented from its description, as the peer baseline.

It scans every paper for every query: for each query word, 20 if the word occurs in the title,
10 if it occurs in the authors, plus its count in the abstract capped at 3 (substring matches,
lower-cased, words split on whitespace). Papers with a positive score, best first.
"""

from __future__ import annotations


class ArxivSanityScan:
    def __init__(self, papers) -> None:
        # (id, title, authors, abstract), lower-cased once, as arxiv-sanity-lite keeps its db in memory.
        self.papers = [(p.id, p.title.lower(), " ".join(p.authors).lower(), (p.abstract or "").lower()) for p in papers]

    def search(self, query: str, limit: int = 100) -> list[str]:
        words = query.lower().strip().split()
        scored = []
        for pid, title, authors, abstract in self.papers:
            score = 0.0
            for word in words:
                score += 10.0 * (word in authors) + 20.0 * (word in title) + min(3, abstract.count(word))
            if score > 0:
                scored.append((score, pid))
        scored.sort(key=lambda item: -item[0])
        return [pid for _, pid in scored[:limit]]
