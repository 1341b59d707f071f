"""Which papers a neighbourhood graph shows, how they link and how each is drawn."""

from __future__ import annotations

import numpy as np

from paperradar.graph.drawing import LARGEST, SMALLEST, draw, radii, year_bands
from paperradar.graph.links import similarity_links
from paperradar.graph.pick import pick


def ranking(prefix: str, n: int) -> list[tuple[str, float]]:
    return [(f"{prefix}{i}", float(n - i)) for i in range(n)]


def test_every_kind_gets_its_quota_before_fusion_fills_the_rest():
    rankings = {"cited_by": ranking("c", 300), "co_cited": ranking("p", 5), "similar": ranking("s", 60)}
    picked = [f.paper_id for f in pick(rankings, limit=20, quota=6)]
    assert len(picked) == 20 == len(set(picked))
    assert {f"p{i}" for i in range(5)} <= set(picked)  # a short list still places all it has
    assert {f"c{i}" for i in range(6)} | {f"s{i}" for i in range(6)} <= set(picked)


def test_a_paper_found_by_several_kinds_comes_first():
    rankings = {"cites": [("a", 1.0), ("both", 1.0)], "co_cited": [("b", 3.0), ("both", 2.0)], "similar": []}
    fused = pick(rankings, limit=3, quota=1)
    assert fused[0].paper_id == "both" and fused[0].found_by == ("cites", "co_cited")
    assert {f.paper_id for f in fused} == {"a", "b", "both"}


def test_no_rankings_pick_nothing_and_a_small_limit_holds():
    assert pick({"similar": [], "cites": []}, limit=40, quota=6) == []
    assert len(pick({"similar": ranking("s", 50), "cites": ranking("c", 50)}, limit=5, quota=6)) == 5


def test_each_node_links_to_its_most_similar_others():
    base = np.eye(4)
    vectors = [base[0], base[0] * 0.9 + base[1] * 0.1, None, base[2], base[2] * 0.8 + base[3] * 0.2]
    vectors = [None if v is None else v / np.linalg.norm(v) for v in vectors]
    links = similarity_links(vectors, per_node=1)
    assert {(a, b) for a, b, _ in links} == {(0, 1), (3, 4)}  # node 2 has no vector, so no link
    assert all(0.9 < score <= 1.0 for _, _, score in links)
    assert similarity_links([vectors[0], None], per_node=3) == []


def test_years_fall_into_even_bands_and_size_follows_citations():
    bands = year_bands([2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, None])
    assert [b.label for b in bands] == ["2017–2018", "2019–2020", "2021–2022", "2023–2024", "2025–2026"]
    assert [b.shade for b in bands] == [0, 1, 2, 3, 4]
    two = year_bands([2020, 2021, 2021])
    assert [(b.label, b.shade) for b in two] == [("2020", 0), ("2021", 4)]  # the palette's ends: far apart
    assert year_bands([None]) == []
    sizes = radii([0, 10, 100_000, None])
    assert sizes[0] == sizes[3] == SMALLEST and sizes[2] == LARGEST and SMALLEST < sizes[1] < LARGEST / 2


def test_a_drawing_cuts_links_at_the_circles_and_draws_a_citation_once():
    drawing = draw([2020, 2021, None], [100, 5, 0], similar=[(0, 1, 0.8), (1, 2, 0.4)], cites=[(1, 0)])
    assert [(line.kind, line.source, line.target) for line in drawing.lines] == [("similar", 1, 2), ("cites", 1, 0)]
    circles = drawing.circles
    assert (circles[0].x, circles[0].y) == (320.0, 320.0) and circles[2].band is None
    for line in drawing.lines:  # each end on its circle's edge
        for (x, y), node in (((line.x1, line.y1), line.source), ((line.x2, line.y2), line.target)):
            c = circles[node]
            assert abs(np.hypot(x - c.x, y - c.y) - c.r) < 0.2
