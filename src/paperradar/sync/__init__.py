"""Syncing live sources into the store: harvests that resume, signals, and citation snapshots."""

from paperradar.sync.config import LiveConfig
from paperradar.sync.summary import SyncSummary

__all__ = ["LiveConfig", "SyncSummary"]
