"""Tune and measure the pair matcher on labelled pairs, dev and test kept apart.

    python benchmarks/tune_matcher.py --split dev --grid          # choose thresholds (dev)
    python benchmarks/tune_matcher.py --split test                # report (test, untouched)
    python benchmarks/tune_matcher.py --file ../shared/benchmarks/mrpc_test.json

Vectors are cached under ~/.cache/nkru-claims/ keyed by text, so a second run costs only
the fact reading. Figures are split into same-language and cross-language pairs, as the
targets are stated that way.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OWN = [ROOT / "tests/data/pairs_seed.json", ROOT / "tests/data/pairs_reporting.json"]
CACHE = Path.home() / ".cache" / "nkru-claims" / "vectors.npz"


def load(files: list[Path], split: str | None) -> list[dict]:
    from nkru_claims.matching.evaluate import load_labelled

    rows = []
    for path in files:
        rows += [r for r in load_labelled(path) if split is None or r.get("split", split) == split]
    return rows


def cosines(pairs: list[tuple[str, str]]) -> list[float]:
    from nkru_claims.matching.embeddings import encode

    cache: dict[str, np.ndarray] = {}
    if CACHE.exists():
        data = np.load(CACHE)
        cache = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    key = lambda t: hashlib.sha256(t.encode()).hexdigest()[:20]  # noqa: E731
    todo = sorted({t for p in pairs for t in p if key(t) not in cache})
    if todo:
        for t, v in zip(todo, encode(todo), strict=True):
            cache[key(t)] = v
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(CACHE, keys=np.array(list(cache)), vectors=np.stack(list(cache.values())))
    return [float(cache[key(a)] @ cache[key(b)]) for a, b in pairs]


def features_of(rows: list[dict]) -> list[dict]:
    from nkru_claims.matching.scoring import pair_evidence

    cos = cosines([(r["a"], r["b"]) for r in rows])
    return [pair_evidence(r["a"], r["b"]) | {"cosine": c} for r, c in zip(rows, cos, strict=True)]


def decide(ev: dict, thresholds) -> bool:  # noqa: ANN001
    from nkru_claims.matching.scoring import SAME, band_for, semantic_score

    semantic = semantic_score(ev["cosine"], thresholds)
    return band_for(ev["lexical"], semantic, ev["conflicts"], ev["gaps"], thresholds,
                    same_language=ev["same_language"])[0] == SAME


def tally(rows: list[dict], guesses: list[bool], key=lambda r: "all") -> dict:  # noqa: ANN001
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r, g in zip(rows, guesses, strict=True):
        for k in {"all", key(r)}:
            t = out[k]
            t[0 if r["duplicate"] and g else 1 if g else 2 if r["duplicate"] else 3] += 1
    res = {}
    for k, (tp, fp, fn, tn) in out.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        res[k] = (tp + fp + fn + tn, p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return res


def crossing(r: dict) -> str:
    la, lb = r.get("lang_a"), r.get("lang_b")
    if la is None:
        return "-"
    same = la == lb or {la, lb} == {"zh-Hans", "zh-Hant"}
    return "same-language" if same else "cross-language"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev")
    parser.add_argument("--file", type=Path, action="append")
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--precision", type=float, default=0.97,
                        help="with --grid: the precision a setting must reach")
    parser.add_argument("--show-mistakes", type=int, default=0)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    rows = load(args.file or OWN, None if args.file else args.split)
    t = time.time()
    evidence = features_of(rows)
    print(f"{len(rows)} pairs, evidence in {time.time() - t:.1f} s", file=sys.stderr)
    from nkru_claims.matching.scoring import DEFAULT_THRESHOLDS as T

    if args.grid:
        from dataclasses import replace

        best = []
        for same, gaps, floor, ceiling, lex in itertools.product(
                [50, 60, 70, 80, 90], [101], [0.3, 0.4, 0.5, 0.6], [0.7, 0.8, 0.9, 1.0],
                [65, 70, 75, 80, 85]):
            if ceiling <= floor or gaps < same:
                continue
            t = replace(T, same=same, same_despite_gaps=gaps, cosine_floor=floor,
                        cosine_ceiling=ceiling, same_lexical=lex)
            res = tally(rows, [decide(e, t) for e in evidence])["all"]
            best.append((res[3], res[1], res[2], same, lex, floor, ceiling))
        # precision first: a wrong merge is worse than a missed one
        ranked = sorted(best, key=lambda b: (b[1] >= args.precision, b[2] if b[1] >= args.precision
                                             else b[1]), reverse=True)
        for f1, p, r, same, lex, floor, ceiling in ranked[: args.top]:
            print(f"same={same} same_lexical={lex} floor={floor} ceiling={ceiling}: "
                  f"P {p:.3f} R {r:.3f} F1 {f1:.3f}")
        return
    guesses = [decide(e, T) for e in evidence]
    for label, key in (("kind", lambda r: str(r.get("kind"))), ("languages", crossing)):
        res = tally(rows, guesses, key)
        print(f"\nby {label}")
        for k, (n, p, r, f1) in sorted(res.items(), key=lambda kv: kv[0] != "all"):
            print(f"  {k:<44} {n:>5}  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
    shown = 0
    for r, e, g in zip(rows, evidence, guesses, strict=True):
        if g != r["duplicate"] and shown < args.show_mistakes:
            shown += 1
            print(f"\n[{r.get('kind')}] want {r['duplicate']} cos {e['cosine']:.2f} lex "
                  f"{e['lexical']:.0f}\n  a: {r['a']}\n  b: {r['b']}\n  conflicts {e['conflicts']}"
                  f"\n  gaps {e['gaps']}")


if __name__ == "__main__":
    main()
