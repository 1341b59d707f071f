"""BibTeX entries: a citation key people can type, and titles that cannot break the entry."""

from datetime import date

from paperradar.models import CitationCount, Paper
from paperradar.rank.bibtex import bibliography, bibtex, key
from paperradar.web.chart import citation_chart

LORA = Paper(title="LoRA: Low-Rank Adaptation of Large Language Models", arxiv_id="2106.09685", year=2021,
             authors=["Edward J. Hu", "Yelong Shen"], categories=["cs.CL"])  # fmt: skip


def test_an_arxiv_paper_as_bibtex():
    entry = bibtex(LORA)
    assert entry.startswith("@misc{hu2021lora,\n")
    assert "  title = {{LoRA: Low-Rank Adaptation of Large Language Models}}," in entry
    assert "author = {Edward J. Hu and Yelong Shen}" in entry and "eprint = {2106.09685}" in entry
    assert "url = {https://arxiv.org/abs/2106.09685}" in entry and entry.endswith("}\n")


def test_hostile_titles_and_names_stay_inside_their_fields():
    paper = Paper(title="100% {broken} \\end{document} & #1_x}", authors=["Ŝtéphane Müller"], year=2020,
                  url="javascript:alert(1)")  # fmt: skip
    entry = bibtex(paper)
    assert entry.count("{") - entry.count("\\{") == entry.count("}") - entry.count("\\}")
    assert "\\%" in entry and "\\&" in entry and "\\#" in entry and "\\_" in entry and "javascript" not in entry
    assert key(paper) == "muller2020broken"
    assert bibliography([LORA, paper]).count("@misc{") == 2


def test_a_chart_needs_two_dated_counts_from_one_source():
    one = [CitationCount(10, "openalex", date(2024, 1, 1)), CitationCount(900, "s2", date(2024, 2, 1))]
    assert citation_chart(one) is None
    two = [*one, CitationCount(30, "openalex", date(2024, 3, 1))]
    chart = citation_chart(two)
    assert chart and chart.source == "openalex" and chart.peak == 30 and len(chart.points.split()) == 2
