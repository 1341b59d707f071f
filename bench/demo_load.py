"""How long a first run takes: `paperradar demo` into an empty database, then `paperradar serve` to the first page.

    PYTHONPATH=src python bench/demo_load.py [--runs 3] [--embedder minilm]

Each run uses a fresh PAPERRADAR_HOME (a new SQLite database) and the real CLI, as `make run` does
after its install step. The baseline in the same run is `paperradar demo --seeds-only` (the 450
seed papers, which `make run` loaded before), embedded with the same embedder.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_run(env: dict[str, str], demo_args: list[str]) -> tuple[float, float]:
    """(seconds of `paperradar demo`, seconds from starting `serve` to the first page answering 200)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "paperradar", "demo", *demo_args], env=env, check=True, capture_output=True)
    loaded = time.perf_counter() - started
    port = free_port()
    serving = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "paperradar", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=30).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        return loaded, time.perf_counter() - serving
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--embedder", default="minilm")
    args = parser.parse_args()
    for label, demo_args in (("full demo", []), ("seeds only (baseline)", ["--seeds-only"])):
        loads, pages = [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as home:
                env = {**os.environ, "PAPERRADAR_HOME": home, "PAPERRADAR_EMBEDDER": args.embedder,
                       "HF_HUB_OFFLINE": "1"}  # fmt: skip
                env.pop("PAPERRADAR_DATABASE_URL", None)
                load, page = first_run(env, demo_args)
                loads.append(load)
                pages.append(page)
        runs = ", ".join(f"{x:.1f}" for x in loads)
        load, page = statistics.median(loads), statistics.median(pages)
        print(f"{label:24} demo load: median {load:5.1f} s (runs: {runs}); "
              f"serve to first page: median {page:4.1f} s; total {load + page:5.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
