"""A paper's code link: its own, else a GitHub or GitLab repository its comment or abstract names."""

from paperradar.models import Paper


def test_a_repository_named_at_the_end_of_an_abstract_is_the_code_link():
    paper = Paper(
        title="FloPE: Flower Pose Estimation for Precision Pollination",
        abstract="We release a real-time flower pose estimation framework for robotic pollination. "
        "Code and data are available at https://github.com/raiselab/FloPE.",
    )
    assert paper.code_link == "https://github.com/raiselab/FloPE"


def test_the_comment_is_read_before_the_abstract_and_gitlab_counts():
    paper = Paper(
        title="A segmentation benchmark",
        abstract="Project page: https://example.org/bench. The baseline: https://github.com/other/baseline.",
        comment="Accepted at MICCAI 2026; 12 pages, 5 figures. Code: https://gitlab.com/med-lab/seg-bench/-/tree/main",
    )
    assert paper.code_link == "https://gitlab.com/med-lab/seg-bench"


def test_an_abstract_without_a_repository_has_no_code_link_and_a_given_one_wins():
    plain = Paper(title="t", abstract="Visit github.com for nothing; our results are at https://example.org/x.")
    assert plain.code_link is None
    given = Paper(title="t", abstract="https://github.com/a/b", code_url="https://github.com/owner/repo")
    assert given.code_link == "https://github.com/owner/repo"


def test_arxiv_papers_have_pdf_and_html_links_others_none():
    arxiv = Paper(title="t", arxiv_id="2606.01234")
    assert (arxiv.pdf_link, arxiv.html_link) == (
        "https://arxiv.org/pdf/2606.01234",
        "https://arxiv.org/html/2606.01234",
    )
    assert Paper(title="a seed paper").html_link is None
