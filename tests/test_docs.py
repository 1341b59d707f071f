"""Docs that cannot go stale: generated files match the code, and every route and command is documented."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).parents[1]


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
