"""paperradar: a self-hosted way to keep up with AI research."""

__version__ = "0.1.0"
