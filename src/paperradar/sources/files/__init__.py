"""File sources: native JSONL and CSV, and the arXiv metadata snapshot; gzip is read transparently."""

from paperradar.sources.files.detect import FORMATS, open_source

__all__ = ["FORMATS", "open_source"]
