"""How the CLI shows things to a person: Rich tables and lines on a terminal, plain text elsewhere."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from paperradar.errors import PaperradarError
from paperradar.ingest import ImportSummary
from paperradar.ingest.embedding import EmbedSummary
from paperradar.ingest.references import EdgeImport
from paperradar.models import CitationCount, Paper
from paperradar.rank.markdown import citation_line, format_count
from paperradar.service import Hit, Page

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def error(exc: PaperradarError) -> None:
    err.print(f"[bold red]error:[/] {escape(str(exc))}")
    if exc.hint:
        err.print(f"[dim]hint: {escape(exc.hint)}[/]")


def import_summary(summary: ImportSummary) -> None:
    out.print(
        f"added {summary.added}, merged {summary.merged} ({summary.updated} changed), "
        f"skipped {summary.skipped} of {summary.read} records"
    )
    for item in summary.errors[:20]:
        err.print(f"[yellow]skipped[/] {escape(item['location'])}: {escape(item['reason'])}")
    if summary.skipped > 20:
        err.print(f"... and {summary.skipped - 20} more (use --json for the full list)")


def edge_import_summary(summary: EdgeImport) -> None:
    out.print(f"edges: added {summary.added}, skipped {summary.skipped} of {summary.read} lines")
    for item in summary.errors[:20]:
        err.print(f"[yellow]skipped[/] {escape(item['location'])}: {escape(item['reason'])}")
    if summary.skipped > 20:
        err.print(f"... and {summary.skipped - 20} more (use --json for the full list)")


def _authors(paper: Paper, most: int = 3) -> str:
    names = paper.authors[:most]
    more = len(paper.authors) - most
    return ", ".join(names) + (f" +{more}" if more > 0 else "")


def hits(found: list[Hit], empty: str) -> None:
    if not found:
        out.print(empty)
        return
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("#", justify="right")
    table.add_column("id", no_wrap=True)
    table.add_column("title")
    table.add_column("year", justify="right")
    table.add_column("cites", justify="right")
    for rank, hit in enumerate(found, start=1):
        cites = hit.paper.citations
        table.add_row(
            str(rank),
            escape(hit.paper.id or ""),
            escape(hit.paper.title) + (f"\n[dim]{escape(_authors(hit.paper))}[/]" if hit.paper.authors else ""),
            str(hit.paper.year or ""),
            format_count(cites.count) if cites else "",
        )
    out.print(table)


def best(page: Page) -> None:
    out.print(f"[bold]{escape(page.title)}[/]\n")
    if not page.hits:
        out.print("No papers with citation counts in this range.")
    for rank, hit in enumerate(page.hits, start=page.offset + 1):
        # The id goes first and whole, so `paperradar show ID` / `similar ID` can follow from the list.
        out.print(f"{rank:>3}. [cyan]{escape(hit.paper.id or '')}[/]  {escape(hit.paper.title)}  "
                  f"[dim]{escape(citation_line(hit.paper))}[/]")  # fmt: skip
    for note in page.notes:
        err.print(f"[dim]note: {escape(note)}[/]")


def paper(item: Paper, history: list[CitationCount]) -> None:
    out.print(f"[bold]{escape(item.title)}[/]")
    if item.authors:
        out.print(escape(", ".join(item.authors)))
    facts = [
        ("id", item.id),
        ("arXiv", item.arxiv_id),
        ("DOI", item.doi),
        ("year", item.year),
        ("published", item.published),
        ("listed", item.listing_date),
        ("categories", " ".join(item.categories)),
        ("venue", item.venue),
        ("citations", citation_line(item) if item.citations else None),
        ("abstract page", item.abs_url),
        ("PDF", item.pdf_link),
        ("code", item.code_url),
    ]
    for name, value in facts:
        if value:
            out.print(f"[dim]{name:>13}[/]  {escape(str(value))}")
    if len(history) > 1:
        out.print(
            "[dim]      history[/]  " + escape("; ".join(citation_line(Paper(title="", citations=c)) for c in history))
        )
    if item.abstract:
        out.print()
        out.print(escape(item.abstract))


def stats(data: dict[str, Any]) -> None:
    for name, value in data.items():
        out.print(f"[dim]{name.replace('_', ' '):>15}[/]  {escape(str(value))}")


def embed_summary(summary: EmbedSummary) -> None:
    out.print(
        f"Embedded {summary.embedded:,} papers with {escape(summary.model)} "
        f"in {summary.seconds:.1f} s ({summary.per_second:.1f} papers/s)."
    )
