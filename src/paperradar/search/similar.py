"""Similar papers: the nearest neighbours of a paper's own vector.

Content-based, so a paper imported a minute ago has neighbours at once (it is embedded on the
spot when its vector is not stored yet). Blending citation links in later means fusing a second
ranking here, as hybrid search does.
"""

from __future__ import annotations

from paperradar.embed import Embedder, paper_text
from paperradar.models import Filters, Paper
from paperradar.store.base import Ranking, Store


def similar_papers(
    store: Store, embedder: Embedder, paper: Paper, limit: int, filters: Filters | None = None
) -> Ranking:
    """Up to `limit` papers most like `paper`, best first, without the paper itself."""
    assert paper.id is not None
    vector = store.embedding(embedder.name, paper.id)
    if vector is None:
        vector = embedder.embed([paper_text(paper.title, paper.abstract)])[0]
    return store.nearest(embedder.name, vector, limit, filters, exclude=[paper.id])
