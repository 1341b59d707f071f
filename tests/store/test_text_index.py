"""The keyword index: papers tied on score come out in the same order from any build."""

from paperradar.store.text_index import TextIndex


def _texts() -> list[tuple[int, str]]:
    # Twelve papers with distinct scores (longer text, lower score), then six exactly alike, tied
    # across the cut at 15, then more after them.
    distinct = [(pk, "graph " + " ".join(f"w{n}" for n in range(pk))) for pk in range(1, 13)]
    tied = [(pk, "graph " + " ".join(f"t{n}" for n in range(13))) for pk in range(13, 19)]
    after = [(pk, "graph " + " ".join(f"v{n}" for n in range(pk))) for pk in range(19, 30)]
    return distinct + tied + after


def test_papers_tied_at_the_cut_are_chosen_by_key_whatever_the_segments():
    one, other = TextIndex(None), TextIndex(None)
    texts = _texts()
    one.apply(texts, last_seq=len(texts))
    backwards = list(reversed(texts))
    for start in range(0, len(backwards), 6):  # the same papers, last first, over five commits
        other.apply(backwards[start : start + 6], last_seq=len(texts))
    found = one.search(["graph"], 15)
    assert [pk for pk, _ in found] == list(range(1, 16)), "the tied 13-18 are cut after 15, by key"
    for _ in range(5):
        assert other.search(["graph"], 15) == found
