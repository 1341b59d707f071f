"""Run tokens: unique per run, and a claim is declared dead at once only for a gone process in this very
process space, never on a host name alone (containers share names and pids)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from paperradar.digest.claims import dead_here, process_space, worker_token


def _finished_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_two_runs_of_one_process_get_different_tokens_naming_host_and_pid():
    first, second = worker_token(), worker_token()
    assert first != second
    host, pid, space, _run = first.split(":")
    assert (host, int(pid), space) == (socket.gethostname().replace(":", "_"), os.getpid(), process_space())


def test_a_gone_process_of_this_process_space_is_dead_and_a_same_named_host_elsewhere_is_not():
    gone = _finished_pid()
    host = socket.gethostname()
    here = f"{host}:{gone}:{process_space()}:0123456789abcdef"
    # Another container called the same, whose pid space holds its own process of that number.
    elsewhere = f"{host}:{gone}:0123456789ab:0123456789abcdef"
    old_style = f"{host}:{gone}:deadbeef"  # host:pid:random, as before: its process space is unknown
    alive = f"{host}:{os.getppid()}:{process_space()}:0123456789abcdef"
    assert dead_here([here, elsewhere, old_style, alive]) == [here]
