"""Scheduled work: the worker that runs the daily syncs."""
