"""Links between the papers of a neighbourhood graph: each to the few others its vector is closest to."""

from __future__ import annotations

import numpy as np

Link = tuple[int, int, float]  # (node, node, cosine), the first node lower


def similarity_links(vectors: list[np.ndarray | None], per_node: int) -> list[Link]:
    """Each node with a vector linked to its `per_node` most similar others (by cosine of the unit
    vectors); a link either end chose is drawn once. Nodes without a vector get none."""
    have = [i for i, v in enumerate(vectors) if v is not None]
    if len(have) < 2 or per_node < 1:
        return []
    matrix = np.vstack([v for v in vectors if v is not None]).astype(np.float64)
    cosine = np.einsum("id,jd->ij", matrix, matrix)  # not BLAS: its threads cost more than 40 rows do
    np.fill_diagonal(cosine, -np.inf)
    nearest = np.argsort(-cosine, axis=1, kind="stable")[:, : min(per_node, len(have) - 1)]
    found: dict[tuple[int, int], float] = {}
    for row, columns in enumerate(nearest):
        for column in columns:
            a, b = sorted((have[row], have[int(column)]))
            found[(a, b)] = float(cosine[row, column])
    return [(a, b, score) for (a, b), score in sorted(found.items())]
