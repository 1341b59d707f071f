"""Write the docs that are generated from the code: docs/settings.md and docs/cli.md.

Run: .venv/bin/python scripts/gen_docs.py   (tests/test_docs.py fails when the files are stale)
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def settings_md() -> str:
    from paperradar.settings import Settings

    lines = [
        "# Settings",
        "",
        "Generated from `src/paperradar/settings.py` by `scripts/gen_docs.py`; do not edit by hand.",
        "",
        "Each setting is read from the environment variable shown, or from a TOML file named by",
        "`PAPERRADAR_CONFIG` (keys in lower case, without the prefix). Command-line flags win over both.",
        "",
        "| variable | default | meaning |",
        "|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = "(computed)" if field.default_factory else repr(field.default)
        if name == "home":
            default = "`~/.local/share/paperradar`"
        lines.append(f"| `PAPERRADAR_{name.upper()}` | {default} | {field.description} |")
    return "\n".join(lines) + "\n"


def cli_md() -> str:
    import typer.main

    from paperradar.cli.app import app

    group = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from `src/paperradar/cli/` by `scripts/gen_docs.py`; do not edit by hand.",
        "",
        "Global options: " + ", ".join(f"`{p.opts[0]}`" for p in group.params if p.opts) + ".",
        "",
    ]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        lines += _command_md(f"paperradar {name}", command)
    return "\n".join(lines)


def _command_md(title: str, command) -> list[str]:
    """One command's section; a group (e.g. `sync`) gets one section per subcommand."""
    lines = [f"## {title}", "", (command.help or "").strip(), ""]
    for param in command.params:
        if param.param_type_name == "argument":
            lines.append(f"- `{param.name.upper()}` (argument): {getattr(param, 'help', '') or ''}")
        else:
            default = "" if param.default in (None, False) else f" (default: {param.default})"
            lines.append(f"- `{' / '.join(param.opts)}`{default}: {param.help or ''}")
    lines.append("")
    for name, sub in getattr(command, "commands", {}).items():
        lines += _command_md(f"{title} {name}", sub)
    return lines


GENERATED = {"settings.md": settings_md, "cli.md": cli_md}


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    for name, render in GENERATED.items():
        (DOCS / name).write_text(render(), encoding="utf-8")
        print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
