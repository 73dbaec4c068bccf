"""Worker processes for the long commands (import, dedupe), and Ctrl-C.

Workers ignore SIGINT: a Ctrl-C reaches the whole process group, and only the main
process should handle it, by stopping the pool, rolling the transaction back and
printing one line, not a traceback from every worker.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any


def cores() -> int:
    """The cores this process may run on (a container's limit, not the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Workers that inherit the parent's memory: Linux only (fork is unsafe on macOS)."""
    return sys.platform == "linux" and cores() > 1


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def pool(processes: int | None = None) -> Any:
    """A process pool on every core: forked on Linux, spawned elsewhere."""
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    return context.Pool(processes or cores(), initializer=_ignore_interrupts)
