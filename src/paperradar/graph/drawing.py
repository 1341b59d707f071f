"""A neighbourhood graph ready to draw: circles sized by citations, coloured by year band, laid out in
a square box, and links cut to end at the circles' edges (the SVG template only prints numbers)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from paperradar.graph.layout import force_layout

SIZE = 640  # the viewBox is SIZE x SIZE; the page scales it to its width
SMALLEST, LARGEST = 7.0, 22.0  # circle radii, fewest to most citations among the nodes
GAP = 24.0  # between two circles, and from the box's edge: room for the year under one (20 px on a phone)
BANDS = 5  # colours for years: the palette's classes (style.css .band-0 ... .band-4)
CITATION_PULL = 1.0  # a citation pulls as hard as the strongest similarity link


@dataclass(frozen=True, slots=True)
class Band:
    """Years drawn in one colour: `shade` is the palette's colour (0 to BANDS - 1), spread across it
    when there are fewer bands than colours, so two bands never get neighbouring shades needlessly."""

    index: int
    first: int
    last: int
    shade: int

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


@dataclass(frozen=True, slots=True)
class Circle:
    x: float
    y: float
    r: float
    band: Band | None  # None: no year known


@dataclass(frozen=True, slots=True)
class Line:
    """A link from node `source` to node `target`; `kind` is "cites" (source cites target) or "similar"."""

    source: int
    target: int
    kind: str
    weight: float
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True, slots=True)
class Drawing:
    circles: list[Circle]
    lines: list[Line]
    bands: list[Band]
    size: int = SIZE


def year_bands(years: Sequence[int | None], most: int = BANDS) -> list[Band]:
    """Up to `most` bands of consecutive years, as even in size as the distinct years allow."""
    distinct = sorted({y for y in years if y is not None})
    if not distinct:
        return []
    count = min(most, len(distinct))
    cuts = [round(i * len(distinct) / count) for i in range(count + 1)]
    shades = [round(i * (BANDS - 1) / (count - 1)) if count > 1 else BANDS // 2 for i in range(count)]
    return [Band(i, distinct[cuts[i]], distinct[cuts[i + 1] - 1], shades[i]) for i in range(count)]


def band_of(year: int | None, bands: Sequence[Band]) -> Band | None:
    return next((b for b in bands if year is not None and b.first <= year <= b.last), None)


def radii(citations: Sequence[int | None]) -> list[float]:
    """From SMALLEST (no citations) to LARGEST (the most cited node), by the log of the count: counts
    span five orders of magnitude, and a linear scale would leave all but one node a dot."""
    top = math.log1p(max((c or 0) for c in citations)) if citations else 0.0
    return [SMALLEST + (LARGEST - SMALLEST) * (math.log1p(c or 0) / top if top else 0.0) for c in citations]


def draw(
    years: Sequence[int | None],
    citations: Sequence[int | None],
    similar: Sequence[tuple[int, int, float]],
    cites: Sequence[tuple[int, int]],
    seed: int = 0,
) -> Drawing:
    """Node 0 is the paper the graph is of, drawn at the centre. `similar` links are (node, node,
    cosine); `cites` are (citing node, cited node). Both pull linked nodes together in the layout."""
    sizes = radii(citations)
    strongest = max((s for _, _, s in similar), default=1.0) or 1.0
    pulls = [(a, b, max(s / strongest, 0.05)) for a, b, s in similar] + [(a, b, CITATION_PULL) for a, b in cites]
    positions = force_layout(sizes, pulls, SIZE, SIZE, gap=GAP, margin=GAP, seed=seed)
    bands = year_bands(years)
    circles = [Circle(round(float(x), 1), round(float(y), 1), round(r, 1), band_of(year, bands))
               for (x, y), r, year in zip(positions, sizes, years, strict=True)]  # fmt: skip
    cited = {frozenset(pair) for pair in cites}  # a pair that cites is drawn as a citation only
    lines = [_line(a, b, "similar", s, positions, sizes) for a, b, s in similar if frozenset((a, b)) not in cited]
    lines += [_line(a, b, "cites", 1.0, positions, sizes) for a, b in cites]
    return Drawing(circles, lines, bands)


def _line(a: int, b: int, kind: str, weight: float, positions: np.ndarray, sizes: Sequence[float]) -> Line:
    """The segment between two circles' edges (an arrowhead at the second one's edge stays visible)."""
    (xa, ya), (xb, yb) = positions[a].tolist(), positions[b].tolist()
    length = math.hypot(xb - xa, yb - ya) or 1.0
    ux, uy = (xb - xa) / length, (yb - ya) / length
    ends = (xa + ux * sizes[a], ya + uy * sizes[a], xb - ux * sizes[b], yb - uy * sizes[b])
    return Line(a, b, kind, round(weight, 3), *(round(v, 1) for v in ends))
