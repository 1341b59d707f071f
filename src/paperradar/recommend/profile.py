"""A library's profile vector (the centroid of its papers, pushed away from "not interested" ones) and
the saved papers each recommendation is closest to. Chosen over a per-user linear classifier by
bench/recommend.py (docs/benchmarks.md): as good on held-out papers, and updated by a mean, not a fit.

Pure arithmetic on unit vectors; the store keeps the profile, and its vector index finds candidates.
"""

from __future__ import annotations

import numpy as np

NEGATIVE_WEIGHT = 0.5  # how far one "not interested" paper pushes, relative to one saved paper
WHY_COUNT = 2


def _unit(vector: np.ndarray) -> np.ndarray | None:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 1e-9 else None


def profile(positives: np.ndarray, negatives: np.ndarray | None = None,
            negative_weight: float = NEGATIVE_WEIGHT) -> np.ndarray | None:  # fmt: skip
    """Unit vector: mean of the saved papers minus `negative_weight` × mean of the dismissed ones;
    None without saved papers."""
    if positives.size == 0:
        return None
    vector = positives.mean(axis=0)
    if negatives is not None and negatives.size:
        vector = vector - negative_weight * negatives.mean(axis=0)
    return _unit(vector)


def closest(candidate: np.ndarray, saved_ids: list[str], saved: np.ndarray, count: int = WHY_COUNT) -> list[str]:
    """The saved papers most like a candidate, most alike first: the "because you saved" of a pick."""
    if not saved_ids:
        return []
    scores = saved @ candidate
    order = np.argsort(-scores, kind="stable")[:count]
    return [saved_ids[i] for i in order]
