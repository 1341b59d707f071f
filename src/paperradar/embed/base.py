"""The embedder protocol and the text a paper is embedded as."""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

import numpy as np

# Sentence ends: ., ! or ? followed by space and an upper-case letter, digit or opening quote/bracket.
# Abstracts rarely contain abbreviations before a capital ("et al. We" is the common miss, and harmless).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-Z0-9])")
_SPACES = re.compile(r"\s+")
MIN_SENTENCE_CHARS = 20


class Embedder(Protocol):
    """Turns texts into unit vectors; rows of `embed` follow the order of `texts`."""

    name: str  # stored beside every vector so a model change is noticed
    dimensions: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """A float32 array of shape (len(texts), dimensions) with L2-normalised rows."""
        ...


def paper_text(title: str, abstract: str | None) -> str:
    """The text a paper is embedded as: its title, then its abstract."""
    title = _SPACES.sub(" ", title or "").strip()
    abstract = _SPACES.sub(" ", abstract or "").strip()
    if not abstract:
        return title
    if not title:
        return abstract
    # A full stop keeps the title from running into the first sentence.
    joiner = " " if title[-1] in ".!?" else ". "
    return title + joiner + abstract


def sentences(text: str | None) -> list[str]:
    """An abstract split into sentences; fragments too short to mean much join the one before."""
    text = _SPACES.sub(" ", text or "").strip()
    if not text:
        return []
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        if (out and len(piece) < MIN_SENTENCE_CHARS) or (out and len(out[-1]) < MIN_SENTENCE_CHARS):
            out[-1] = out[-1] + " " + piece
        else:
            out.append(piece)
    return out


def text_hash(text: str) -> str:
    """A short, stable key for a text, so vectors are recomputed only when the text changes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
