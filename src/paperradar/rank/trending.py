"""Trending: a documented score over time-decayed signals (docs/trending.md), with its reasons.

Pure arithmetic over what the store returns: no SQL, no clock (the caller says which day is "now").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from paperradar.errors import InputError
from paperradar.models import CitationCount
from paperradar.models.signal import Signal

WINDOW_DAYS = {"day": 1, "week": 7, "month": 30}
# Citation counts are read every few days and move slowly: their gain is taken over the 30 days that end
# with the window, whatever its length, so a day's or a week's list still sees a paper's citation pace.
CITATION_DAYS = 30
UPVOTES, STARS = "hf_upvotes", "github_stars"


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal counts, and how fast it fades (settings `trending_*`)."""

    upvotes: float = 1.0
    stars: float = 0.5
    citations: float = 1.0
    recency: float = 1.0
    half_life_days: float = 3.0
    votes: float = 1.0
    saves: float = 0.5


@dataclass(frozen=True, slots=True)
class Window:
    """The days (start, end] a trending list looks at, ending on `end` (the list's "today")."""

    name: str
    end: date

    @classmethod
    def of(cls, name: str, end: date) -> Window:
        if name not in WINDOW_DAYS:
            raise InputError(f"window: must be day, week or month, got {name[:20]!r}")
        if not 1000 <= end.year <= 3000:  # keeps date arithmetic far from year 1 and 9999
            raise InputError(f"day: must be between the years 1000 and 3000, got {end.isoformat()}")
        return cls(name, end)

    @property
    def start(self) -> date:
        """The first day inside the window."""
        return self.end - timedelta(days=WINDOW_DAYS[self.name] - 1)

    @property
    def phrase(self) -> str:
        return {"day": "today", "week": "this week", "month": "this month"}[self.name]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the store knows about one paper up to the window's end."""

    paper_id: str
    listed: date | None = None
    signals: list[Signal] = field(default_factory=list)
    snapshots: list[CitationCount] = field(default_factory=list)
    engagement: list[tuple[str, date]] = field(default_factory=list)  # ("vote" | "save", day) on this site


@dataclass(frozen=True, slots=True)
class Trend:
    paper_id: str
    score: float
    reasons: tuple[str, ...]
    parts: dict[str, float]


def _decay(age_days: int, half_life: float) -> float:
    return 0.5 ** (max(age_days, 0) / half_life) if half_life > 0 else 1.0


def _latest(signals: list[Signal], kind: str, window: Window) -> Signal | None:
    inside = [s for s in signals if s.kind == kind and window.start <= s.as_of <= window.end]
    return max(inside, key=lambda s: (s.as_of, s.value), default=None)


def citation_gain(snapshots: list[CitationCount], window: Window) -> tuple[int, str | None]:
    """Citations gained in the `CITATION_DAYS` that end with the window, per source: the newest count
    read in them minus the newest read before them (or, without one, the oldest read in them). The
    source with the largest gain wins; counts of different sources are never subtracted."""
    best: tuple[int, str | None] = (0, None)
    start = window.end - timedelta(days=CITATION_DAYS - 1)
    for source in sorted({s.source for s in snapshots}, key=lambda name: name or ""):
        dated = sorted((s for s in snapshots if s.source == source and s.as_of), key=lambda s: s.as_of or date.min)
        inside = [s for s in dated if s.as_of and start <= s.as_of <= window.end]
        before = [s for s in dated if s.as_of and s.as_of < start]
        if not inside:
            continue
        baseline = before[-1] if before else inside[0]
        gain = inside[-1].count - baseline.count
        if gain > best[0]:
            best = (gain, source)
    return best


def trend(evidence: Evidence, window: Window, weights: Weights) -> Trend:
    """score = w_up·log1p(upvotes)·decay + w_stars·log1p(stars)·decay + w_cites·log1p(citation gain)
    + w_votes·log1p(Σ decay(vote)) + w_saves·log1p(Σ decay(save)) + w_recency·decay(days since listed);
    decay = 0.5^(age/half-life), age counted to the window's end; the citation gain is over the 30 days
    that end with the window (`citation_gain`)."""
    if not (evidence.signals or evidence.snapshots or evidence.engagement):
        return _listed_only(evidence, window, weights)  # most papers of a period: skip the signal arithmetic
    parts: dict[str, float] = {}
    reasons: list[str] = []
    half = weights.half_life_days
    upvotes = _latest(evidence.signals, UPVOTES, window)
    if upvotes and upvotes.value > 0:
        parts["upvotes"] = weights.upvotes * math.log1p(upvotes.value) * _decay((window.end - upvotes.as_of).days, half)
        reasons.append(f"{upvotes.value:,} Hugging Face upvotes")
    stars = _latest(evidence.signals, STARS, window)
    if stars and stars.value > 0:
        parts["stars"] = weights.stars * math.log1p(stars.value) * _decay((window.end - stars.as_of).days, half)
        reasons.append(f"{stars.value:,} GitHub stars")
    for kind, weight, noun in (("vote", weights.votes, "vote"), ("save", weights.saves, "save")):
        days = [day for k, day in evidence.engagement if k == kind and window.start <= day <= window.end]
        if days and weight > 0:
            # Each vote or save decays on its own: ten votes today outweigh ten last week.
            parts[f"{kind}s"] = weight * math.log1p(sum(_decay((window.end - d).days, half) for d in days))
            reasons.append(f"{len(days):,} {noun}{'s' if len(days) > 1 else ''} here {window.phrase}")
    gain, source = citation_gain(evidence.snapshots, window)
    if gain > 0:
        parts["citations"] = weights.citations * math.log1p(gain)
        reasons.append(f"+{gain:,} citations in {CITATION_DAYS} days" + (f" ({source})" if source else ""))
    if evidence.listed and evidence.listed <= window.end:
        age = (window.end - evidence.listed).days
        parts["recency"] = weights.recency * _decay(age, half)
        reasons.append("listed today" if age == 0 else f"listed {age} day{'s' if age > 1 else ''} ago")
    return Trend(evidence.paper_id, sum(parts.values()), tuple(reasons), parts)


def _listed_only(evidence: Evidence, window: Window, weights: Weights) -> Trend:
    """`trend` of a paper with no signals: its recency term alone (the same figures, sooner)."""
    if not (evidence.listed and evidence.listed <= window.end):
        return Trend(evidence.paper_id, 0.0, (), {})
    age = (window.end - evidence.listed).days
    recency = weights.recency * _decay(age, weights.half_life_days)
    reason = "listed today" if age == 0 else f"listed {age} day{'s' if age > 1 else ''} ago"
    return Trend(evidence.paper_id, recency, (reason,), {"recency": recency})


def rank(evidence: list[Evidence], window: Window, weights: Weights) -> list[Trend]:
    """Trends best first; ties go to the newer listing, then the paper id (a stable order)."""
    trends = [trend(e, window, weights) for e in evidence]
    listed = {e.paper_id: e.listed or date.min for e in evidence}
    return sorted(trends, key=lambda t: (-t.score, -listed[t.paper_id].toordinal(), t.paper_id))
