"""Identity rules: arXiv ids, DOIs, title fingerprints and public ids."""

import pytest

from paperradar.models import fingerprint, normalise_arxiv_id, normalise_doi, public_id_for
from paperradar.models.identity import arxiv_year


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2106.09685", "2106.09685"),
        ("2106.09685v3", "2106.09685"),
        ("arXiv:2106.09685v1", "2106.09685"),
        ("https://arxiv.org/abs/1706.03762", "1706.03762"),
        ("0704.0001", "0704.0001"),
        ("hep-th/9608091v2", "hep-th/9608091"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("oai:arXiv.org:1302.2146", "1302.2146"),
        ("not an id", None),
        ("12345", None),
        ("", None),
        (None, None),
    ],
)
def test_arxiv_ids_lose_versions_and_prefixes(raw, expected):
    assert normalise_arxiv_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1103/PhysRevD.76.013009", "10.1103/physrevd.76.013009"),
        ("https://doi.org/10.5555/ABC", "10.5555/abc"),
        ("doi:10.48550/arXiv.2106.09685", "10.48550/arxiv.2106.09685"),
        ("11.1/abc", None),
        ("", None),
    ],
)
def test_dois_are_canonical_and_case_insensitive(raw, expected):
    assert normalise_doi(raw) == expected


def test_fingerprint_ignores_case_accents_punctuation_and_spacing():
    a = fingerprint("LoRA: Low-Rank Adaptation of  Large Language Models")
    b = fingerprint("lora low rank adaptation of large language models.")
    assert a == b == "lora low rank adaptation of large language models"
    assert fingerprint("Gödel, Escher, Bach") == fingerprint("Godel Escher Bach")
    assert fingerprint("Attention Is All You Need") != fingerprint("Attention Is Not All You Need")


def test_public_id_is_the_arxiv_id_else_a_stable_key():
    assert public_id_for("2106.09685", "10.1/x", "t", 2021) == "2106.09685"
    by_doi = public_id_for(None, "10.5555/abc", "some title", 2017)
    assert by_doi == public_id_for(None, "10.5555/abc", "another title", None)  # the DOI decides
    by_title = public_id_for(None, None, "some title", 2017)
    assert by_title == public_id_for(None, None, "some title", 2017)
    assert by_title != public_id_for(None, None, "some title", 2018)
    assert by_title.startswith("p") and len(by_title) == 12


def test_arxiv_year_comes_from_the_id():
    assert arxiv_year("2106.09685") == 2021
    assert arxiv_year("0704.0001") == 2007
    assert arxiv_year("hep-th/9608091") == 1996
    assert arxiv_year(None) is None
