"""The profile vector: an SVM's weights where there are negatives, the centroid where there are none."""

import numpy as np

from paperradar.recommend import centroid, closest, profile


def _unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_the_profile_ranks_the_library_side_above_the_background():
    rng = np.random.default_rng(1)
    liked = _unit(rng.normal([3, 0, 0, 0], 1, (20, 4)))
    other = _unit(rng.normal([0, 3, 0, 0], 1, (200, 4)))
    vector = profile(liked, other)
    assert abs(np.linalg.norm(vector) - 1) < 1e-5
    assert (liked @ vector).mean() > (other @ vector).mean()
    assert np.allclose(profile(liked, None), centroid(liked))
    assert profile(np.zeros((0, 4), dtype=np.float32), other) is None


def test_dismissed_papers_pull_the_centroid_away_and_why_names_the_closest():
    saved = _unit([[1, 0.2, 0], [1, -0.2, 0]])
    pushed = centroid(saved, _unit([[1, 0.2, 0]]))
    assert pushed @ saved[1] > pushed @ saved[0]
    assert closest(_unit([[1, 0.3, 0]])[0], ["a", "b"], saved, count=1) == ["a"]
    assert closest(saved[0], [], np.zeros((0, 3))) == []
