"""What the embedding model's load costs a `paperradar search` typed in a shell (issue 14).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/cli_model_load.py [--runs 5] [--home DIR]

Each run is a fresh process, as a user's command is. The baseline in the same run is the same search
with `--mode lexical`, which never loads the model; the difference is the load plus one query encoding.
Without --home, the bundled demo corpus is loaded and embedded with MiniLM into a temporary folder first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERY = "freeze the weights and train small low-rank matrices"


def timed(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "paperradar", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--home", type=Path, help="a PAPERRADAR_HOME whose database has MiniLM vectors")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="paperradar-bench-"))
    env = {**os.environ, "PAPERRADAR_HOME": str(home), "PAPERRADAR_EMBEDDER": "minilm", "HF_HUB_OFFLINE": "1"}
    env.pop("PAPERRADAR_DATABASE_URL", None)
    if args.home is None:
        print(f"loading and embedding the demo corpus into {home} ...", flush=True)
        timed(env, "demo")
    rows = {}
    for mode in ("lexical", "hybrid"):
        timed(env, "search", QUERY, "--mode", mode, "-n", "5")  # warm the page cache
        rows[mode] = [timed(env, "search", QUERY, "--mode", mode, "-n", "5") for _ in range(args.runs)]
    lexical, hybrid = statistics.median(rows["lexical"]), statistics.median(rows["hybrid"])
    print(f"paperradar search, median of {args.runs} fresh processes:")
    print(f"  --mode lexical (baseline, no model): {lexical:6.2f} s")
    print(f"  --mode hybrid (loads MiniLM):        {hybrid:6.2f} s  ({hybrid / lexical:.1f}x the baseline)")
    print(f"  the model's share of a hybrid search from the shell: {1 - lexical / hybrid:.0%}")


if __name__ == "__main__":
    main()
