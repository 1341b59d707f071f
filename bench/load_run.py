"""The operational load run: 10 clients over mixed pages, searches and logins for 60 s against
`paperradar serve --workers 2` (SQLite, the demo corpus, MiniLM), while `paperradar import` of
../shared/data/arxiv-daily-cs and `paperradar digest send` to a few hundred subscribers run beside it.

Reported per request kind: count, non-2xx answers, p50 and p99, first in a baseline phase of the same
clients with nothing writing beside them (same run, same server), then in the loaded phase; the ratio
of the two p99s; and the digest's mails per subscriber (each must get exactly one). Each client logs
in about every 6 s with one of its own accounts and presents its own address through the trusted proxy
header, as browsers behind a reverse proxy do, so the per-address login limits apply per client.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/load_run.py [--clients 10] [--seconds 60] [--baseline 20]
        [--subscribers 300] [--records 40000]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import SOURCES
from paperradar.service import Library
from paperradar.settings import load_settings

PASSWORD = "correct horse battery"
QUERIES = ["diffusion models", "graph neural networks", "reinforcement learning from human feedback",
           "vision transformer", "large language model reasoning", "speech recognition", "federated learning",
           "contrastive learning", "retrieval augmented generation", "robot manipulation"]  # fmt: skip
LOGIN_EVERY = 6.0  # seconds between a client's logins: 100 a minute over 10 clients, a busy site's rate
ACCOUNTS_PER_CLIENT = 3  # so each (account, address) stays under 5 logins a minute


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailCounter:
    """aiosmtpd in a thread: counts the messages each recipient gets."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.received: Counter[str] = Counter()
        counter = self

        class Handler:
            async def handle_DATA(self, server, session, envelope) -> str:
                for rcpt in envelope.rcpt_tos:
                    counter.received[rcpt.lower()] += 1
                return "250 OK"

        self.port = _free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class Client(threading.Thread):
    def __init__(self, n: int, url: str, accounts: list[str], papers: list[str], until: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.n, self.url, self.accounts, self.papers, self.until = n, url, accounts, papers, until
        self.random = random.Random(seed)
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.failures: Counter[tuple[str, int | str]] = Counter()
        self.headers = {"X-Forwarded-For": f"10.0.{n // 250}.{n % 250 + 1}"}

    def _timed(self, kind: str, call) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = call()
        except httpx.HTTPError as exc:
            self.failures[(kind, type(exc).__name__)] += 1
            return None
        self.timings[kind].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            self.failures[(kind, response.status_code)] += 1
        return response

    def _login(self, logins: int) -> None:
        with httpx.Client(base_url=self.url, timeout=60, headers=self.headers) as fresh:
            form = fresh.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            email = self.accounts[logins % len(self.accounts)]
            data = {"email": email, "password": PASSWORD, "csrf_token": token}
            self._timed("login (POST)", lambda: fresh.post("/login", data=data))

    def run(self) -> None:
        pages = [
            ("home /", lambda c: c.get("/")),
            ("latest", lambda c: c.get("/latest")),
            ("best of", lambda c: c.get("/best")),
            ("trending", lambda c: c.get("/trending")),
            ("search page hybrid", lambda c: c.get("/search", params={"q": self.random.choice(QUERIES)})),
            (
                "api search lexical",
                lambda c: c.get("/api/search", params={"q": self.random.choice(QUERIES), "mode": "lexical"}),
            ),
            ("api search hybrid", lambda c: c.get("/api/search", params={"q": self.random.choice(QUERIES)})),
            ("paper page", lambda c: c.get(f"/papers/{self.random.choice(self.papers)}")),
        ]
        logins, last_login = 0, 0.0
        with httpx.Client(base_url=self.url, timeout=60, headers=self.headers) as client:
            while time.monotonic() < self.until:
                if time.monotonic() - last_login > LOGIN_EVERY:
                    self._login(logins)
                    logins, last_login = logins + 1, time.monotonic()
                    continue
                kind, call = self.random.choice(pages)
                self._timed(kind, lambda call=call: call(client))


def _phase(url: str, clients: int, seconds: float, accounts: list[list[str]], papers: list[str], seed: int):
    until = time.monotonic() + seconds
    running = [Client(n, url, accounts[n], papers, until, seed + n) for n in range(clients)]
    for client in running:
        client.start()
    for client in running:
        client.join()
    timings: dict[str, list[float]] = defaultdict(list)
    failures: Counter = Counter()
    for client in running:
        for kind, values in client.timings.items():
            timings[kind].extend(values)
        failures.update(client.failures)
    return timings, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline", type=float, default=20)
    parser.add_argument("--subscribers", type=int, default=300)
    parser.add_argument("--records", type=int, default=40_000, help="arxiv-daily-cs records the import writes")
    args = parser.parse_args()
    if not SOURCES["arxiv-daily-cs"].exists():
        sys.exit(f"{SOURCES['arxiv-daily-cs']} not found (the reference data lives in ../shared)")

    home = Path(tempfile.mkdtemp(prefix="paperradar-load-"))
    mail = MailCounter()
    env = {**os.environ, "PAPERRADAR_HOME": str(home), "PAPERRADAR_WEB_WORKERS": "2", "HF_HUB_OFFLINE": "1",
           "PAPERRADAR_SECRET_KEY": "k" * 32, "PAPERRADAR_TRUSTED_PROXIES": "127.0.0.1",
           "PAPERRADAR_SMTP_URL": f"smtp://127.0.0.1:{mail.port}", "PAPERRADAR_MAIL_FROM": "digest@example.org",
           "PAPERRADAR_DIGEST_BATCH": "50"}  # fmt: skip
    env.pop("PAPERRADAR_DATABASE_URL", None)
    cli = [sys.executable, "-m", "paperradar"]
    try:
        subprocess.run([*cli, "demo", "--json"], env=env, check=True, capture_output=True)
        library = Library.open(load_settings(home=home, secret_key="k" * 32))
        accounts = [[f"client{n}-{k}@example.org" for k in range(ACCOUNTS_PER_CLIENT)] for n in range(args.clients)]
        for email in (a for group in accounts for a in group):
            library.accounts.add(email, PASSWORD, admin=False)
        for n in range(args.subscribers):
            library.digests.add_subscriber(f"reader{n}@example.org", confirmed=True)
        papers = [hit.paper.id for hit in library.latest(limit=200).hits if hit.paper.id]
        newest = library.daily().period  # the demo corpus' newest listing day: its digest has papers
        digest_day = newest.end.isoformat() if newest else ""
        library.close()
        corpus = home / "import.jsonl"
        with gzip.open(SOURCES["arxiv-daily-cs"], "rt", encoding="utf-8") as source, corpus.open("w") as out:
            for _, line in zip(range(args.records), source, strict=False):
                out.write(line)

        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = (home / "server.log").open("w")
        server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                if httpx.get(url + "/api/search", params={"q": "warm up"}, timeout=60).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        try:
            print(f"baseline: {args.clients} clients for {args.baseline:g} s, nothing writing beside them")
            base, base_failures = _phase(url, args.clients, args.baseline, accounts, papers, seed=1)
            print(f"loaded: {args.clients} clients for {args.seconds:g} s while an import of {args.records:,} "
                  f"records and a digest to {args.subscribers} subscribers run")  # fmt: skip
            started = time.monotonic()
            importer, digest = (
                subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for command in ([*cli, "import", str(corpus), "--no-embed", "--json"],
                                [*cli, "digest", "send", "--date", digest_day, "--json"])
            )  # fmt: skip
            loaded, loaded_failures = _phase(url, args.clients, args.seconds, accounts, papers, seed=2)
            import_running_at_end = importer.poll() is None
            import_out = importer.communicate()
            digest_out = digest.communicate()
            import_seconds = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(30)
            log.close()

        print(f"\n{'kind':<22}{'n':>6}{'base p50':>10}{'base p99':>10}{'n':>7}{'p50':>9}{'p99':>9}{'p99 x':>7}")
        for kind in sorted(set(base) | set(loaded)):
            b, m = base.get(kind, []), loaded.get(kind, [])
            ratio = _percentile(m, 0.99) / _percentile(b, 0.99) if b and m else float("nan")
            print(f"{kind:<22}{len(b):>6}{statistics.median(b) if b else float('nan'):>10.1f}"
                  f"{_percentile(b, 0.99):>10.1f}{len(m):>7}{statistics.median(m) if m else float('nan'):>9.1f}"
                  f"{_percentile(m, 0.99):>9.1f}{ratio:>7.2f}")  # fmt: skip
        print(f"\nnon-2xx or failed requests: baseline {sum(base_failures.values())} {dict(base_failures)}; "
              f"loaded {sum(loaded_failures.values())} {dict(loaded_failures)}")  # fmt: skip
        logins = loaded.get("login (POST)", [])
        print(f"login p99 while writing: {_percentile(logins, 0.99):.0f} ms over {len(logins)} logins")
        still = "still running when the phase ended, " if import_running_at_end else ""
        print(
            f"import: exit {importer.returncode}, {still}{import_seconds:.0f} s in all; {import_out[0].strip()[:200]}"
        )
        print(f"digest: exit {digest.returncode}; {digest_out[0].strip()[:200]}")
        wanted = {f"reader{n}@example.org" for n in range(args.subscribers)}
        per = Counter(mail.received.get(address, 0) for address in wanted)
        print(f"mails per subscriber: {dict(sorted(per.items()))} (subscribers: {args.subscribers})")
    finally:
        mail.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
