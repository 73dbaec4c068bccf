"""What dedupe is measured against: the truth, every pair, and an off-the-shelf linker.

- ``pair_scores``: recall and precision of proposed groups against the true groups,
  counted in pairs (a group of n claims holds n·(n−1)/2 pairs), because one wrong
  merge in a big group costs as much as it should and groups of two count fairly.
- ``exhaustive``: every pair of a sample scored with rapidfuzz's ``cdist`` (no blocking)
  and then judged by ``nkru_claims.matching.compare_features`` — what dedupe would find
  if it compared everything; the gap between the two is what blocking loses.
- ``record_linkage``: the ``recordlinkage`` package (optional, not a project
  dependency) with a sorted-neighbourhood index on match key + normalised text and a
  Jaro-Winkler comparison, as an independent point of reference for time and recall.

Everything reads the database the CLI wrote with the standard ``sqlite3`` module,
read-only, so the measurement does not go through the code being measured.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

Pair = tuple[str, str]


@dataclass
class ClaimRow:
    id: int
    ref: str
    text: str
    form: str | None
    key: str | None


@dataclass
class BaselineResult:
    name: str
    seconds: float
    compared: int  # candidate pairs scored
    pairs: set[Pair]  # duplicate pairs proposed (within groups, by ref)
    note: str = ""


def connect(db_path: str) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)


def load_claims(db_path: str) -> list[ClaimRow]:
    with connect(db_path) as conn:
        rows = conn.execute(
            "SELECT id, ref, text, match_form, match_key FROM claim ORDER BY id").fetchall()
    return [ClaimRow(*row) for row in rows]


def load_lexicon(db_path: str):  # noqa: ANN201
    from nkru_claims.matching.compare import PartyLexicon

    with connect(db_path) as conn:
        return PartyLexicon.from_aliases(conn.execute("SELECT alias, party_id FROM party_alias"))


def block_stats(db_path: str) -> tuple[int, str, int, int]:
    """(blocks, largest block's key, its size, Σ size²): what blocking leaves to compare."""
    with connect(db_path) as conn:
        sizes = conn.execute(
            "SELECT match_key, COUNT(*) FROM (SELECT match_key FROM claim UNION ALL "
            "SELECT match_key FROM claim_wording) GROUP BY match_key ORDER BY 2 DESC").fetchall()
    if not sizes:
        return 0, "", 0, 0
    return len(sizes), sizes[0][0], sizes[0][1], sum(n * n for _, n in sizes)


def group_pairs(groups: Iterable[Iterable[str]]) -> set[Pair]:
    """Every pair of refs inside each group, smaller ref first."""
    pairs: set[Pair] = set()
    for group in groups:
        pairs.update(combinations(sorted(group), 2))
    return pairs


def pairs_to_groups(pairs: Iterable[Pair]) -> list[set[str]]:
    """Connected components: how a linker's pairwise links become merge groups."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, set[str]] = defaultdict(set)
    for x in parent:
        groups[find(x)].add(x)
    return list(groups.values())


def pair_scores(found: set[Pair], truth: set[Pair]) -> tuple[float, float]:
    """(recall, precision); 1.0 when there is nothing to find or nothing was proposed."""
    hits = len(found & truth)
    recall = hits / len(truth) if truth else 1.0
    precision = hits / len(found) if found else 1.0
    return recall, precision


def restrict(pairs: set[Pair], refs: set[str]) -> set[Pair]:
    return {p for p in pairs if p[0] in refs and p[1] in refs}


def choose_sample(claims: list[ClaimRow], true_groups: list[set[str]], size: int,
                  seed: int = 0) -> list[ClaimRow]:
    """Half whole true groups, half uniformly random claims.

    Why not purely uniform: 2,000 claims drawn from 100,000 keep almost no duplicate
    pair (each pair survives with probability 0.04 %), so recall would be measured on a
    handful of pairs. Whole groups give the exhaustive method duplicates to find; the
    random half gives it the unrelated and near-miss claims that dedupe must not merge.
    """
    rng = random.Random(seed)
    by_ref = {c.ref: c for c in claims}
    chosen: dict[str, ClaimRow] = {}
    for group in rng.sample(true_groups, len(true_groups)):
        if len(chosen) + len(group) > size // 2:
            break
        chosen.update((ref, by_ref[ref]) for ref in group if ref in by_ref)
    for claim in rng.sample(claims, min(len(claims), size)):
        if len(chosen) >= size:
            break
        chosen.setdefault(claim.ref, claim)
    return sorted(chosen.values(), key=lambda c: c.id)


def exhaustive(sample: list[ClaimRow], lexicon, threshold: float) -> BaselineResult:  # noqa: ANN001
    """Every pair of ``sample``: cdist with the score cutoff, then the facts gate."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from nkru_claims.matching.compare import compare_features, features

    started = time.perf_counter()
    feats = [features(c.text, lexicon, form=c.form) for c in sample]
    matrix = process.cdist([f.scored for f in feats], [f.scored for f in feats],
                           scorer=fuzz.token_sort_ratio, score_cutoff=threshold, workers=-1)
    rows, cols = np.nonzero(np.triu(matrix, 1))
    pairs = set()
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if compare_features(feats[i], feats[j], threshold).duplicate:
            pairs.add(tuple(sorted((sample[i].ref, sample[j].ref))))
    seconds = time.perf_counter() - started
    n = len(sample)
    return BaselineResult("exhaustive all-pairs (cdist + compare_features)", seconds,
                          n * (n - 1) // 2, group_pairs(pairs_to_groups(pairs)),
                          f"{len(rows)} pairs above the cutoff judged")


def record_linkage(claims: list[ClaimRow], window: int = 9,
                   threshold: float = 0.9) -> BaselineResult | str:
    """recordlinkage: sorted neighbourhood on key|text, exact key, Jaro-Winkler text.

    Returns the reason as a string when the package is not installed.
    """
    try:
        import pandas as pd
        import recordlinkage
    except ImportError:
        return "recordlinkage not installed: pip install recordlinkage"
    started = time.perf_counter()
    frame = pd.DataFrame({
        "ref": [c.ref for c in claims],
        "key": [c.key or "" for c in claims],
        "form": [c.form or c.text for c in claims],
    })
    frame["sort"] = frame["key"] + "|" + frame["form"]
    indexer = recordlinkage.Index()
    indexer.sortedneighbourhood("sort", window=window)
    candidates = indexer.index(frame)
    compare = recordlinkage.Compare()
    compare.exact("key", "key", label="key")
    compare.string("form", "form", method="jarowinkler", threshold=threshold, label="text")
    scores = compare.compute(candidates, frame)
    linked = scores[(scores["key"] == 1) & (scores["text"] == 1)].index
    refs = frame["ref"].to_numpy()
    pairs = {tuple(sorted((refs[a], refs[b]))) for a, b in linked}
    seconds = time.perf_counter() - started
    return BaselineResult(f"recordlinkage SNM w={window} + Jaro-Winkler ≥ {threshold:g}",
                          seconds, len(candidates), group_pairs(pairs_to_groups(pairs)))
