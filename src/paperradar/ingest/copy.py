"""Copy a whole corpus between stores of any backends: papers with every field and identity key,
citation snapshots, signals and embeddings.

Resumable: each batch commits in one transaction with everything about its papers, and papers the
target has already are skipped, so an interrupted copy continues by simply running again. Papers
keep their first-seen order, so rankings that break ties by it agree on both sides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from paperradar.embed import paper_text, text_hash
from paperradar.ingest.embedding import loading
from paperradar.models import Paper, fingerprint
from paperradar.store.base import Store

BATCH_SIZE = 500


@dataclass(slots=True)
class CopySummary:
    """What a copy did: `copied` papers now written, `skipped` those the target had already."""

    papers: int = 0
    copied: int = 0
    skipped: int = 0
    snapshots: int = 0
    signals: int = 0
    embeddings: int = 0

    @property
    def done(self) -> int:
        return self.copied + self.skipped

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def copy_store(
    source: Store,
    target: Store,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[CopySummary], None] | None = None,
) -> CopySummary:
    """Copy every paper of `source` (with what belongs to it) that `target` lacks, in insertion order."""
    summary = CopySummary(papers=source.count())
    counts = source.embedding_models()
    models = list(counts)
    incoming = sum(counts.values())
    with loading(target, incoming, sum(target.embedding_models().values())):
        return _copy_all(source, target, batch_size, on_batch, models, summary)


def _copy_all(
    source: Store,
    target: Store,
    batch_size: int,
    on_batch: Callable[[CopySummary], None] | None,
    models: Sequence[str],
    summary: CopySummary,
) -> CopySummary:
    batch: list[Paper] = []
    for paper in source.iter_papers(batch_size):
        batch.append(paper)
        if len(batch) == batch_size:
            _copy_batch(source, target, batch, models, summary)
            batch = []
            if on_batch:
                on_batch(summary)
    if batch:
        _copy_batch(source, target, batch, models, summary)
        if on_batch:
            on_batch(summary)
    return summary


def _copy_batch(source: Store, target: Store, papers: list[Paper], models: Sequence[str], summary: CopySummary) -> None:
    present = {paper.id for paper in target.papers([p.id for p in papers if p.id])}
    todo = [p for p in papers if p.id not in present]
    summary.skipped += len(papers) - len(todo)
    if not todo:
        return
    ids = [p.id for p in todo if p.id]
    keys = source.identity_keys(ids)
    vectors = {model: source.embeddings(model, ids) for model in models}
    with target.transaction():
        target.insert_papers(todo)  # with the source's keys: merges made there stay made
        target.add_keys(
            [(p.id or "", f"title:{fingerprint(p.title)}", p.year) for p in todo]  # as an insert of the paper does
            + [(p.id or "", key, year) for p in todo for key, year in keys.get(p.id or "", [])]
        )
        for paper in todo:
            pid = paper.id or ""
            for snapshot in source.citation_snapshots(pid):
                summary.snapshots += target.add_citation_snapshot(pid, snapshot.count, snapshot.extra)
            for signal in source.signals(pid):
                summary.signals += target.add_signal(pid, signal)
        for model, found in vectors.items():
            # A stored vector always belongs to the paper's current text (a text change drops it),
            # so its text hash is the hash of that text.
            rows = [(p.id, text_hash(paper_text(p.title, p.abstract)), found[p.id]) for p in todo if p.id in found]
            summary.embeddings += target.put_embeddings(model, rows)  # type: ignore[arg-type]
    summary.copied += len(todo)
