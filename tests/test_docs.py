"""Docs that cannot go stale: generated files match the code, and every route and command is documented."""

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parents[1]
BENCHMARKS = ROOT / "docs" / "benchmarks.md"
_BENCH_SCRIPT = re.compile(r"bench/(\w+)\.py")


def _generator():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_up_to_date():
    generator = _generator()
    for name, render in generator.GENERATED.items():
        assert (ROOT / "docs" / name).read_text(encoding="utf-8") == render(), (
            f"docs/{name} is stale: run scripts/gen_docs.py"
        )


def test_every_route_is_documented():
    from paperradar.settings import load_settings
    from paperradar.web.app import create_app

    documented = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    app = create_app(load_settings(database_url="sqlite://"))
    for route in app.routes:
        path = getattr(route, "path", "")
        if path in ("/api/docs", "/api/docs/assets"):  # the API browser and its files: pages, not API
            continue
        stem = path.split("{")[0].rstrip("/") or "/"
        assert f"`{stem}" in documented or f"`GET {stem}" in documented, f"route {path} is not in docs/json.md"


def test_every_command_is_in_the_readme_or_json_doc():
    import typer.main

    from paperradar.cli.app import app

    text = (ROOT / "README.md").read_text(encoding="utf-8") + (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    for name in typer.main.get_command(app).commands:
        assert f"paperradar {name}" in text, f"command {name} is documented nowhere a user reads first"


def test_every_benchmark_section_names_the_script_behind_its_figures_and_the_script_exists():
    text = BENCHMARKS.read_text(encoding="utf-8")
    for section in re.split(r"^#{2,3} ", text, flags=re.MULTILINE)[1:]:
        assert _BENCH_SCRIPT.search(section), f"docs/benchmarks.md: {section.splitlines()[0]!r} names no bench/ script"
    for name in set(_BENCH_SCRIPT.findall(text)):
        assert (ROOT / "bench" / f"{name}.py").is_file(), f"docs/benchmarks.md names a missing bench/{name}.py"


def test_every_option_of_a_benchmark_command_is_one_the_script_takes():
    for line in BENCHMARKS.read_text(encoding="utf-8").splitlines():
        for match in _BENCH_SCRIPT.finditer(line):
            source = (ROOT / "bench" / f"{match[1]}.py").read_text(encoding="utf-8")
            for option in re.findall(r"(?<![\w-])--[a-z][\w-]*", line[match.end() :]):
                assert f'"{option}"' in source, f"docs/benchmarks.md: bench/{match[1]}.py has no {option}"


def test_no_benchmark_figure_comes_from_a_script_that_was_not_kept():
    text = BENCHMARKS.read_text(encoding="utf-8").lower()
    for phrase in ("throwaway", "one-off", "one off", "not kept", "no project command"):
        assert phrase not in text, f"docs/benchmarks.md: a figure from a script that was not kept ({phrase!r})"


def test_known_item_queries_are_split_into_a_tuning_half_and_a_held_out_half():
    for path in sorted((ROOT / "bench" / "queries").glob("known_items_*.jsonl")):
        queries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for kind in {q["kind"] for q in queries}:
            halves = Counter(q.get("half") for q in queries if q["kind"] == kind)
            assert set(halves) == {"tuning", "held-out"}, f"{path.name}: {kind} queries without a half"
            assert abs(halves["tuning"] - halves["held-out"]) <= 1, f"{path.name}: {kind} halves {dict(halves)}"
