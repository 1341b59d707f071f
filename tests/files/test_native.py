"""Native JSONL and CSV files: the schema, its aliases, and bad input."""

from datetime import date

import pytest

from paperradar.errors import InputError
from paperradar.sources.base import BadRecord, Record
from paperradar.sources.files import open_source
from paperradar.sources.files.fields import FieldError, to_paper
from support import FIXTURES


def read(name: str, fmt: str = "auto") -> list:
    return list(open_source(FIXTURES / name, fmt).read())


def test_jsonl_maps_every_documented_field_and_alias():
    records = read("native.jsonl")
    assert all(isinstance(r, Record) for r in records)
    lora, attention, title_only, old_style = (r.paper for r in records)
    assert lora.arxiv_id == "2106.09685"
    assert lora.authors == ["Edward J. Hu", "Yelong Shen", "Phillip Wallis"]
    assert lora.categories == ["cs.CL", "cs.LG"]
    assert lora.citations.count == 14774 and lora.citations.source == "openalex"
    assert lora.citations.as_of == date(2025, 6, 1)
    assert lora.code_url == "https://github.com/microsoft/LoRA"
    assert attention.doi == "10.5555/3295222.3295349" and attention.year == 2017
    assert attention.venue == "NeurIPS"
    assert attention.pdf_url is None, "a javascript: link from a file must be dropped"
    assert title_only.year == 2020 and title_only.published == date(2020, 5, 4)
    assert old_style.arxiv_id == "hep-th/9608091" and old_style.year == 1996
    assert records[3].location.endswith("native.jsonl:5"), "blank lines still count in line numbers"


def test_csv_reads_quoted_multiline_fields_and_reports_bad_rows():
    records = read("native.csv")
    good = [r for r in records if isinstance(r, Record)]
    bad = [r for r in records if isinstance(r, BadRecord)]
    assert [r.paper.title for r in good] == [
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "Deep Residual Learning for Image Recognition",
    ]
    assert good[0].paper.authors == ["Edward J. Hu", "Yelong Shen", "Phillip Wallis", "Zeyuan Allen-Zhu"]
    assert "spans two lines" in good[0].paper.abstract
    assert good[1].paper.citations.count == 200000
    assert len(bad) == 1 and bad[0].location.endswith("native.csv:5") and "year" in bad[0].reason


def test_a_malformed_json_line_is_reported_with_its_line():
    records = read("bad-line-2.jsonl")
    assert [type(r).__name__ for r in records] == ["Record", "BadRecord", "Record"]
    assert records[1].location.endswith("bad-line-2.jsonl:2")
    assert "not valid JSON" in records[1].reason


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({}, "title: missing"),
        ({"title": "   "}, "title: empty"),
        ({"title": "x" * 2000}, "title: 2000 characters"),
        ({"title": "t", "year": "soon"}, "year: expected a whole number"),
        ({"title": "t", "year": 99999}, "year: 99999 is outside"),
        ({"title": "t", "citations": -1}, "citations: -1 is outside"),
        ({"title": "t", "authors": 5}, "authors: expected a list or a string"),
        ({"title": "t", "published": "yesterday"}, "published: 'yesterday' is not a date"),
        ({"title": "t", "arxiv_id": "nope"}, "arxiv_id: 'nope' is not an arXiv id"),
        ({"title": "t", "categories": [1, 2]}, "categories: expected a list of strings"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_bad_fields_are_named(record, message):
    with pytest.raises(FieldError, match=message.replace("(", r"\(")):
        to_paper(record)


def test_unknown_format_and_missing_file_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_source(tmp_path / "missing.jsonl")
    odd = tmp_path / "papers.txt"
    odd.write_text("title,year\n")
    with pytest.raises(InputError, match="cannot tell the format"):
        open_source(odd)
    with pytest.raises(InputError, match="unknown format 'xml'"):
        open_source(FIXTURES / "native.jsonl", "xml")


def test_gzip_is_read_transparently(tmp_path):
    import gzip

    path = tmp_path / "papers.jsonl.gz"
    path.write_bytes(gzip.compress((FIXTURES / "native.jsonl").read_bytes()))
    assert [r.paper.title for r in open_source(path).read()] == [r.paper.title for r in read("native.jsonl")]


def test_a_line_that_is_not_utf8_is_a_bad_record_naming_its_line(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"title": "ok"}\n{"title": "caf\xe9"}\n{"title": "fine"}\n')
    records = list(open_source(path).read())
    assert [type(r).__name__ for r in records] == ["Record", "BadRecord", "Record"]
    assert records[1].location.endswith("latin1.jsonl:2") and "not UTF-8" in records[1].reason


def test_a_truncated_gzip_file_is_an_error_naming_where_it_stopped(tmp_path):
    import gzip

    whole = gzip.compress(b"".join(b'{"title": "paper %d"}\n' % i for i in range(5000)))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match=r"cut.jsonl.gz:\d+: cannot read further"):
        list(open_source(path).read())


def test_a_csv_with_a_byte_order_mark_reads_like_one_without(tmp_path):
    path = tmp_path / "excel.csv"  # Excel's "CSV UTF-8" starts the file with EF BB BF
    path.write_bytes(b"\xef\xbb\xbftitle,year\nA paper from Excel,2021\n")
    records = list(open_source(path).read())
    assert [(r.paper.title, r.paper.year) for r in records] == [("A paper from Excel", 2021)]


def test_an_unbalanced_quote_is_refused_naming_its_line(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text('title,year\nFine,2020\n"Broken title,2020\nSecond,2021\nThird,2022\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"quote\.csv:3: its title field holds line breaks"):
        list(open_source(path).read())


def test_a_record_running_on_for_hundreds_of_lines_is_refused(tmp_path):
    path = tmp_path / "long.csv"
    rows = "".join(f"row {n},{2000 + n % 20}\n" for n in range(300))
    path.write_text(f'title,abstract\nFine,"opened and never closed\n{rows}', encoding="utf-8")
    with pytest.raises(InputError, match=r"long\.csv:2: it runs on for 30\d lines"):
        list(open_source(path).read())
