"""A user's library through the service on both backends: BibTeX import by arXiv id, DOI and title,
exports that import back, bounds on tags and notes, hostile text kept inert in exports."""

from __future__ import annotations

import csv
import io
import json

import pytest

import feed_corpus
from paperradar.errors import InputError, PaperNotFound
from paperradar.ingest.importer import upsert
from paperradar.models import Paper

ZOTERO = """@article{hands2024,
  title = {Diffusion models that draw hands},
  author = {Lovelace, Ada},
  eprint = {2405.00002v2},
  archivePrefix = {arXiv},
}

@misc{scholar,
  title = {Sparse attention for long documents},
  journal = {arXiv preprint arXiv:2405.00001},
}

@inproceedings{bydoi,
  title = {Whatever the title says},
  doi = {10.1234/DOI.TEST},
}

@book{bytitle,
  title = {Agents That File Their Own Bug Reports},
  year = {2024},
}

@article{missing,
  title = {A paper this database has never seen},
}
"""


@pytest.fixture
def shelf_library(library):
    feed_corpus.load(library.store)
    with library.store.transaction():
        upsert(library.store, Paper(title="A paper known by its DOI", doi="10.1234/doi.test", year=2020))
    user = library.store.create_user("me@example.org", "unused", False, True, 0)
    return library, user


def test_a_zotero_export_seeds_the_library_by_arxiv_id_doi_then_title(shelf_library):
    library, user = shelf_library
    report = library.shelf.import_bibtex(user, ZOTERO, tags=["Imported"])
    assert [(k, m) for k, _, m in report.matched] == [
        ("hands2024", "arxiv"), ("scholar", "arxiv"), ("bydoi", "doi"), ("bytitle", "title")]  # fmt: skip
    assert report.unmatched == [("missing", 23, "no paper in this database matches it")]
    assert report.added == 4 and library.shelf.tags(user) == [("imported", 4)]
    again = library.shelf.import_bibtex(user, ZOTERO)
    assert again.added == 0 and len(again.matched) == 4  # idempotent


def test_a_malformed_file_names_the_line_and_saves_nothing(shelf_library):
    library, user = shelf_library
    broken = ZOTERO + "\n@article{cut,\n  title = {never closed\n"
    with pytest.raises(InputError, match=r"bibtex line 27: cannot read the entry .cut."):
        library.shelf.import_bibtex(user, broken)
    with pytest.raises(InputError, match="appears twice"):
        library.shelf.import_bibtex(user, ZOTERO + ZOTERO)
    assert library.shelf.entries(user) == []


def test_the_bibtex_export_imports_back_to_the_same_papers(shelf_library):
    library, other_user = shelf_library
    library.shelf.import_bibtex(other_user, ZOTERO)
    exported, media = library.shelf.export(other_user, "bibtex")
    assert media == "application/x-bibtex"
    fresh = library.store.create_user("fresh@example.org", "unused", False, True, 0)
    report = library.shelf.import_bibtex(fresh, exported)
    assert report.unmatched == [] and report.added == 4
    assert {e.paper_id for e, _ in library.shelf.entries(fresh)} == {e.paper_id for e, _ in
                                                                    library.shelf.entries(other_user)}  # fmt: skip


def test_hostile_notes_and_tags_stay_inert_in_csv_and_json(shelf_library):
    library, user = shelf_library
    library.shelf.save(user, "2405.00002")
    library.shelf.update(user, "2405.00002", note='=HYPERLINK("http://evil")', tags=["<b>bold</b>", "+cmd"])
    rows = list(csv.DictReader(io.StringIO(library.shelf.export(user, "csv")[0])))
    assert rows[0]["note"] == '\'=HYPERLINK("http://evil")' and rows[0]["tags"] == "'+cmd, <b>bold</b>"
    item = json.loads(library.shelf.export(user, "json")[0])[0]
    assert item["library"]["note"].startswith("=HYPERLINK") and item["library"]["tags"] == ["+cmd", "<b>bold</b>"]


def test_tags_and_notes_are_bounded_and_only_saved_papers_take_them(shelf_library):
    library, user = shelf_library
    library.shelf.save(user, "2405.00001")
    with pytest.raises(InputError, match=r"^tags: at most 20"):
        library.shelf.update(user, "2405.00001", tags=[f"t{i}" for i in range(21)])
    with pytest.raises(InputError, match=r"^tags: control"):
        library.shelf.update(user, "2405.00001", tags=["a\x00b"])
    with pytest.raises(InputError, match=r"^note: at most"):
        library.shelf.update(user, "2405.00001", note="x" * 10_001)
    with pytest.raises(PaperNotFound, match="not in your library"):
        library.shelf.update(user, "2405.00003", note="not saved")
    assert library.shelf.update(user, "2405.00001", tags=["  Deep   Learning ", "deep learning"]).tags == (
        "deep learning",)  # fmt: skip


def test_marks_say_what_a_users_cards_show_and_nothing_of_other_users(shelf_library):
    library, user = shelf_library
    other = library.store.create_user("other@example.org", "unused", False, True, 0)
    library.shelf.save(user, "2405.00001", tags=["Reading"])
    library.shelf.save(user, "2405.00002")
    library.shelf.vote(user, "2405.00002")
    library.shelf.save(other, "2405.00003")
    marks = library.shelf.marks(user)
    ids = {library.paper(k).id for k in ("2405.00001", "2405.00002")}
    assert marks.saved == ids and marks.tags == {library.paper("2405.00001").id: ("reading",)}
    assert marks.voted == {library.paper("2405.00002").id}
    assert library.shelf.marks(other).voted == set()
