"""Recommendations over paper embeddings: a user's taste as one vector, and the reasons for each pick."""

from paperradar.recommend.profile import NEGATIVE_WEIGHT, closest, profile

__all__ = ["NEGATIVE_WEIGHT", "closest", "profile"]
