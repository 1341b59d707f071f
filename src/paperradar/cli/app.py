"""`paperradar` and its commands. Each parses its input, makes one call on the Library, and prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from paperradar import __version__
from paperradar.cli import render
from paperradar.cli.digest import digest_app, subscribers_app
from paperradar.cli.progress import copy_progress, embed_progress, import_progress
from paperradar.cli.sync import sync_app
from paperradar.cli.users import library_app, users_app
from paperradar.errors import PaperradarError
from paperradar.ingest.embedding import EmbedSummary
from paperradar.models import Filters
from paperradar.service import Library
from paperradar.settings import load_settings

app = typer.Typer(
    name="paperradar",
    help="Keep up with AI research: import papers, search them, and rank the best.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON (see docs/json.md).")]
Limit = Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="How many results.")]


def _library(ctx: typer.Context) -> Library:
    state: dict[str, Any] = ctx.obj  # main_options makes it before any command runs
    if "library" not in state:
        library = Library.open(state["settings"])
        state["library"] = library
        ctx.call_on_close(library.close)
    return state["library"]


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"paperradar {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    database: Annotated[
        str | None, typer.Option("--database", "-d", help="Database URL; overrides PAPERRADAR_DATABASE_URL.")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    ctx.obj = {"settings": load_settings(database_url=database)}


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files to import (gzip is read transparently).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="auto, jsonl, csv, arxiv-snapshot or edges.")] = "auto",
    strict: Annotated[bool, typer.Option(help="Stop at the first bad record and import nothing.")] = False,
    embed: Annotated[bool, typer.Option(help="Embed new papers for semantic search now (--no-embed: later).")] = True,
    as_json: JsonFlag = False,
) -> None:
    """Import paper metadata files, merging records of the same paper. Re-importing adds nothing.

    Exits 1 when any record was skipped as bad (the good ones are imported; --strict imports none)."""
    library = _library(ctx)
    edge_paths, paper_paths = library.graph.edge_files(paths, fmt)
    sources = library.sources(paper_paths, fmt)
    with import_progress(sources, enabled=not as_json) as on_progress:
        summary = library.import_sources(sources, strict=strict, on_progress=on_progress)
    edges = library.graph.import_edges(edge_paths, strict=strict) if edge_paths else None  # after the papers they name
    embedded = _embed(library, as_json) if embed else None
    if as_json:
        _print_json({**summary.to_dict(), **({"edges": edges.to_dict()} if edges else {}),
                     **({"embedding": embedded.to_dict()} if embedded else {})})  # fmt: skip
    else:
        if paper_paths or not edges:
            render.import_summary(summary)
        if edges:
            render.edge_import_summary(edges)
        if embedded and embedded.embedded:
            render.embed_summary(embedded)
    if edges and edges.skipped:
        typer.echo(f"error: {edges.skipped:,} bad edge line(s) skipped; the others were imported", err=True)
        sys.exit(1)
    if summary.skipped:  # bad input is an error even when the rest went in: scripts must notice
        typer.echo(f"error: {summary.skipped:,} bad record(s) skipped; the others were imported", err=True)
        sys.exit(1)


def _embed(library: Library, quiet: bool) -> EmbedSummary | None:
    total = library.pending_embeddings()
    if total == 0:
        return None
    with embed_progress(total, enabled=not quiet) as on_batch:
        return library.embed_pending(on_batch=on_batch)


@app.command()
def embed(
    ctx: typer.Context,
    limit: Annotated[int | None, typer.Option(min=1, help="Embed at most this many papers.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Embed the papers waiting for a vector (new, changed, or from an earlier model). Resumable."""
    library = _library(ctx)
    total = library.pending_embeddings()
    with embed_progress(min(total, limit or total), enabled=not as_json) as on_batch:
        summary = library.embed_pending(limit=limit, on_batch=on_batch) if total else None
    data = summary.to_dict() if summary else {"model": library.embedder_name(), "embedded": 0, "pending_before": 0}
    data["pending_after"] = library.pending_embeddings()
    if as_json:
        _print_json(data)
    elif summary:
        render.embed_summary(summary)
    else:
        typer.echo("Every paper already has a vector.")


@app.command()
def reindex(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Rebuild the keyword and vector indexes beside the database from the papers and stored vectors."""
    sizes = _library(ctx).reindex()
    if as_json:
        _print_json(sizes)
    else:
        typer.echo("Rebuilt: " + ", ".join(f"{name} index {size:,} papers" for name, size in sizes.items()) + ".")


@app.command()
def migrate(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Create or upgrade the database schema (SQLite or PostgreSQL); other commands do it on open too."""
    applied = Library.migrate(ctx.obj["settings"])
    if as_json:
        _print_json({"applied": applied})
    else:
        typer.echo(f"Applied {', '.join(applied)}." if applied else "The schema is up to date.")


@app.command()
def copy(
    source: Annotated[str, typer.Option("--from", help="Database URL to copy from.")],
    target: Annotated[str, typer.Option("--to", help="Database URL to copy into (created and migrated as needed).")],
    as_json: JsonFlag = False,
) -> None:
    """Copy papers, identities, citation snapshots, signals and embeddings between databases. Resumable."""
    with copy_progress(enabled=not as_json) as on_batch:
        summary = Library.copy(source, target, on_batch=on_batch)
    if as_json:
        _print_json(summary.to_dict())
    else:
        typer.echo(
            f"Copied {summary.copied:,} papers ({summary.skipped:,} were there already), {summary.snapshots:,} "
            f"citation snapshots, {summary.signals:,} signals, {summary.embeddings:,} vectors."
        )


@app.command()
def demo(
    ctx: typer.Context,
    seeds_only: Annotated[
        bool, typer.Option("--seeds-only", help="Only the 450 seed papers (no dates or authors): a small corpus.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Load the bundled demo into an empty database: 450 seed papers, five weeks of arXiv listings and
    their MiniLM vectors (with another embedder the papers are embedded). Running it again changes nothing."""
    library = _library(ctx)
    if seeds_only:
        _seed_demo(library, as_json)
        return
    loaded = library.load_full_demo()
    embedded = _embed(library, as_json)  # papers the bundle has no vector for (all of them, for another model)
    if as_json:
        data = loaded.to_dict() if loaded else {"added": 0, "already_loaded": True}
        _print_json({**data, "embedded": embedded.embedded if embedded else 0})
    elif loaded is None:
        typer.echo("The database already has papers; the demo corpus was not loaded.")
    else:
        typer.echo(f"Loaded {loaded.describe()}.")
    if embedded and embedded.embedded and not as_json:
        render.embed_summary(embedded)


def _seed_demo(library: Library, as_json: bool) -> None:
    summary = library.load_demo_if_empty()
    embedded = _embed(library, as_json)
    if as_json:
        _print_json(summary.to_dict() if summary else {"added": 0, "already_loaded": True})
    elif summary is None:
        typer.echo("The database already has papers; the demo corpus was not loaded.")
    else:
        render.import_summary(summary)
    if embedded and embedded.embedded and not as_json:
        render.embed_summary(embedded)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help='What to look for; see docs/search.md for "phrases", -exclude, ti:, au:.')
    ],
    limit: Limit = 20,
    mode: Annotated[
        str, typer.Option(help="hybrid (words and meaning), lexical (BM25 on words) or semantic (meaning).")
    ] = "hybrid",
    year: Annotated[int | None, typer.Option(help="Only papers of this year.")] = None,
    year_from: Annotated[int | None, typer.Option(help="Only papers from this year on.")] = None,
    year_to: Annotated[int | None, typer.Option(help="Only papers up to this year.")] = None,
    category: Annotated[list[str] | None, typer.Option(help="Only papers in this arXiv category (repeatable).")] = None,
    venue: Annotated[str | None, typer.Option(help="Only papers from this venue.")] = None,
    min_citations: Annotated[int | None, typer.Option(min=0, help="Only papers cited at least this often.")] = None,
    has_code: Annotated[
        bool | None, typer.Option("--has-code/--no-code", help="Only papers with (without) code.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Search papers by words and meaning (see docs/search.md)."""
    filters = _filters(year, year_from, year_to, category, venue, min_citations, has_code)
    library = _library(ctx)
    if mode != "lexical":
        _say_model_loads(library, as_json)
    page = library.search(query, limit=limit, filters=filters, mode=mode)
    if as_json:
        _print_json({"query": query, "mode": mode, "results": [hit.to_dict() for hit in page.hits]})
    else:
        render.hits(page.hits, empty=f"No papers match {query!r}.")


def _say_model_loads(library: Library, quiet: bool) -> None:
    """A command that needs the model waits for it to load (seconds, each run): say so rather than hang."""
    if not quiet and library.has_embeddings() and not library.embedder_loaded:
        typer.echo(f"loading the embedding model ({library.embedder_name()}); --mode lexical needs none ...", err=True)


def _filters(year: int | None, year_from: int | None, year_to: int | None, category: list[str] | None,
             venue: str | None, min_citations: int | None, has_code: bool | None) -> Filters:  # fmt: skip
    if year is not None:
        year_from = year_to = year
    return Filters(
        year_from=year_from,
        year_to=year_to,
        categories=tuple(category or ()),
        venue=venue,
        min_citations=min_citations,
        has_code=has_code,
    )


@app.command()
def similar(
    ctx: typer.Context,
    paper_id: Annotated[str, typer.Argument(metavar="ID", help="Public id, arXiv id or DOI.")],
    limit: Limit = 20,
    focus: Annotated[
        str | None, typer.Option(help="Some of the paper's text (its method, say): rank papers alike in that respect.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Papers most like one paper (by the meaning of title and abstract), best first."""
    library = _library(ctx)
    if focus:  # only a focus is embedded now; the papers' own vectors are stored
        _say_model_loads(library, as_json)
    page = library.similar(paper_id, limit=limit, focus=focus)
    if as_json:
        _print_json({"paper": paper_id, "results": [hit.to_dict() for hit in page.hits]})
    else:
        render.hits(page.hits, empty="No similar papers: nothing else has a vector yet (run `paperradar embed`).")


@app.command()
def best(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(help="The best papers of this year.")] = None,
    since: Annotated[int | None, typer.Option(help="First year of a range.")] = None,
    until: Annotated[int | None, typer.Option(help="Last year of a range.")] = None,
    limit: Limit = 100,
    as_json: JsonFlag = False,
    fmt: Annotated[str, typer.Option("--format", help="text or md (a Markdown page).")] = "text",
) -> None:
    """The most cited papers of a year or a range of years."""
    if fmt not in ("text", "md"):
        raise PaperradarError(f"--format: unknown format {fmt!r}", hint="use text or md")
    page = _library(ctx).best(year=year, since=since, until=until, limit=limit)
    if as_json:
        results = [{"rank": rank, **hit.to_dict()} for rank, hit in enumerate(page.hits, start=1)]
        _print_json({"title": page.title, "results": results, "notes": list(page.notes)})
    elif fmt == "md":
        from paperradar.rank.markdown import best_of_markdown

        typer.echo(best_of_markdown(page.title, [hit.paper for hit in page.hits]))
    else:
        render.best(page)


@app.command()
def show(
    ctx: typer.Context,
    paper_id: Annotated[str, typer.Argument(metavar="ID", help="Public id, arXiv id or DOI.")],
    as_json: JsonFlag = False,
) -> None:
    """Show one paper with its citation history."""
    library = _library(ctx)
    paper = library.paper(paper_id)
    history = library.citation_history(paper.id or "")
    if as_json:
        data = paper.to_dict()
        data["citation_history"] = [
            {"count": c.count, "source": c.source, "date": c.as_of.isoformat() if c.as_of else None} for c in history
        ]
        data["citation_snapshots"] = [s.to_dict() for s in library.citation_snapshots(paper.id or "")]
        data["signals"] = [s.to_dict() for s in library.signals(paper.id or "")]
        _print_json(data)
    else:
        render.paper(paper, history)


@app.command()
def stats(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """How many papers the database holds."""
    numbers = _library(ctx).stats()
    data = {
        "papers": numbers.papers,
        "with_abstract": numbers.with_abstract,
        "with_citations": numbers.with_citations,
        "with_arxiv_id": numbers.with_arxiv_id,
        "year_min": numbers.years[0],
        "year_max": numbers.years[1],
        "database": numbers.database,
    }
    if as_json:
        _print_json(data)
    else:
        render.stats(data)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on (default PAPERRADAR_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default PAPERRADAR_PORT).")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Worker processes (default PAPERRADAR_WEB_WORKERS).")
    ] = None,
) -> None:
    """Serve the web UI and the JSON API."""
    import os

    import uvicorn

    from paperradar.web.app import create_app

    given = {"host": host, "port": port, "web_workers": workers}
    settings = ctx.obj["settings"].model_copy(update={k: v for k, v in given.items() if v})
    _check_port_free(settings.host, settings.port)
    typer.echo(
        f"paperradar on http://{settings.host}:{settings.port}/ (database {settings.database}, "
        f"{settings.web_workers} worker{'s' if settings.web_workers > 1 else ''})",
        err=True,
    )
    # X-Forwarded-For is believed only from the configured proxies: uvicorn's default trusts 127.0.0.1,
    # which lets any local client (or a proxy that passes the header on) pick its own address.
    proxies = {"proxy_headers": bool(settings.trusted_proxies), "forwarded_allow_ips": settings.trusted_proxies}
    if settings.web_workers == 1:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning", **proxies)
        return
    # Each worker is a fresh process that reads its settings from the environment: hand it the
    # database this command resolved (from --database, say) so every worker serves the same one.
    os.environ["PAPERRADAR_DATABASE_URL"] = settings.database
    uvicorn.run(
        "paperradar.web.app:app_from_environment",
        factory=True,
        workers=settings.web_workers,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        **proxies,
    )


def _check_port_free(host: str, port: int) -> None:
    """Say which port is taken and how to pick another, instead of uvicorn's bare `[Errno 98]`."""
    import errno
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise PaperradarError(f"--host/--port: cannot listen on {host}:{port} ({exc.strerror})") from None
            raise PaperradarError(
                f"--port: {port} on {host} is in use (another paperradar serve, or another program)",
                hint=f"pick another: paperradar serve --port {port + 1}, or PAPERRADAR_PORT={port + 1} make run",
            ) from None


app.add_typer(sync_app, name="sync")
app.add_typer(digest_app, name="digest")
app.add_typer(subscribers_app, name="subscribers")
app.add_typer(users_app, name="users")
app.add_typer(library_app, name="library")


@app.command()
def worker(
    ctx: typer.Context,
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="Run every job once now (a stopped one is tried again, PAPERRADAR_WORKER_RETRIES), then exit "
            "(1 if any still failed). With PAPERRADAR_CLOCK_START set, the cycle of that day, for replays.",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Run the daily syncs (arXiv, Hugging Face, citations), then the digest, at their set times, logging each."""
    import logging

    from paperradar.jobs.worker import run_forever, run_once

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    library, settings = _library(ctx), ctx.obj["settings"]
    if not once:
        run_forever(library, settings)
        return
    results = run_once(library, settings)
    if as_json:
        _print_json({name: summary.to_dict() if summary else None for name, summary in results.items()})
    if any(summary is None or not summary.complete for summary in results.values()):
        sys.exit(1)


def main() -> None:
    """The console script: run the app, and turn our errors into one line and a non-zero exit."""
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:  # click returns an Exit's code instead of raising it
            sys.exit(code)
    except PaperradarError as exc:
        render.error(exc)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted: every batch committed before this point is kept; re-run to finish.", err=True)
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: a bad option or argument
        exc.show()  # type: ignore[attr-defined]
        sys.exit(exc.exit_code)  # type: ignore[attr-defined]
    except typer.Abort:
        sys.exit(1)
