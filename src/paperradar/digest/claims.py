"""Who is sending: a token per run, and whether the run behind a claim is certainly dead.

A token reads `host:pid:space:run`. `run` is random, made when the run starts, so two runs never share a
token, whatever their host names and pids (containers often share both). `space` names the process space
the pid belongs to (this boot of this kernel, and the pid namespace inside it); host and pid are there
for the humans reading the deliveries table.

A claim older than the claim timeout belongs to a run that died (or hangs) anywhere. A claim made in this
very process space by a pid that no longer exists is known dead at once, so a rerun after a crash (or a
kill) picks up its claims without waiting. Only then: a host name says nothing (two containers may both
be `worker`, with their own pid 7 each), and where the process space cannot be read (no /proc) the run
waits for the timeout.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
from functools import cache
from pathlib import Path

_UNKNOWN = "-"


@cache
def process_space() -> str:
    """A short fingerprint of this boot and pid namespace; `-` where they cannot be read."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        namespace = os.readlink("/proc/self/ns/pid")  # e.g. "pid:[4026531836]": one per container
    except OSError:
        return _UNKNOWN
    return hashlib.sha256(f"{boot}/{namespace}".encode()).hexdigest()[:12]


def worker_token() -> str:
    """`host:pid:space:run`: unique per run, and telling which process on which machine holds a claim."""
    host = socket.gethostname().replace(":", "_")
    return f"{host}:{os.getpid()}:{process_space()}:{secrets.token_hex(8)}"


def dead_here(workers: list[str]) -> list[str]:
    """The tokens of runs in this process space whose process no longer exists."""
    space = process_space()
    if space == _UNKNOWN:
        return []
    dead = []
    for token in workers:
        parts = token.rsplit(":", 3)
        if len(parts) != 4 or parts[2] != space or not parts[1].isdigit():
            continue  # another machine or container, or an older token: only the timeout can tell
        if int(parts[1]) != os.getpid() and not _alive(int(parts[1])):
            dead.append(token)
    return dead


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 checks the process exists without touching it
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
