"""The arXiv metadata snapshot format."""

from datetime import date

from paperradar.sources.files import open_source
from paperradar.sources.files.arxiv_snapshot import detex
from support import FIXTURES, shared_path


def test_snapshot_is_detected_and_mapped():
    source = open_source(FIXTURES / "arxiv-snapshot.jsonl")
    assert source.format == "arxiv-snapshot"
    papers = [r.paper for r in source.read()]
    first = papers[0]
    assert first.arxiv_id == "0704.0001"
    assert first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert first.authors[0] == "C. Balázs"
    assert first.doi == "10.1103/physrevd.76.013009"
    assert first.venue == "Phys.Rev.D76:013009,2007"
    assert first.published == date(2007, 4, 2) and first.year == 2007
    assert first.categories == ["hep-ph"]
    assert "\n" not in first.abstract and first.abstract.startswith("A fully differential calculation")
    old = papers[-1]
    assert old.arxiv_id == "hep-th/9608091" and old.year == 1996
    assert old.authors[0] == "D. Fioravanti"


def test_tex_accents_become_unicode():
    assert detex(r"C. Bal\'azs") == "C. Balázs"
    assert detex(r"G\"odel") == "Gödel"
    assert detex(r"Fran\c{c}ois") == "François"
    assert detex(r"\O{}ystein") == "Øystein"


def test_the_real_first_200_lines_all_read():
    path = shared_path("data", "api-samples", "kaggle-arxiv-snapshot", "arxiv-metadata-oai-snapshot.first200.jsonl")
    records = list(open_source(path).read())
    assert len(records) == 200
    assert all(hasattr(r, "paper") for r in records), [r for r in records if not hasattr(r, "paper")][:3]
