"""Recommendations over paper embeddings: a user's taste as one vector, and the reasons for each pick."""

from paperradar.recommend.profile import centroid, closest, profile

__all__ = ["centroid", "closest", "profile"]
