"""The query encoder, the floor of a hybrid search: MiniLM on one query, each way it was tried, same run.

The baseline is what a search runs (`MiniLMEmbedder._embed_query`: the transformer straight through
in fp32) on the main thread. Beside it: the same on the web server's worker threads (each query on
the next of 8 threads, as a thread pool hands requests out), with one torch thread, with OpenMP's
workers waiting passively (OMP_WAIT_POLICY=PASSIVE, a child process: it must be set before torch
starts), every query handed from those threads to one dedicated encoder thread, `embed([text])` (the
batch path, bf16 where the CPU has it), and torch's dynamic int8 quantisation (with its cosine to the
fp32 vectors). Queries: the 120 known-item queries, then openings of arXiv abstracts; every way
encodes every query, in blocks of 10 with the ways in a rotating order, so that drift in the
machine's load reaches every way alike. The passive-wait child measures the main thread and the
worker threads again, and its ratio is to its own baseline.

    HF_HUB_OFFLINE=1 nice -n 10 .venv/bin/python bench/query_embedding.py [--queries 200]
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import raw_records, read_queries
from paperradar.embed.base import normalise_rows
from paperradar.embed.minilm import MiniLMEmbedder
from search_speed import percentiles

POOL_THREADS = 8
BLOCK = 10
WORKERS = "fp32, server worker threads"
BASELINE = "baseline: fp32, main thread (what search runs)"


def query_texts(count: int) -> list[str]:
    texts = [q["query"] for corpus in ("seed", "arxiv-daily-cs") for q in read_queries(corpus)]
    for record in itertools.islice(raw_records("arxiv-daily-cs"), 5 * count):
        texts.append(" ".join(record["abstract"].split()[:14]))
    return list(dict.fromkeys(texts))[:count]


def int8_encoder(embedder: MiniLMEmbedder) -> Callable[[str], np.ndarray]:
    """The same pooling over a dynamically int8-quantised copy of the transformer."""
    import torch

    transformer = embedder.model[0]
    with warnings.catch_warnings():  # deprecated in favour of torchao, which is not installed: the same kernels
        warnings.simplefilter("ignore")
        quantised = torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(transformer.auto_model), {torch.nn.Linear}, dtype=torch.qint8
        )

    def encode(text: str) -> np.ndarray:
        with torch.inference_mode():
            features = transformer.tokenizer(
                [text], padding=True, truncation=True, max_length=transformer.max_seq_length, return_tensors="pt"
            )
            tokens = quantised(**features).last_hidden_state
            mask = features["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return normalise_rows(pooled.numpy())[0]

    return encode


ONE_THREAD = "fp32, main thread, 1 torch thread"
INT8 = "int8 dynamic quantisation, main thread"


def ways(embedder: MiniLMEmbedder, pool: list[ThreadPoolExecutor], encoder: ThreadPoolExecutor,
         names: list[str] | None) -> dict[str, Callable[[int, str], np.ndarray]]:  # fmt: skip
    """Each way as a function that encodes the n-th query and returns its vector."""
    fp32 = embedder._embed_query  # the search path without its query cache

    def handed_over(n: int, text: str) -> np.ndarray:
        return pool[n % POOL_THREADS].submit(lambda: encoder.submit(fp32, text).result()).result()

    found: dict[str, Callable[[int, str], np.ndarray]] = {
        BASELINE: lambda n, text: fp32(text),
        WORKERS: lambda n, text: pool[n % POOL_THREADS].submit(fp32, text).result(),
        ONE_THREAD: lambda n, text: fp32(text),  # measure() sets torch to one thread around this block
        "fp32, one dedicated encoder thread, called from the workers": handed_over,
        f"embed([text]): the batch path ({embedder.precision}), main thread": lambda n, text: embedder.embed([text])[0],
    }
    if names is None or INT8 in names:
        encode = int8_encoder(embedder)
        found[INT8] = lambda n, text: encode(text)
    return {name: way for name, way in found.items() if names is None or name in names}


def measure(names: list[str] | None, texts: list[str]) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """p50/p99 ms per way, and each way's mean cosine to the baseline's vectors."""
    import torch

    threads = torch.get_num_threads()
    embedder = MiniLMEmbedder()
    pool = [ThreadPoolExecutor(1) for _ in range(POOL_THREADS)]
    encoder = ThreadPoolExecutor(1)
    chosen = ways(embedder, pool, encoder, names)
    for way in chosen.values():  # warm each way (and every pool thread) before timing
        for n, text in enumerate(texts[:16]):
            way(n, text + " warm")
    truth = [embedder._embed_query(text) for text in texts]
    samples: dict[str, list[float]] = {name: [] for name in chosen}
    vectors: dict[str, list[np.ndarray]] = {name: [] for name in chosen}
    names_in_turn = list(chosen)
    for block, start in enumerate(range(0, len(texts), BLOCK)):
        # Blocks of queries per way, the ways in a rotating order: drift in the machine's load reaches
        # every way alike, and within a block a way keeps its own thread pattern (which is what it tests).
        turn = block % len(names_in_turn)
        for name in names_in_turn[turn:] + names_in_turn[:turn]:
            torch.set_num_threads(1 if name == ONE_THREAD else threads)
            for n in range(start, min(start + BLOCK, len(texts))):
                started = time.perf_counter()
                vectors[name].append(chosen[name](n, texts[n]))
                samples[name].append(time.perf_counter() - started)
            torch.set_num_threads(threads)
    cosine = {name: float(np.mean([float(np.dot(a, b)) for a, b in zip(vectors[name], truth, strict=True)]))
              for name in chosen}  # fmt: skip
    for executor in (*pool, encoder):
        executor.shutdown()
    return {name: percentiles(found) for name, found in samples.items()}, cosine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--only", action="append", help=argparse.SUPPRESS)  # a child's ways; prints JSON
    args = parser.parse_args()
    texts = query_texts(args.queries)
    if args.only:
        print(json.dumps(measure(args.only, texts)))
        return
    timings, cosine = measure(None, texts)
    child = subprocess.run(
        [sys.executable, __file__, "--queries", str(args.queries), "--only", BASELINE, "--only", WORKERS],
        env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    passive, passive_cosine = json.loads(child.stdout.splitlines()[-1])
    print(f"MiniLM query encoding, {len(texts)} distinct queries, {os.cpu_count()} cores")
    print(f"{'way':<66} {'p50 ms':>7} {'p99 ms':>7} {'x base':>7} {'cosine':>7}")
    for found, cosines, label in ((timings, cosine, ""), (passive, passive_cosine, ", OMP_WAIT_POLICY=PASSIVE")):
        base = found[BASELINE][0]
        for name, (p50, p99) in found.items():
            print(f"{name + label:<66} {p50:7.2f} {p99:7.2f} {p50 / base:7.2f} {cosines[name]:7.4f}")


if __name__ == "__main__":
    main()
