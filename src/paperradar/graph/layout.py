"""Where a small graph's nodes sit: a deterministic force layout inside a box, with no two nodes overlapping.

Fruchterman-Reingold (every pair repels, links pull, the pull weighted by the link's strength) with a
little gravity towards the first node, so parts not linked to the rest stay near instead of flying off;
then the picture is scaled to fill the box around that node, and overlapping circles are pushed apart.
A fixed seed and a fixed number of rounds make the same graph come out the same on every request.
Made for the 30-50 nodes of a paper's neighbourhood: each round is O(n²) in numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Link = tuple[int, int, float]  # (node, node, strength in (0, 1]): how hard the two are pulled together

ROUNDS = 100  # enough for 50 nodes to settle (their mean linked and unlinked distances stop moving)
GRAVITY = 0.05  # towards the centre node, per round, relative to the attraction of one link
STRETCH = 1.4  # how much more one axis may be scaled than the other to fill the box
_SEPARATION_ROUNDS = 400
_TOLERANCE = 1e-6  # an overlap smaller than this is none
_GOLDEN_ANGLE = np.pi * (3 - np.sqrt(5))


def force_layout(
    radii: Sequence[float],
    links: Sequence[Link],
    width: float,
    height: float,
    *,
    gap: float = 2.0,
    margin: float = 2.0,
    seed: int = 0,
    rounds: int = ROUNDS,
) -> np.ndarray:
    """(x, y) of each node, shape (n, 2): node 0 (the centre) at the box's centre, every circle of
    `radii` at least `margin` inside the box, any two at least `gap` apart. Raises ValueError when the
    circles cannot fit (together with their gaps they would cover over half the box)."""
    r = np.asarray(radii, dtype=np.float64)
    n = len(r)
    if n == 0:
        return np.zeros((0, 2))
    if np.pi * float(((r + gap / 2) ** 2).sum()) > 0.5 * width * height or 2 * (r.max() + margin) > min(width, height):
        raise ValueError(f"{n} circles of these radii do not fit a {width:g} x {height:g} box")
    centre = np.array([width / 2, height / 2])
    if n == 1:
        return centre[None, :].copy()
    positions = _spread(n, links, rounds, np.random.default_rng(seed))
    positions = _fit(positions, r, width, height, margin)
    return _separate(positions, r, width, height, gap, margin)


def _spread(n: int, links: Sequence[Link], rounds: int, rng: np.random.Generator) -> np.ndarray:
    """Fruchterman-Reingold in a unit square around node 0 (pinned at the origin)."""
    k = 1.0 / np.sqrt(n)  # the ideal distance between two nodes
    # A sunflower spiral, slightly shaken: spread evenly, and no two nodes start on one point.
    index = np.arange(n)
    angle, radius = index * _GOLDEN_ANGLE, 0.5 * np.sqrt(index / n)
    pos = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    pos[1:] += rng.normal(scale=0.01, size=(n - 1, 2))
    pos[0] = 0.0
    first = np.array([i for i, j, _ in links if i != j], dtype=np.intp)
    second = np.array([j for i, j, _ in links if i != j], dtype=np.intp)
    strength = np.array([w for i, j, w in links if i != j], dtype=np.float64)
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    # Plain element-wise numpy throughout: a BLAS product on arrays this small costs more in threads
    # than in arithmetic (30 ms instead of 0.1 on a busy two-core machine).
    for step in range(rounds):
        temperature = 0.1 * (1 - step / rounds) + 0.002
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        repel = k * k / np.maximum(dx * dx + dy * dy, 1e-8)  # k²/d along each unit vector
        push_x, push_y = (dx * repel).sum(axis=1), (dy * repel).sum(axis=1)
        if len(first):
            along_x, along_y = x[first] - x[second], y[first] - y[second]
            pull = np.sqrt(along_x * along_x + along_y * along_y) * strength / k  # d²/k along the link
            push_x -= np.bincount(first, along_x * pull, n) - np.bincount(second, along_x * pull, n)
            push_y -= np.bincount(first, along_y * pull, n) - np.bincount(second, along_y * pull, n)
        gravity = GRAVITY * np.sqrt(x * x + y * y) / k
        push_x -= x * gravity
        push_y -= y * gravity
        size = np.maximum(np.sqrt(push_x * push_x + push_y * push_y), 1e-9)
        step_size = np.minimum(size, temperature) / size
        x += push_x * step_size
        y += push_y * step_size
        x[0] = y[0] = 0.0
    pos = np.stack([x, y], axis=1)
    return pos


def _fit(pos: np.ndarray, r: np.ndarray, width: float, height: float, margin: float) -> np.ndarray:
    """Scaled about node 0 until the farthest circles touch the box, and moved so node 0 is at its
    centre. Each axis has its own factor, the larger at most STRETCH times the smaller: a layout
    that came out tall and narrow fills a square box without its shape changing much."""
    room = np.array([width / 2, height / 2]) - margin - r[:, None]
    reach = np.abs(pos)
    factors = np.where(reach > 1e-9, room / np.maximum(reach, 1e-9), np.inf).min(axis=0)
    if not np.isfinite(factors).any():
        factors = np.ones(2)
    smaller = float(factors[np.isfinite(factors)].min())
    factors = np.minimum(np.where(np.isfinite(factors), factors, smaller), STRETCH * smaller)
    return pos * factors + np.array([width / 2, height / 2])


def _separate(pos: np.ndarray, r: np.ndarray, width: float, height: float, gap: float, margin: float) -> np.ndarray:
    """Overlapping circles pushed apart along the line between them (node 0 stays), kept in the box."""
    n = len(r)
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    needed = r[:, None] + r[None, :] + gap
    np.fill_diagonal(needed, 0.0)
    # Each side takes its share of an overlap: all of it when the other side is the pinned centre.
    mobile = np.ones(n)
    mobile[0] = 0.0
    share = mobile[:, None] / np.maximum(mobile[:, None] + mobile[None, :], 1.0)
    # Two nodes on one point part in directions of their own, the same on every run.
    spin_x, spin_y = np.cos(np.arange(n) * _GOLDEN_ANGLE), np.sin(np.arange(n) * _GOLDEN_ANGLE)
    for _ in range(_SEPARATION_ROUNDS):
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        distance = np.sqrt(dx * dx + dy * dy)
        short = needed - distance
        short[short < _TOLERANCE] = 0.0
        if not short.any():
            break
        stuck = distance < 1e-9
        dx, dy = np.where(stuck, spin_x[:, None], dx), np.where(stuck, spin_y[:, None], dy)
        # A little past contact: pushing exactly to it would only halve what is left each round.
        move = short * share * 1.1 / np.maximum(np.sqrt(dx * dx + dy * dy), 1e-9)
        x = np.clip(x + (dx * move).sum(axis=1), r + margin, width - r - margin)
        y = np.clip(y + (dy * move).sum(axis=1), r + margin, height - r - margin)
        x[0], y[0] = width / 2, height / 2
    return np.stack([x, y], axis=1)


def overlaps(positions: np.ndarray, radii: Sequence[float], gap: float = 0.0) -> list[tuple[int, int]]:
    """The pairs of circles closer than `gap` to each other (for tests and for checking a drawing)."""
    r = np.asarray(radii, dtype=np.float64)
    distance = np.linalg.norm(positions[:, None, :] - positions[None, :, :], axis=2)
    close = distance < r[:, None] + r[None, :] + gap - _TOLERANCE
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(close, k=1)), strict=True)]
