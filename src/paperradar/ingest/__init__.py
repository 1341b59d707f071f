"""Ingest: turn source records into stored papers, one record per paper however many sources name it."""

from paperradar.ingest.importer import ImportSummary, import_records

__all__ = ["ImportSummary", "import_records"]
