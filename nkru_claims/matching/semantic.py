"""Candidate pairs by meaning: texts whose sentence vectors are close, within a block.

The lexical blocks (``blocking``) find rewordings within a language; a translation shares
no words with its original, so it is found here instead. Comparing every vector with
every other is quadratic, so texts are first blocked by facts any duplicate must share:
the figures it states (``figure_key``) and the parties it names. Within a block the
cosines come from one matrix product a chunk of rows at a time, so memory stays that of
a chunk whatever the block's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

CHUNK = 2_048


@dataclass(frozen=True)
class Candidate:
    """Two texts (by their index in the caller's list) and their cosine."""

    i: int
    j: int
    cosine: float


def close_pairs(
    vectors: object, blocks: Sequence[Hashable], owners: Sequence[int], *, floor: float
) -> list[Candidate]:
    """Pairs of texts in the same block, of different owners (claims), with a cosine of at
    least ``floor``; ``vectors`` is an (n, d) array of unit vectors."""
    import numpy as np

    matrix = np.asarray(vectors, dtype=np.float32)
    members: dict[Hashable, list[int]] = defaultdict(list)
    for index, block in enumerate(blocks):
        members[block].append(index)
    owner = np.asarray(owners)
    found: list[Candidate] = []
    for indices in members.values():
        if len(indices) < 2:
            continue
        ids = np.asarray(indices)
        block = matrix[ids]
        for start in range(0, len(ids), CHUNK):
            rows = block[start : start + CHUNK]
            cosines = rows @ block.T
            r, c = np.nonzero(cosines >= floor)
            keep = c > r + start  # each pair once, never a text with itself
            r, c = r[keep], c[keep]
            a, b = ids[r + start], ids[c]
            different = owner[a] != owner[b]
            for x, y, cos in zip(a[different], b[different], cosines[r, c][different],
                                 strict=True):
                found.append(Candidate(int(x), int(y), float(cos)))
    return found
