"""Live sources: clients for arXiv (OAI-PMH and search API), Hugging Face, OpenAlex and Semantic Scholar."""

from paperradar.sources.live.arxiv_api import ArxivApi, ArxivSearch, ResultPage
from paperradar.sources.live.arxiv_oai import ArxivOai, Page, ResumptionTokenExpired
from paperradar.sources.live.cache import CachedBody, MemoryCache, ResponseCache
from paperradar.sources.live.hf_daily import DailyPapers, HfDaily
from paperradar.sources.live.http import Fetched, HttpError, PoliteClient
from paperradar.sources.live.openalex import OpenAlex
from paperradar.sources.live.semantic_scholar import SemanticScholar
from paperradar.sources.live.signals import Citations, Signal

__all__ = [
    "ArxivApi",
    "ArxivOai",
    "ArxivSearch",
    "CachedBody",
    "Citations",
    "DailyPapers",
    "Fetched",
    "HfDaily",
    "HttpError",
    "MemoryCache",
    "OpenAlex",
    "Page",
    "PoliteClient",
    "ResponseCache",
    "ResultPage",
    "ResumptionTokenExpired",
    "SemanticScholar",
    "Signal",
]
