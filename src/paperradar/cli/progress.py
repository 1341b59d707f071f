"""Progress bars for imports and embedding: shown on a terminal only, so pipes and --json stay clean."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from paperradar.ingest import ImportSummary
from paperradar.ingest.copy import CopySummary
from paperradar.ingest.embedding import EmbedSummary
from paperradar.sources.base import Source

ProgressCallback = Callable[[Source, ImportSummary], None]


@contextmanager
def import_progress(sources: list[Source], enabled: bool = True) -> Iterator[ProgressCallback | None]:
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[papers]} records, {task.fields[rate]}/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        tasks = {
            id(source): bar.add_task(source.name[-40:], total=source.progress()[1], papers=0, rate=0)
            for source in sources
        }

        def update(source: Source, summary: ImportSummary) -> None:
            task_id = tasks[id(source)]
            task = bar.tasks[task_id]
            done, total = source.progress()
            elapsed = task.elapsed or 0
            rate = int(summary.read / elapsed) if elapsed > 0 else 0
            bar.update(task_id, completed=done, total=total, papers=summary.read, rate=rate)

        yield update


@contextmanager
def embed_progress(total: int, enabled: bool = True) -> Iterator[Callable[[EmbedSummary], None] | None]:
    """A bar over the papers waiting for a vector, with the live papers/s figure."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal or total == 0:
        yield None
        return
    columns = (
        TextColumn("embedding"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} papers/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as bar:
        task_id = bar.add_task("embed", total=total, rate=0.0)

        def update(summary: EmbedSummary) -> None:
            bar.update(task_id, completed=summary.embedded, rate=summary.per_second)

        yield update


@contextmanager
def copy_progress(enabled: bool = True) -> Iterator[Callable[[CopySummary], None] | None]:
    """A bar over the source's papers as batches are copied (or found copied already)."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("copying"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console
    ) as bar:
        task_id = bar.add_task("copy", total=None)

        def update(summary: CopySummary) -> None:
            bar.update(task_id, total=summary.papers, completed=summary.done)

        yield update
