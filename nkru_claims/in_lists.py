"""Long ``IN (…)`` lists, sent a batch at a time.

SQLite builds before 3.32 allow at most 999 bound parameters a statement, and a
million-claim report must not build one statement with a million of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

IN_LIST_SIZE = 500

T = TypeVar("T")


def in_batches(values: Sequence[T], size: int = IN_LIST_SIZE) -> Iterator[list[T]]:
    """``values`` in consecutive lists of at most ``size``."""
    for start in range(0, len(values), size):
        yield list(values[start : start + size])
