"""A small server-rendered chart of a paper's citations over time (no JavaScript, no library)."""

from __future__ import annotations

from dataclasses import dataclass

from paperradar.models import CitationCount

WIDTH, HEIGHT, PAD = 480, 160, 36


@dataclass(frozen=True, slots=True)
class Chart:
    source: str
    points: str  # SVG polyline points
    first: CitationCount
    last: CitationCount
    peak: int
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD


def citation_chart(history: list[CitationCount]) -> Chart | None:
    """The source with the most dated counts, when it has at least two; counts from different
    sources are never drawn on one line (they disagree by several times)."""
    by_source: dict[str, list[CitationCount]] = {}
    for count in history:
        if count.as_of:
            by_source.setdefault(count.source or "unknown", []).append(count)
    if not by_source:
        return None
    source, counts = max(by_source.items(), key=lambda item: len(item[1]))
    counts = sorted(counts, key=lambda c: c.as_of or 0)  # type: ignore[arg-type,return-value]
    if len(counts) < 2:
        return None
    start, end = counts[0].as_of.toordinal(), counts[-1].as_of.toordinal()  # type: ignore[union-attr]
    peak = max(c.count for c in counts) or 1
    span = max(end - start, 1)
    points = " ".join(
        f"{PAD + (c.as_of.toordinal() - start) / span * (WIDTH - 2 * PAD):.1f},"  # type: ignore[union-attr]
        f"{HEIGHT - PAD - c.count / peak * (HEIGHT - 2 * PAD):.1f}"
        for c in counts
    )
    return Chart(source, points, counts[0], counts[-1], peak)
