"""The force layout of a neighbourhood graph: the same every time, nothing overlapping, linked papers
close, the paper itself at the centre, everything inside the box."""

from __future__ import annotations

import numpy as np
import pytest

from paperradar.graph.layout import force_layout, overlaps

SIZE = 640.0


def clustered(n: int = 41, clusters: int = 4, seed: int = 7) -> tuple[np.ndarray, list[tuple[int, int, float]]]:
    """Radii from 7 to 22 and a graph like a neighbourhood's: node 0 linked to a few of each cluster,
    each node to three others of its cluster (and, rarely, one outside it)."""
    rng = np.random.default_rng(seed)
    radii = rng.uniform(7, 22, n)
    group = np.arange(n) % clusters
    links = []
    for i in range(1, n):
        same = [j for j in range(1, n) if group[j] == group[i] and j != i]
        for j in rng.choice(same, size=3, replace=False):
            links.append((i, int(j), float(rng.uniform(0.3, 1.0))))
        if rng.random() < 0.1:
            links.append((i, int(rng.integers(1, n)), 0.3))
    links += [(0, i, 1.0) for i in range(1, n) if i % 5 == 0]
    return radii, links


def distances(positions: np.ndarray) -> np.ndarray:
    return np.linalg.norm(positions[:, None, :] - positions[None, :, :], axis=2)


SHAPES = {
    "clustered": clustered(),
    "star": (np.full(31, 10.0), [(0, i, 1.0) for i in range(1, 31)]),
    "no links": (np.linspace(7, 22, 41), []),
    "a pair": (np.array([20.0, 8.0]), [(0, 1, 1.0)]),
    "large circles": (np.full(50, 22.0), [(i, (i + 1) % 50, 1.0) for i in range(50)]),
}


def test_the_same_graph_is_laid_out_the_same_every_time():
    radii, links = SHAPES["clustered"]
    first = force_layout(radii, links, SIZE, SIZE, gap=14, margin=14)
    assert np.array_equal(first, force_layout(radii, links, SIZE, SIZE, gap=14, margin=14))
    assert not np.array_equal(first, force_layout(radii, links, SIZE, SIZE, gap=14, margin=14, seed=1))


@pytest.mark.parametrize("shape", SHAPES)
def test_no_two_circles_overlap_and_all_sit_inside_the_box(shape):
    radii, links = SHAPES[shape]
    positions = force_layout(radii, links, SIZE, SIZE, gap=14, margin=14)
    assert positions.shape == (len(radii), 2)
    assert overlaps(positions, radii, gap=14) == []
    assert (positions - radii[:, None] >= 14 - 1e-6).all() and (positions + radii[:, None] <= SIZE - 14 + 1e-6).all()


@pytest.mark.parametrize("shape", SHAPES)
def test_the_first_node_is_at_the_centre_and_the_picture_fills_the_box(shape):
    radii, links = SHAPES[shape]
    positions = force_layout(radii, links, SIZE, SIZE, gap=14, margin=14)
    assert positions[0].tolist() == [SIZE / 2, SIZE / 2]
    if len(radii) > 2:  # spread over most of the box, not huddled in a corner of it
        low, high = (positions - radii[:, None]).min(axis=0), (positions + radii[:, None]).max(axis=0)
        assert (high - low >= 0.75 * SIZE).all()
        assert abs(float(positions[:, 0].mean()) - SIZE / 2) < 0.2 * SIZE


def test_linked_nodes_sit_closer_than_unlinked_ones():
    radii, links = SHAPES["clustered"]
    positions = force_layout(radii, links, SIZE, SIZE, gap=14, margin=14)
    apart = distances(positions)
    linked = {tuple(sorted((i, j))) for i, j, _ in links if i != j}
    others = [apart[i, j] for i in range(len(radii)) for j in range(i + 1, len(radii)) if (i, j) not in linked]
    assert np.mean([apart[i, j] for i, j in linked]) < 0.5 * np.mean(others)
    # and a cluster's members are nearer each other than the rest: the structure shows
    group = np.arange(len(radii)) % 4
    same = [apart[i, j] for i in range(1, len(radii)) for j in range(i + 1, len(radii)) if group[i] == group[j]]
    across = [apart[i, j] for i in range(1, len(radii)) for j in range(i + 1, len(radii)) if group[i] != group[j]]
    assert np.mean(same) < 0.5 * np.mean(across)


def test_the_centre_is_nearer_what_it_links_to_and_a_star_is_a_ring():
    radii, links = SHAPES["clustered"]
    from_centre = distances(force_layout(radii, links, SIZE, SIZE, gap=14, margin=14))[0]
    linked = {j for i, j, _ in links if i == 0}
    assert np.mean([from_centre[j] for j in linked]) < 0.8 * np.mean(
        [from_centre[j] for j in range(1, len(radii)) if j not in linked]
    )
    radii, links = SHAPES["star"]
    spokes = distances(force_layout(radii, links, SIZE, SIZE, gap=14, margin=14))[0, 1:]
    assert spokes.std() < 0.25 * spokes.mean()  # every spoke about as long: none flung to a corner


def test_circles_that_cannot_fit_are_refused_and_tiny_graphs_are_placed():
    with pytest.raises(ValueError, match="do not fit"):
        force_layout(np.full(200, 30.0), [], SIZE, SIZE)
    assert force_layout([], [], SIZE, SIZE).shape == (0, 2)
    assert force_layout([10.0], [], SIZE, SIZE).tolist() == [[SIZE / 2, SIZE / 2]]
