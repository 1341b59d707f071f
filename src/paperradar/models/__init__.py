"""The domain's records: papers, citation counts and their identity rules. Imports nothing of ours."""

from paperradar.models.citation import EDGE_SOURCES, CitedWork, Edge, cited_work
from paperradar.models.identity import (
    fingerprint,
    normalise_arxiv_id,
    normalise_doi,
    public_id_for,
)
from paperradar.models.paper import CitationCount, Paper
from paperradar.models.subscriber import Delivery, Subscriber

__all__ = [
    "EDGE_SOURCES",
    "CitationCount",
    "CitedWork",
    "Delivery",
    "Edge",
    "Paper",
    "Subscriber",
    "cited_work",
    "fingerprint",
    "normalise_arxiv_id",
    "normalise_doi",
    "public_id_for",
]

from paperradar.models.query import Filters, KeywordQuery, SearchMode

__all__ += ["Filters", "KeywordQuery", "SearchMode"]
