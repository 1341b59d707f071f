"""Imports run one way: models <- store <- domain <- service <- web, cli. Nothing imports web or cli,
and a part that may not import the store may not reach one through an attribute either."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "paperradar"
# What each part may import from paperradar (besides itself).
ALLOWED = {
    "models": set(),
    "errors": set(),
    "settings": {"errors"},
    "tokens": {"errors"},
    "sources": {"models", "errors"},
    "store": {"models", "errors"},
    "embed": {"models", "errors"},
    "mail": {"errors"},
    "ingest": {"models", "errors", "store", "sources", "embed"},
    "search": {"models", "errors", "store", "embed"},
    "rank": {"models", "errors", "store"},
    "graph": {"models", "errors", "store", "search"},
    "digest": {"models", "errors", "store", "rank", "mail"},
    "recommend": set(),
    "sync": {"models", "errors", "store", "sources", "ingest"},
    "service": {
        "models",
        "errors",
        "store",
        "sources",
        "ingest",
        "search",
        "rank",
        "embed",
        "settings",
        "sync",
        "mail",
        "tokens",
        "digest",
        "recommend",
        "graph",
    },
    "jobs": {"models", "errors", "service", "settings", "sync"},
    "web": {"models", "errors", "service", "settings", "rank", "tokens", "__init__"},
    "cli": {"models", "errors", "service", "settings", "rank", "ingest", "sources", "web", "__init__", "sync", "jobs"},
    "data": set(),
    "__init__": set(),
    "__main__": {"cli"},
    "clock": set(),
    "budget": {"errors"},
}
for _uses in ALLOWED.values():  # the one clock and a request's time budget are leaves every part may read
    if _uses is not ALLOWED["clock"]:
        _uses.add("clock")
    if _uses is not ALLOWED["budget"] and _uses is not ALLOWED["errors"]:
        _uses.add("budget")


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("paperradar"):
            parts = node.module.split(".")
            if len(parts) == 1:
                found.update(alias.name for alias in node.names)  # from paperradar import __version__
            else:
                found.add(parts[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("paperradar."):
                    found.add(alias.name.split(".")[1])
    return found


def test_imports_run_one_way():
    problems = []
    for path in PACKAGE.rglob("*.py"):
        part = _part(path)
        allowed = ALLOWED.get(part)
        assert allowed is not None, f"{path}: a new part; add it to ALLOWED with the parts it may use"
        for used in _imports(path) - {part}:
            if used in ("__version__", "__init__"):
                continue  # the version string is everyone's
            if used not in allowed:
                problems.append(f"{path.relative_to(PACKAGE)} imports paperradar.{used}")
    assert not problems, "\n".join(problems)


def test_sql_lives_only_in_the_store():
    for path in PACKAGE.rglob("*.py"):
        if _part(path) == "store":
            continue
        text = path.read_text(encoding="utf-8")
        for keyword in ("SELECT ", "INSERT INTO", "UPDATE papers", "DELETE FROM", "CREATE TABLE"):
            assert keyword not in text, f"{path.relative_to(PACKAGE)} contains SQL ({keyword.strip()})"


def _store_reaches(path: Path) -> list[int]:
    """The lines where a module reads an attribute named `store` (`library.store`, `app.state.x.store`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted({node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "store"})


def test_edges_reach_the_store_only_through_the_facade():
    """web, cli and jobs call `Library` methods; `library.store` there would be a use case the facade lacks."""
    problems = []
    for path in PACKAGE.rglob("*.py"):
        part = _part(path)
        if part == "store" or "store" in ALLOWED.get(part, set()):
            continue  # the store itself, and the parts handed one to work on (service, domain)
        problems += [f"{path.relative_to(PACKAGE)}:{line} reaches .store" for line in _store_reaches(path)]
    assert not problems, "\n".join(problems)
