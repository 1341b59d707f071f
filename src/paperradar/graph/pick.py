"""Which papers make a paper's neighbourhood graph: several rankings fused, each kind sure of some seats.

The kinds are the paper's direct links (what it cites, what cites it), co-citation (papers its
neighbours cite), bibliographic coupling (papers citing its neighbours) and embedding similarity. The
pick, in order:
1. Quotas: the kinds take turns, each placing its best paper not yet picked, until each has placed
   `quota` (or run out). So a paper with 300 citing papers still shows its prior works, and one whose
   similar papers all score alike still shows what it cites.
2. The rest of the `limit` seats go by reciprocal rank fusion over all the kinds (search/fusion.py,
   k = 10): a paper found by several kinds (cited by the paper *and* by its neighbours, say) ranks high.
A paper with no edges gets only similar papers; one with no vector only linked ones.
The picked papers come back in fused order, best first, each with the kinds that found it.
"""

from __future__ import annotations

from collections.abc import Mapping

from paperradar.search.fusion import Fused, reciprocal_rank_fusion
from paperradar.store.base import Ranking


def pick(rankings: Mapping[str, Ranking], limit: int, quota: int) -> list[Fused]:
    """Up to `limit` papers from the kinds' rankings (best first each), `quota` seats per kind first."""
    fused = {f.paper_id: f for f in reciprocal_rank_fusion(rankings)}
    chosen: set[str] = set()
    queues = {name: [pid for pid, _ in ranking] for name, ranking in rankings.items()}
    placed = dict.fromkeys(rankings, 0)
    while len(chosen) < limit and any(placed[k] < quota and queues[k] for k in queues):
        for name, queue in queues.items():
            if len(chosen) >= limit or placed[name] >= quota:
                continue
            while queue and queue[0] in chosen:
                queue.pop(0)
            if queue:
                chosen.add(queue.pop(0))
                placed[name] += 1
    for pid in fused:  # dicts keep the fused order
        if len(chosen) >= limit:
            break
        chosen.add(pid)
    return [f for pid, f in fused.items() if pid in chosen]
