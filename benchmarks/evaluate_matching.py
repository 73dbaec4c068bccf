"""Precision, recall and F1 of the duplicate matcher on the labelled pairs in tests/data.

    python benchmarks/evaluate_matching.py [--threshold 85] [--show-mistakes]

Positive kinds report recall (how many true duplicates are found), negative kinds
report how many different claims were wrongly called duplicates.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from nkru_claims.matching.compare import DEFAULT_THRESHOLD
from nkru_claims.matching.evaluate import evaluate, lexicon_from_document, load_pairs

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "data" / "match_pairs.jsonl"
SEED = ROOT / "fixtures" / "seed.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--show-mistakes", action="store_true")
    args = parser.parse_args()
    pairs = load_pairs(PAIRS)
    lexicon = lexicon_from_document(json.loads(SEED.read_text(encoding="utf-8")))
    overall, by_kind = evaluate(pairs, lexicon, args.threshold)
    positives = sum(p["duplicate"] for p in pairs)
    print(f"{len(pairs)} labelled pairs ({positives} duplicates, {len(pairs) - positives} "
          f"different), threshold {args.threshold:g}")
    print(f"\n{'kind':<15}{'pairs':>6}  {'result':<28}")
    for kind, tally in sorted(by_kind.items(), key=lambda kv: (kv[1].false_positive
                                                               + kv[1].true_negative > 0, kv[0])):
        if tally.true_positive + tally.false_negative:
            result = f"recall {tally.recall:.3f}"
        else:
            result = f"wrongly merged {tally.false_positive}/{tally.pairs}"
        print(f"{kind:<15}{tally.pairs:>6}  {result:<28}")
    print(f"\nprecision {overall.precision:.3f}   recall {overall.recall:.3f}   "
          f"F1 {overall.f1:.3f}")
    if args.show_mistakes:
        by_id = {p["id"]: p for p in pairs}
        for pair_id in overall.mistakes:
            pair = by_id[pair_id]
            print(f"\n{pair_id} [{pair['kind']}] expected {pair['duplicate']}\n  a: {pair['a']}"
                  f"\n  b: {pair['b']}")


if __name__ == "__main__":
    main()
