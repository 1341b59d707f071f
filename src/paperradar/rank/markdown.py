"""Best-of lists as a Markdown page: title, then rank, title, citations and abstract per paper."""

from __future__ import annotations

from paperradar.models import Paper


def format_count(count: int) -> str:
    """14774 -> '14 774', grouped as the reference pages print it."""
    return f"{count:,}".replace(",", " ")


def citation_line(paper: Paper) -> str:
    cites = paper.citations
    if cites is None:
        return "citations unknown"
    line = f"{format_count(cites.count)} citations"
    provenance = ", ".join(part for part in (cites.source, cites.as_of.isoformat() if cites.as_of else None) if part)
    return f"{line} ({provenance})" if provenance else line


def _escape(text: str) -> str:
    """Keep a title's own characters from turning into Markdown markup or HTML."""
    return text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;").replace("*", "\\*").replace("_", "\\_")


def best_of_markdown(title: str, papers: list[Paper], first_rank: int = 1) -> str:
    lines = [f"# {title}", ""]
    for rank, paper in enumerate(papers, start=first_rank):
        lines += [f"## {rank}. {_escape(paper.title)}", "", citation_line(paper), ""]
        if paper.abstract:
            lines += [_escape(paper.abstract), ""]
    return "\n".join(lines)
