"""`paperradar users` and `paperradar library` through the real entry point."""

import json

from cli.test_cli import run


def test_users_add_list_and_a_library_round_trip(tmp_path):
    run(tmp_path, "demo", "--seeds-only", "--json")
    done = run(tmp_path, "users", "add", "Admin@Example.org", "--admin", "--password-stdin", "--json",
               input_text="correct horse battery\n")  # fmt: skip
    assert json.loads(done.stdout) == {"id": 1, "email": "admin@example.org", "is_admin": True, "verified": True,
                                       "created": True}  # fmt: skip
    listed = json.loads(run(tmp_path, "users", "list", "--json").stdout)
    assert listed == [{"id": 1, "email": "admin@example.org", "is_admin": True, "verified": True}]
    assert "password" not in done.stdout + json.dumps(listed)
    bib = tmp_path / "zotero.bib"
    bib.write_text("@article{lora, title={{LoRA}: Low-Rank Adaptation of Large Language Models}, year={2021}}\n"
                   "@misc{nothere, title={A paper nobody has written yet}}\n", encoding="utf-8")  # fmt: skip
    report = json.loads(run(tmp_path, "library", "import", str(bib), "--user", "admin@example.org", "--json").stdout)
    assert [m["key"] for m in report["matched"]] == ["lora"] and report["unmatched"][0]["line"] == 2
    exported = run(tmp_path, "library", "export", "--user", "admin@example.org").stdout
    assert "Low-Rank Adaptation" in exported and exported.startswith("@")


def test_bad_input_names_the_place_and_changes_nothing(tmp_path):
    bad = run(tmp_path, "users", "add", "nope", "--password-stdin", input_text="correct horse battery\n", check=False)
    assert bad.returncode == 1 and "email" in bad.stderr
    run(tmp_path, "users", "add", "a@example.org", "--password-stdin", input_text="correct horse battery\n")
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{ok, title={Fine}}\n\n@misc{bad,\n title = {oops\n", encoding="utf-8")
    done = run(tmp_path, "library", "import", str(broken), "--user", "a@example.org", check=False)
    assert done.returncode == 1 and "line 3" in done.stderr
    assert run(tmp_path, "library", "export", "--user", "a@example.org", "--format", "json").stdout == "[]"
