"""The scale benchmark: the installed CLI on generated corpora, against the targets.

    python benchmarks/run.py [--sizes 10000,100000] [--workdir DIR] [--skip-baselines]
                             [--sample 2000] [--timeout 1800] [--no-number-share 0.1]

For each size: generate a corpus with known duplicate groups (``generate.py``), then time
the real ``nkru-claims`` executable, one cold process per command, as a user would run
it: ``import``, ``dedupe --json`` (a dry run; its groups are scored against the truth),
``list --contested --json``, ``report --json``, ``add … --force-new`` and ``--help``.
Peak memory is the larger of the child's own ``ru_maxrss`` (from ``os.wait4``) and the
peak of its whole process tree's summed PSS, sampled every second, so the worker
processes of ``import`` and ``dedupe`` count too (no psutil needed). Quick
commands run three times and report the median, so one slow start does not decide a ✓.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import baselines  # noqa: E402
from generate import write_corpus  # noqa: E402

K = 1000
# (metric, size it applies at, limit, unit): the targets, printed beside the figures.
TARGETS = [
    ("dedupe", 100 * K, 10, "s"), ("dedupe", 1000 * K, 120, "s"),
    ("peak memory", 1000 * K, 2048, "MB"), ("import", 100 * K, 10, "s"),
    ("list --contested", 1000 * K, 0.5, "s"), ("report", 1000 * K, 0.5, "s"),
    ("--help", None, 0.2, "s"), ("add", 100 * K, 0.5, "s"),
    ("recall vs exhaustive", None, 0.98, "≥"),
]
NEW_CLAIM = "2025年3月,朝鲜向俄罗斯提供了{n}枚弹道导弹(基准测试新增)"


@dataclass
class Run:
    """One finished (or killed) child process."""

    seconds: float
    peak_mb: float
    returncode: int
    timed_out: bool = False
    stderr: str = ""


def _tree(pid: int) -> list[int]:
    """The process and every descendant (the worker processes of import and dedupe)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    queue += [int(c) for c in children.read().split()]
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    """Proportional set size: a page shared by n processes counts 1/n in each, so the sum
    over a process tree is the memory it takes, forked workers' shared pages once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process tree once a second and keeps the peak.

    Not more often: reading smaps walks the page tables and stalls the process read.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))


@dataclass
class SizeResult:
    size: int
    figures: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    baselines: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)


def cli_path() -> str:
    """The installed console script next to this interpreter, else the one on PATH."""
    here = Path(sys.executable).with_name("nkru-claims")
    return str(here) if here.exists() else (shutil.which("nkru-claims") or "nkru-claims")


def run(args: list[str], *, stdout=subprocess.DEVNULL, timeout: float) -> Run:  # noqa: ANN001
    """Run one command; its wall time and peak memory (see the module docstring).

    A timer kills it after ``timeout`` seconds so one runaway step cannot hang the suite.
    """
    env = {**os.environ, "COLUMNS": "120", "NKRU_CLAIMS_USER": "benchmark"}
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=stdout, stderr=err, stdin=subprocess.DEVNULL,
                                env=env)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        memory = TreeMemory(proc.pid)
        memory.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        timer.cancel()
        memory.done.set()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        # The larger of the child's own peak and its process tree's sampled peak.
        peak_mb = max(usage.ru_maxrss, memory.peak_kb) / 1024
        return Run(seconds, peak_mb, proc.returncode, killed.is_set(), err.read()[-2000:])


def median_run(args: list[str], times: int, timeout: float) -> Run:
    """The median of ``times`` runs; one run only when it takes over 5 s (noise is small
    next to that, and a 100-second report need not run three times)."""
    runs = [run(args, timeout=timeout)]
    while len(runs) < times and runs[0].seconds < 5 and runs[-1].returncode == 0:
        runs.append(run(args, timeout=timeout))
    best = sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]
    return Run(statistics.median(r.seconds for r in runs), best.peak_mb, best.returncode,
               any(r.timed_out for r in runs), best.stderr)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def record(result: SizeResult, name: str, outcome: Run) -> bool:
    """Store a command's figures; False (and a note) when it failed or timed out."""
    result.figures[f"{name} s"] = outcome.seconds
    result.figures[f"{name} MB"] = outcome.peak_mb
    if outcome.timed_out:
        result.figures[f"{name} s"] = f"> {outcome.seconds:.0f} (killed)"
        result.notes.append(f"{name}: killed after {outcome.seconds:.0f} s (--timeout)")
        return False
    if outcome.returncode != 0:
        result.figures[f"{name} s"] = f"exit {outcome.returncode}"
        last = outcome.stderr.strip().splitlines()[-1:] or [""]
        result.notes.append(f"{name}: exit {outcome.returncode}: {last[0]}")
        return False
    return True


def dedupe_groups(path: Path, db: Path) -> list[set[str]]:
    """The groups ``dedupe --json`` proposed, as sets of claim refs."""
    with baselines.connect(str(db)) as conn:
        refs = dict(conn.execute("SELECT id, ref FROM claim"))
    data = json.loads(path.read_text(encoding="utf-8"))
    return [{refs[c["id"]] for c in group["claims"]} for group in data["groups"]]


def bench_size(size: int, args: argparse.Namespace, workdir: Path) -> SizeResult:
    result, cli, timeout = SizeResult(size), cli_path(), args.timeout
    corpus, db = workdir / f"corpus-{size}.json", workdir / f"claims-{size}.db"
    for stale in workdir.glob(f"claims-{size}.db*"):
        stale.unlink()
    log(f"{size}: generating")
    started = time.perf_counter()
    true_groups = write_corpus(corpus, size, args.seed, no_number_share=args.no_number_share)
    result.figures["generate s"] = time.perf_counter() - started
    truth = baselines.group_pairs(true_groups)
    result.figures["true groups"] = f"{len(true_groups)} ({len(truth)} pairs)"
    base = [cli, "--db", str(db)]

    log(f"{size}: import")
    if not record(result, "import", run([*base, "import", str(corpus)], timeout=timeout)):
        return result
    blocks, key, largest, work = baselines.block_stats(str(db))
    result.figures["blocks"] = (f"{blocks}; largest key {key!r}: {largest} texts; "
                                f"Σ size² = {work:,} (before the split by facts)")

    log(f"{size}: dedupe --json")
    groups_path = workdir / f"dedupe-{size}.json"
    with open(groups_path, "w", encoding="utf-8") as out:
        ok = record(result, "dedupe", run([*base, "dedupe", "--json"], stdout=out,
                                          timeout=timeout))
    found: set[baselines.Pair] = set()
    if ok:
        found = baselines.group_pairs(dedupe_groups(groups_path, db))
        recall, precision = baselines.pair_scores(found, truth)
        result.figures["recall vs true groups"] = recall
        result.figures["precision vs true groups"] = precision

    for name, extra in (("list --contested", ["list", "--contested", "--json"]),
                        ("report", ["report", "--json"])):
        log(f"{size}: {name}")
        record(result, name, median_run([*base, *extra], args.repeat, timeout))
    log(f"{size}: add")
    adds = [run([*base, "add", NEW_CLAIM.format(n=100 + i), "--asserted-by", "South Korea",
                 "--force-new", "--yes"], timeout=timeout) for i in range(args.repeat)]
    record(result, "add", sorted(adds, key=lambda r: r.seconds)[len(adds) // 2])
    log(f"{size}: --help")
    record(result, "--help", median_run([cli, "--help"], args.repeat, timeout))

    if ok:
        compare_baselines(result, args, db, true_groups, truth, found)
    return result


def compare_baselines(result: SizeResult, args: argparse.Namespace, db: Path,
                      true_groups: list[set[str]], truth: set[baselines.Pair],
                      found: set[baselines.Pair]) -> None:
    """Recall of dedupe against every-pair comparison on a sample, and the other linker."""
    from nkru_claims.matching.compare import DEFAULT_THRESHOLD

    log(f"{result.size}: exhaustive baseline on a sample of {args.sample}")
    claims = baselines.load_claims(str(db))
    claims = [c for c in claims if c.ref and c.ref.startswith("bench-")]
    sample = baselines.choose_sample(claims, true_groups, args.sample, args.seed)
    refs = {c.ref for c in sample}
    full = baselines.exhaustive(sample, baselines.load_lexicon(str(db)), DEFAULT_THRESHOLD)
    ours_in_sample = baselines.restrict(found, refs)
    truth_in_sample = baselines.restrict(truth, refs)
    blocking_recall = (len(full.pairs & ours_in_sample) / len(full.pairs)) if full.pairs else 1.0
    result.figures["recall vs exhaustive"] = blocking_recall
    result.figures["sample"] = (f"{len(sample)} claims, {len(truth_in_sample)} true pairs, "
                                f"{len(full.pairs)} exhaustive pairs")
    n, size = len(sample), result.size
    extrapolated = full.seconds * (size / n) ** 2 if n else 0.0
    rows = [("nkru dedupe (blocks on numbers)", f"{size}", _fmt(result.figures["dedupe s"], "s"),
             *_scores(found, truth), f"{blocking_recall:.3f}")]
    if not args.skip_baselines:
        r, p = baselines.pair_scores(full.pairs, truth_in_sample)
        rows.append((full.name, f"sample {n}", f"{full.seconds:.2f} (≈{extrapolated:,.0f} at "
                     f"{size // K}k)", f"{r:.3f}", f"{p:.3f}", "1 (itself)"))
        r, p = baselines.pair_scores(ours_in_sample, truth_in_sample)
        rows.append(("nkru dedupe, restricted to the sample", f"sample {n}", "–",
                     f"{r:.3f}", f"{p:.3f}", f"{blocking_recall:.3f}"))
        log(f"{result.size}: recordlinkage baseline")
        linked = baselines.record_linkage(claims)
        if isinstance(linked, str):
            result.notes.append(linked)
        else:
            rows.append((linked.name, f"{size}", f"{linked.seconds:.2f}",
                         *_scores(linked.pairs, truth),
                         f"{_share(full.pairs, baselines.restrict(linked.pairs, refs)):.3f}"))
            result.notes.append(f"recordlinkage compared {linked.compared:,} candidate pairs")
    result.baselines = rows


def _scores(found: set, truth: set) -> tuple[str, str]:
    recall, precision = baselines.pair_scores(found, truth)
    return f"{recall:.3f}", f"{precision:.3f}"


def _share(reference: set, found: set) -> float:
    return len(reference & found) / len(reference) if reference else 1.0


def _fmt(value: object, unit: str = "") -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if unit in ("", "≥") else f"{value:.2f}"
    return str(value)


def verdict(metric: str, value: object, size: int) -> str:
    """The target beside a figure: ✓/✗ at the size it is set for; at a smaller size a ✗
    only when the figure is already over (it cannot get better with more claims)."""
    for name, at, limit, unit in TARGETS:
        if name != metric:
            continue
        if not isinstance(value, float):
            return f"✗ (target {'≥' if unit == '≥' else '≤'} {limit:g}{unit.strip('≥')})"
        ok = value >= limit if unit == "≥" else value <= limit
        wanted = f"≥ {limit:g}" if unit == "≥" else f"≤ {limit:g} {unit}"
        if at is None or at == size:
            return f"{'✓' if ok else '✗'} target {wanted}" + (f" at {at // K}k" if at else "")
        if at > size and not ok:
            return f"✗ already over the {at // K}k target ({wanted})"
    return ""


def print_size(result: SizeResult) -> None:
    f, size = result.figures, result.size
    rows = [("size", f"{size:,} claims", ""),
            ("true duplicate groups", f.get("true groups", "–"), ""),
            ("generate s", _fmt(f.get("generate s", "–"), "s"), ""),
            ("blocks (match_key)", f.get("blocks", "–"), "")]
    for metric in ("import", "dedupe", "list --contested", "report", "add", "--help"):
        value = f.get(f"{metric} s", "–")
        rows.append((f"{metric} s", _fmt(value, "s"), verdict(metric, value, size)))
        if metric in ("import", "dedupe") and f"{metric} MB" in f:
            mb = f[f"{metric} MB"]
            rows.append((f"{metric} peak memory MB", f"{mb:.0f}", verdict("peak memory", mb, size)))
    for metric in ("recall vs true groups", "precision vs true groups"):
        rows.append((f"dedupe {metric}", _fmt(f.get(metric, "–")), ""))
    rows.append(("dedupe recall vs exhaustive (sample)", _fmt(f.get("recall vs exhaustive", "–")),
                 verdict("recall vs exhaustive", f.get("recall vs exhaustive"), size)))
    _table(f"Size {size:,}", ("metric", "value", "target"), rows)
    if result.baselines:
        _table(f"Baselines at {size:,}", ("method", "on", "time s", "recall (true)",
                                         "precision (true)", "recall vs exhaustive"),
               result.baselines)
    if "sample" in f:
        print(f"  sample: {f['sample']} (half whole true groups, half uniform)")
    for note in result.notes:
        print(f"  note: {note}")
    print(flush=True)


def _table(title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    line = "  ".join("-" * w for w in widths)
    print(line)
    for row in [header, None, *rows]:
        print(line if row is None else "  ".join(str(c).ljust(w) for c, w in zip(
            row, widths, strict=True)).rstrip())


def machine() -> str:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import sqlite3

    return (f"Machine: {os.cpu_count()} cores, {mem} memory, {platform.platform()}\n"
            f"Python {platform.python_version()} ({sys.executable}), SQLite "
            f"{sqlite3.sqlite_version}\nCLI: {cli_path()}\n{machine_speed()}")


def machine_speed() -> str:
    """Two fixed workloads, best of three, so that figures taken on different hosts of
    the 'same' machine can be compared: one core's Python speed, and the cost of
    importing SQLAlchemy and SQLModel, which every command pays before it starts."""
    loop = min(_seconds([sys.executable, "-c", _REFERENCE_LOOP]) for _ in range(3))
    imports = min(_seconds([sys.executable, "-c", "import sqlalchemy.orm, sqlmodel"])
                  for _ in range(3))
    return (f"Speed: a reference Python loop {loop:.2f} s; "
            f"'import sqlalchemy.orm, sqlmodel' {imports:.2f} s (every command's floor)")


_REFERENCE_LOOP = "def f():\n    s = 0\n    for i in range(10_000_000):\n        s += i\nf()"


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="Comma-separated claim counts.")
    parser.add_argument("--workdir", type=Path, help="Where corpora and databases go "
                        "(default: a temporary directory, removed afterwards).")
    parser.add_argument("--skip-baselines", action="store_true",
                        help="Only dedupe's own recall vs the exhaustive sample.")
    parser.add_argument("--sample", type=int, default=2000, help="Claims in the sample.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each quick command.")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="Kill a command after this many seconds (its figure shows it).")
    parser.add_argument("--no-number-share", type=float, default=0.1,
                        help="Share of claims stating no number (they share one block).")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(machine())
    print(f"Sizes: {', '.join(f'{s:,}' for s in sizes)}; seed {args.seed}; "
          f"{args.no_number_share:.0%} of claims state no number; sample {args.sample}",
          flush=True)
    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="nkru-bench-")) if temporary else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        for size in sizes:
            print_size(bench_size(size, args, workdir))
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
