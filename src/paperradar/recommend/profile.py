"""A library's profile vector and the saved papers each recommendation is closest to.

The profile is the weight vector of a linear SVM trained with the library as positives and a sample
of other papers (plus the "not interested" ones) as negatives, as arxiv-sanity does over tf-idf. On
unit-length embeddings its ranking is a dot product with that vector, so the store's vector index
finds the candidates: a model is one vector per user and tag, and no request scores the corpus.
bench/recommend.py chose it: 1.55x the held-out precision of the centroid (docs/benchmarks.md).
The centroid stays as the fallback when there are no negatives to contrast with.

Pure arithmetic on unit vectors; the store keeps the profile.
"""

from __future__ import annotations

import warnings

import numpy as np

NEGATIVE_WEIGHT = 0.5  # centroid fallback: how far one "not interested" paper pushes
SVM_C = 0.1  # the bench's setting: a soft margin suits 20-paper libraries
WHY_COUNT = 2


def _unit(vector: np.ndarray) -> np.ndarray | None:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 1e-9 else None


def centroid(positives: np.ndarray, negatives: np.ndarray | None = None,
             negative_weight: float = NEGATIVE_WEIGHT) -> np.ndarray | None:  # fmt: skip
    """Unit vector: mean of the saved papers minus `negative_weight` × mean of the dismissed ones."""
    if positives.size == 0:
        return None
    vector = positives.mean(axis=0)
    if negatives is not None and negatives.size:
        vector = vector - negative_weight * negatives.mean(axis=0)
    return _unit(vector)


def profile(positives: np.ndarray, negatives: np.ndarray | None = None, c: float = SVM_C) -> np.ndarray | None:
    """The unit weight vector of a linear SVM separating `positives` from `negatives`; the centroid
    when there are no negatives; None without positives."""
    if positives.size == 0:
        return None
    if negatives is None or negatives.size == 0:
        return centroid(positives)
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.svm import LinearSVC

    x = np.vstack([positives, negatives])
    y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a few hundred points: close enough is fine
        model = LinearSVC(C=c, class_weight="balanced").fit(x, y)
    return _unit(model.coef_.ravel())


def closest(candidate: np.ndarray, saved_ids: list[str], saved: np.ndarray, count: int = WHY_COUNT) -> list[str]:
    """The saved papers most like a candidate, most alike first: the "because you saved" of a pick."""
    if not saved_ids:
        return []
    scores = saved @ candidate
    order = np.argsort(-scores, kind="stable")[:count]
    return [saved_ids[i] for i in order]
