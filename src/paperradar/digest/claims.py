"""Who is sending: a token per run, and whether the run behind a claim is still alive.

A claim older than the claim timeout belongs to a run that died (or hangs) anywhere; a claim of a run
on this machine whose process is gone is known dead at once, so a rerun after a crash (or a kill)
picks up its claims without waiting for the timeout.
"""

from __future__ import annotations

import os
import secrets
import socket


def worker_token() -> str:
    """`host:pid:random`: unique per run, and telling which process on which machine holds a claim."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def dead_here(workers: list[str]) -> list[str]:
    """The tokens of runs on this machine whose process no longer exists."""
    host = socket.gethostname()
    dead = []
    for token in workers:
        parts = token.rsplit(":", 2)
        if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
            continue
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
