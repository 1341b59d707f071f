"""The CLI as a new user meets it (issue 14): bad records make the exit code say so, best-of lists print
the ids the next command needs and say what a range leaves out, a busy port is named, not an Errno."""

from __future__ import annotations

import json
import socket

from cli.test_cli import run


def test_an_import_that_skipped_bad_records_exits_1_and_says_how_many(tmp_path):
    data = tmp_path / "papers.jsonl"
    data.write_text('{"title": "A good paper"}\nnot json\n{"title": ""}\n', encoding="utf-8")
    done = run(tmp_path, "import", "--no-embed", str(data), check=False)
    assert done.returncode == 1
    assert "2 bad record(s) skipped; the others were imported" in done.stderr
    assert json.loads(run(tmp_path, "stats", "--json").stdout)["papers"] == 1  # the good one went in
    clean = tmp_path / "clean.jsonl"
    clean.write_text('{"title": "Another good paper"}\n', encoding="utf-8")
    assert run(tmp_path, "import", "--no-embed", str(clean), check=False).returncode == 0


def test_best_prints_the_ids_that_show_and_similar_take(tmp_path):
    run(tmp_path, "demo", "--seeds-only", env={"PAPERRADAR_EMBEDDER": "hashing"})
    listing = run(tmp_path, "best", "--since", "2015", "--limit", "3").stdout
    first_id = listing.splitlines()[2].split()[1]
    assert "LoRA" in run(tmp_path, "show", first_id).stdout


def test_a_bounded_best_of_says_how_many_undated_papers_it_leaves_out(tmp_path):
    run(tmp_path, "demo", "--seeds-only", env={"PAPERRADAR_EMBEDDER": "hashing"})
    done = run(tmp_path, "best", "--since", "2015", "--limit", "3")
    assert "cited papers with no known year are left out" in done.stderr
    notes = json.loads(run(tmp_path, "best", "--since", "2015", "--json").stdout)["notes"]
    assert len(notes) == 1 and notes[0].split()[0].isdigit()


def test_serve_on_a_busy_port_names_it_and_how_to_pick_another(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run(tmp_path, "serve", "--port", str(port), check=False)
    assert done.returncode == 1
    assert f"--port: {port} on 127.0.0.1 is in use" in done.stderr and "PAPERRADAR_PORT" in done.stderr
    assert "Errno" not in done.stderr and "Traceback" not in done.stderr
