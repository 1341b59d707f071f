"""`paperradar sync ...`: pull live sources into the database. Each command parses, calls the Library, prints."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from paperradar.errors import InputError
from paperradar.service import Library
from paperradar.sync import SyncSummary
from paperradar.sync.summary import Progress as OnProgress

sync_app = typer.Typer(help="Pull papers, signals and citation counts from live sources.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print the summary as JSON (see docs/json.md).")]


def _library(ctx: typer.Context) -> Library:
    root = ctx.find_root()
    if "library" not in root.obj:
        root.obj["library"] = Library.open(root.obj["settings"])
        root.call_on_close(root.obj["library"].close)
    return root.obj["library"]


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value[:40]!r} is not a date", hint="use YYYY-MM-DD") from None


@contextmanager
def sync_progress(label: str, enabled: bool) -> Iterator[OnProgress | None]:
    """A progress bar on a terminal only, so pipes and --json stay clean."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[note]}"))
    with Progress(*columns, console=console) as bar:
        task = bar.add_task(label, total=None, note="")

        def update(summary: SyncSummary, done: int, total: int | None) -> None:
            note = f"fetched {summary.fetched}, added {summary.added}, updated {summary.updated}"
            bar.update(task, completed=done, total=total, note=note)

        yield update


EmbedFlag = Annotated[
    bool, typer.Option(help="Embed the papers the sync added or changed, for semantic search (--no-embed: later).")
]


def embed_new(library: Library, summary: SyncSummary, embed: bool) -> dict | None:
    """Embed what a sync added, as `import` does; the summary's `embedding` part, or None."""
    if not embed or not (summary.added or summary.updated) or not library.pending_embeddings():
        return None
    return library.embed_pending().to_dict()


def report(summary: SyncSummary, as_json: bool, embedded: dict | None = None) -> None:
    """Print the summary; a sync that stopped early exits 1 (after printing what it did)."""
    if as_json:
        data = summary.to_dict() | ({"embedding": embedded} if embedded else {})
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(
            f"{summary.source}: fetched {summary.fetched}, added {summary.added}, updated {summary.updated}, "
            f"signals {summary.signals}, errors {len(summary.errors)}"
            + (f", embedded {embedded['embedded']}" if embedded else "")
        )
        for item in summary.errors[:20]:
            typer.echo(f"  {item['location']}: {item['reason']}", err=True)
    if not summary.complete:
        if not as_json:
            typer.echo("stopped early: what was fetched is kept; run the same command again to resume.", err=True)
        sys.exit(1)


@sync_app.command("arxiv")
def arxiv(
    ctx: typer.Context,
    set_spec: Annotated[
        str | None, typer.Option("--set", help="OAI-PMH set, e.g. cs (default PAPERRADAR_ARXIV_SET).")
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="First datestamp (YYYY-MM-DD); default: where the last run started.")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last datestamp (YYYY-MM-DD).")] = None,
    metadata_format: Annotated[str, typer.Option("--metadata-format", help="arXiv or arXivRaw.")] = "arXiv",
    query: Annotated[
        str | None,
        typer.Option(
            "--query", help="Instead of harvesting, import an arXiv search, e.g. 'cat:cs.LG AND ti:diffusion'."
        ),
    ] = None,
    max_results: Annotated[
        int, typer.Option("--max-results", min=1, max=30000, help="With --query: how many results.")
    ] = 100,
    embed: EmbedFlag = True,
    as_json: JsonFlag = False,
) -> None:
    """Harvest new and updated arXiv papers (OAI-PMH), resuming an interrupted harvest; or import a search."""
    library = _library(ctx)
    with sync_progress("arXiv", enabled=not as_json) as on_progress:
        if query is not None:
            summary = library.sync_arxiv_query(query, max_results=max_results, on_progress=on_progress)
        else:
            summary = library.sync_arxiv(
                set_spec,
                parse_day(from_, "--from"),
                parse_day(until, "--until"),
                metadata_format,
                on_progress=on_progress,
            )
    report(summary, as_json, embed_new(library, summary, embed))


@sync_app.command("hf-daily")
def hf_daily(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option("--date", help="One day's picks (YYYY-MM-DD).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Every day from this one through today.")] = None,
    embed: EmbedFlag = True,
    as_json: JsonFlag = False,
) -> None:
    """Hugging Face daily papers: upvotes, GitHub repository and stars, project pages, as signals on papers."""
    library = _library(ctx)
    with sync_progress("Hugging Face", enabled=not as_json) as on_progress:
        summary = library.sync_hf_daily(parse_day(day, "--date"), parse_day(since, "--since"), on_progress=on_progress)
    report(summary, as_json, embed_new(library, summary, embed))


@sync_app.command("citations")
def citations(
    ctx: typer.Context,
    source: Annotated[
        str | None, typer.Option("--source", help="openalex or s2 (default PAPERRADAR_CITATIONS_SOURCE).")
    ] = None,
    stale_after: Annotated[
        int | None,
        typer.Option(
            "--stale-after",
            min=0,
            help="Refresh counts older than this many days (default PAPERRADAR_CITATIONS_STALE_AFTER).",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Refresh stale citation counts in batches; every count is kept as a dated snapshot."""
    library = _library(ctx)
    with sync_progress("citations", enabled=not as_json) as on_progress:
        summary = library.sync_citations(source, stale_after, on_progress=on_progress)
    report(summary, as_json)


@sync_app.command("references")
def references(
    ctx: typer.Context,
    stale_after: Annotated[
        int | None,
        typer.Option(
            "--stale-after",
            min=0,
            help="Read again lists older than this many days (default PAPERRADAR_CITATIONS_STALE_AFTER).",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Read at most this many papers.")] = None,
    source: Annotated[str, typer.Option("--source", help="openalex or s2: each keeps its own list.")] = "openalex",
    as_json: JsonFlag = False,
) -> None:
    """What papers cite, from OpenAlex or Semantic Scholar: edges with their source and day, for papers unread
    or stale (resumable)."""
    library = _library(ctx)
    with sync_progress("references", enabled=not as_json) as on_progress:
        summary = library.graph.sync_references(stale_after, limit, on_progress=on_progress, source=source)
    report(summary, as_json)
