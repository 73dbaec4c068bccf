"""How well the figure reader reads tests/data/figures.jsonl, split into dev and test.

    python benchmarks/evaluate_figures.py [--split dev|test|all] [--show-mistakes]

A row is right when the reader finds exactly its figures (bounds, unit, approximate)
in order. A *wrong figure* is one the reader recorded that the row does not state: the
outcome that matters most, since a figure recorded wrong is worse than none. The split
is fixed by a hash of each row's id, so it never moves with the reader.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TABLE = DATA / "figures.jsonl"  # split by id into dev and test
DEV_ONLY = DATA / "figures_dev2.jsonl"  # a second, independent table: development only


def split_of(row_id: str) -> str:
    return "dev" if hashlib.sha256(row_id.encode()).digest()[0] % 2 == 0 else "test"


def load(split: str = "all") -> list[dict]:
    """``dev`` and ``test`` split the first table; ``dev2`` is the second table, all dev."""
    if split == "dev2":
        return [json.loads(line) for line in DEV_ONLY.read_text(encoding="utf-8").splitlines()
                if line]
    rows = [json.loads(line) for line in TABLE.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if split == "all" or split_of(r["id"]) == split]


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9)


def figure_key(f: dict) -> tuple:
    return (f["low"], f["high"], f["unit"], bool(f["approximate"]))


def agree(got: dict, want: dict) -> bool:
    return (
        _same(got["low"], want["low"])
        and _same(got["high"], want["high"])
        and got["unit"] == want["unit"]
        and bool(got["approximate"]) == bool(want["approximate"])
    )


def score(rows: list[dict]) -> dict:
    from nkru_claims.matching.figures import read_figures

    right, wrong_figures, missed, stated, recorded, mistakes = 0, 0, 0, 0, 0, []
    for row in rows:
        got = [
            {"low": q.low, "high": q.high, "unit": q.unit, "approximate": q.approximate}
            for q in read_figures(row["text"]).figures
        ]
        want = row["figures"]
        unmatched = list(want)
        wrong = 0
        for g in got:
            hit = next((w for w in unmatched if agree(g, w)), None)
            if hit is None:
                wrong += 1
            else:
                unmatched.remove(hit)
        stated += len(want)
        recorded += len(got)
        wrong_figures += wrong
        missed += len(unmatched)
        if wrong == 0 and not unmatched:
            right += 1
        else:
            mistakes.append((row, got))
    return {
        "rows": len(rows),
        "rows right": right,
        "row accuracy": right / max(1, len(rows)),
        "figures stated": stated,
        "figures recorded": recorded,
        "wrong figures recorded": wrong_figures,
        "figures missed": missed,
        "precision": (recorded - wrong_figures) / max(1, recorded),
        "recall": (stated - missed) / max(1, stated),
        "mistakes": mistakes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=["dev", "dev2", "test", "all"])
    parser.add_argument("--show-mistakes", action="store_true")
    args = parser.parse_args()
    result = score(load(args.split))
    for key, value in result.items():
        if key != "mistakes":
            print(f"{key:24} {value:.3f}" if isinstance(value, float) else f"{key:24} {value}")
    if args.show_mistakes:
        for row, got in result["mistakes"]:
            print(
                f"\n{row['id']} {row['text']}\n  want {[figure_key(f) for f in row['figures']]}"
                f"\n  got  {[figure_key(f) for f in got]}\n  note {row.get('note', '')}"
            )


if __name__ == "__main__":
    main()
