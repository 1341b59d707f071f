"""Embedders: turn paper texts into unit vectors (the protocol, the real model, a test stand-in)."""

from paperradar.embed.base import Embedder, normalise_rows, paper_text, sentences, text_hash
from paperradar.embed.hashing import HashingEmbedder

__all__ = ["Embedder", "HashingEmbedder", "normalise_rows", "paper_text", "sentences", "text_hash"]


def load_embedder(name: str, precision: str = "auto") -> Embedder:
    """The embedder a setting names: "minilm" (the real model, default) or "hashing" (tests, no torch)."""
    if name == "minilm":
        from paperradar.embed.minilm import MiniLMEmbedder

        return MiniLMEmbedder(precision=precision)
    if name.startswith("hashing"):
        return HashingEmbedder()
    raise ValueError(f"unknown embedder {name!r}: use minilm or hashing")


def embedder_name(name: str) -> str:
    """The model name an embedder setting stores vectors under, without loading the model."""
    if name == "minilm":
        from paperradar.embed.minilm import MODEL_NAME

        return MODEL_NAME
    return load_embedder(name).name


__all__ += ["embedder_name", "load_embedder"]
