"""Measuring the matcher on labelled pairs: precision, recall and F1, overall and by kind.

Used by ``benchmarks/evaluate_matching.py`` (which prints the figures the README
quotes) and by the test that holds the matcher to its targets.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkru_claims.matching.compare import DEFAULT_THRESHOLD, PartyLexicon, compare_texts


@dataclass
class Tally:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    mistakes: list[str] = field(default_factory=list)

    def add(self, expected: bool, predicted: bool, pair_id: str) -> None:
        if expected and predicted:
            self.true_positive += 1
        elif expected:
            self.false_negative += 1
            self.mistakes.append(pair_id)
        elif predicted:
            self.false_positive += 1
            self.mistakes.append(pair_id)
        else:
            self.true_negative += 1

    @property
    def pairs(self) -> int:
        return self.true_positive + self.false_positive + self.false_negative + self.true_negative

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_pairs(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def lexicon_from_document(document: dict[str, Any]) -> PartyLexicon:
    """The party aliases of an exchange-format file (e.g. the seed fixtures)."""
    pairs = []
    for index, party in enumerate(document.get("parties", []), start=1):
        pairs.append((party["name"], index))
        pairs += [(alias["alias"], index) for alias in party.get("aliases", [])]
    return PartyLexicon.from_aliases(pairs)


def evaluate(
    pairs: Iterable[dict[str, Any]], lexicon: PartyLexicon, threshold: float = DEFAULT_THRESHOLD
) -> tuple[Tally, dict[str, Tally]]:
    overall, by_kind = Tally(), defaultdict(Tally)
    for pair in pairs:
        predicted = compare_texts(pair["a"], pair["b"], lexicon=lexicon,
                                  threshold=threshold).duplicate
        overall.add(pair["duplicate"], predicted, pair["id"])
        by_kind[pair["kind"]].add(pair["duplicate"], predicted, pair["id"])
    return overall, dict(by_kind)


def load_labelled(path: Path) -> list[dict[str, Any]]:
    """A JSON array (or JSON lines) of ``{"a", "b", "duplicate", "kind"?}`` objects."""
    text = path.read_text(encoding="utf-8")
    rows = json.loads(text) if text.lstrip().startswith("[") else [
        json.loads(line) for line in text.splitlines() if line.strip()]
    return rows


def tally_verdicts(
    rows: Iterable[dict[str, Any]], predicted: Iterable[bool]
) -> dict[str, Tally]:
    """Precision and recall overall (key ``"all"``) and by each row's ``kind``."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for index, (row, guess) in enumerate(zip(rows, predicted, strict=True)):
        for key in ("all", str(row.get("kind") or "-")):
            tallies[key].add(bool(row["duplicate"]), guess, str(row.get("id", index)))
    return dict(tallies)
