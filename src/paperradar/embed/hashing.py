"""HashingEmbedder: a deterministic bag-of-words embedder for tests and machines without torch."""

from __future__ import annotations

import hashlib
import itertools
import math
import re

import numpy as np

from paperradar.embed.base import normalise_rows

_WORD = re.compile(r"[0-9a-z]+")


def _bucket(feature: str, dimensions: int) -> tuple[int, float]:
    """The dimension a feature lands in and its sign (signed hashing keeps collisions unbiased)."""
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dimensions, 1.0 if (value >> 63) & 1 else -1.0


class HashingEmbedder:
    """Word unigrams and bigrams hashed into `dimensions` slots, log-scaled counts, unit length.

    Texts sharing words get a positive cosine; texts sharing none are near orthogonal. The same
    text always gives the same vector, on any machine (blake2b, not Python's salted hash).
    """

    def __init__(self, dimensions: int = 384, bigrams: bool = True) -> None:
        if dimensions < 1:
            raise ValueError("dimensions must be positive")
        self.dimensions = dimensions
        self.bigrams = bigrams
        self.name = f"hashing-{dimensions}{'-bigrams' if bigrams else ''}"

    def features(self, text: str) -> dict[str, int]:
        """The text's unigram and bigram counts."""
        words = _WORD.findall(text.lower())
        counts: dict[str, int] = {}
        for word in words:
            counts[word] = counts.get(word, 0) + 1
        if self.bigrams:
            for left, right in itertools.pairwise(words):
                key = f"{left} {right}"
                counts[key] = counts.get(key, 0) + 1
        return counts

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for texts, float32; a text without words gets a zero row."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature, count in self.features(text).items():
                slot, sign = _bucket(feature, self.dimensions)
                out[row, slot] += sign * (1.0 + math.log(count))
        return normalise_rows(out)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]
