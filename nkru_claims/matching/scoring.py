"""Three bands for a pair of claim texts: *same*, *review* or *different*, with reasons.

Facts decide, meaning and wording rank. A pair is *same* only when no fact conflicts
(figures with bounds and units, dates, parties, direction, polarity) and its combined
similarity is high; *review* when the facts agree and the similarity is middling, so a
person decides; *different* otherwise. Two thresholds, as review tools use them (one to
suggest, a higher one to match), both tuned on the dev splits only.

The combined similarity is the larger of two scores, each 0–100:

- *lexical*: rapidfuzz's ``token_sort_ratio`` on the matching form (``compare``), which
  sees through scripts, widths, number forms and word order within a language;
- *semantic*: the cosine of the multilingual sentence encoder's vectors
  (``embeddings``), which sees through languages. Cosines of translations sit around
  0.7–0.9 and of unrelated news sentences below 0.5; the score maps that span onto 0–100.

Across languages, the lexical fact checks (digit strings, date strings) cannot compare a
Korean text with an English one, so the figures and dates read by ``figures`` and
``dates`` are compared instead, and negation is read in each language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nkru_claims.matching.compare import PartyLexicon, fact_conflicts, features, score

SAME, REVIEW, DIFFERENT = "same", "review", "different"


@dataclass(frozen=True)
class Thresholds:
    """Where the bands start, on the 0–100 combined score (tuned on dev splits only)."""

    same: float = 60.0
    #: within one language the words themselves must reach this (token-sort similarity)
    same_lexical: float = 75.0
    #: a pair whose facts agree but where one text states a fact the other does not
    #: (a figure, the parties) is never the same claim on its score alone: review
    same_despite_gaps: float = 101.0
    review: float = 40.0
    #: cosine mapped to 0 at ``cosine_floor`` and to 100 at ``cosine_ceiling``.
    cosine_floor: float = 0.50
    cosine_ceiling: float = 0.80


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class PairVerdict:
    band: str
    score: float
    lexical: float
    semantic: float | None
    reasons: tuple[str, ...]
    facts: dict[str, object] = field(default_factory=dict)

    @property
    def duplicate(self) -> bool:
        return self.band == SAME

    def as_dict(self) -> dict[str, object]:
        return {
            "duplicate": self.duplicate, "band": self.band, "score": round(self.score, 1),
            "lexical": round(self.lexical, 1),
            "semantic": None if self.semantic is None else round(self.semantic, 1),
            "reasons": list(self.reasons),
        }  # fmt: skip


def script_of(text: str) -> str:
    """The script a text is mostly written in: han, hangul, kana or latin."""
    counts = {"han": 0, "hangul": 0, "kana": 0, "latin": 0}
    for ch in text:
        if "\uac00" <= ch <= "\ud7a3":
            counts["hangul"] += 1
        elif "\u3040" <= ch <= "\u30ff":
            counts["kana"] += 1
        elif "\u4e00" <= ch <= "\u9fff":
            counts["han"] += 1
        elif ch.isascii() and ch.isalpha():
            counts["latin"] += 1
    if counts["kana"]:
        return "kana"  # Japanese mixes kana with Han: any kana tells
    return max(counts, key=counts.__getitem__)


_LEXICAL_ONLY_WITHIN_A_LANGUAGE = ("numbers differ", "dates differ", "one negates",
                                   "parties differ", "quantities differ")


def assess(
    a: str, b: str, lexicon: PartyLexicon | None = None, finder: object | None = None
) -> tuple[list[str], list[str]]:
    """(conflicts, gaps) between two texts, in any pair of languages.

    The facts read from each text (``facts``) are compared in every case. Within one
    language, the lexical gate of ``compare`` adds what words show (digit strings, words
    of opposite meaning, topics); its party and negation checks are left to the facts,
    which read the speaker apart and negation in its scope.
    """
    from nkru_claims.matching.facts import compare_facts, read_facts

    facts_a, facts_b = read_facts(a, finder), read_facts(b, finder)  # type: ignore[arg-type]
    conflicts, gaps = compare_facts(facts_a, facts_b)
    if script_of(a) == script_of(b):
        from nkru_claims.matching.edits import edit_conflicts, near_copy, reordered

        lexical = fact_conflicts(features(a, lexicon), features(b, lexicon), quantities=False)
        conflicts += [r for r in lexical if not r.startswith(_LEXICAL_ONLY_WITHIN_A_LANGUAGE)]
        edits = edit_conflicts(a, b, folded_names())
        if (facts_a.order != facts_b.order and sorted(facts_a.order) == sorted(facts_b.order)
                and len(facts_a.order) >= 2 and near_copy(a, b)):
            edits.append(f"swapped: {' / '.join(facts_a.order)} named in another order")
        if facts_a.figures and facts_b.figures and not any(
                c.startswith("figures differ") for c in conflicts):
            edits = [e for e in edits if not e.startswith("figures differ")]  # 2.8万 = 2万8000
        conflicts += edits
        if not conflicts and reordered(a, b):
            gaps.append("the same words in another order: who does what may differ")
    return list(dict.fromkeys(conflicts)), gaps


def folded_names() -> dict[str, str]:
    """Every built-in party name, folded as the matching form folds text, to its party."""
    global _FOLDED_NAMES
    if _FOLDED_NAMES is None:
        from nkru_claims.matching import gazetteer
        from nkru_claims.matching.compare import matching_form
        from nkru_claims.matching.facts import ACTS_FOR

        _FOLDED_NAMES = {}
        for alias, key in gazetteer.aliases():
            form = matching_form(alias)
            if len(form) >= 2:
                _FOLDED_NAMES.setdefault(form, ACTS_FOR.get(key, key))
    return _FOLDED_NAMES


_FOLDED_NAMES: dict[str, str] | None = None


def conflicts(a: str, b: str, lexicon: PartyLexicon | None = None) -> list[str]:
    """Why ``a`` and ``b`` cannot state the same claim, in any pair of languages."""
    return assess(a, b, lexicon)[0]


def pair_evidence(a: str, b: str, lexicon: PartyLexicon | None = None) -> dict[str, object]:
    """What a verdict is made of, before thresholds: for tuning and explaining."""
    found, gaps = assess(a, b, lexicon)
    return {"lexical": float(score(features(a, lexicon), features(b, lexicon))),
            "conflicts": found, "gaps": gaps, "same_language": script_of(a) == script_of(b)}


def _cosines(pairs: Sequence[tuple[str, str]]) -> list[float | None]:
    """The cosine of each pair's vectors, every text encoded once; None without an encoder."""
    from nkru_claims.matching import embeddings

    try:
        texts = sorted({t for pair in pairs for t in pair})
        vectors = embeddings.encode(texts)
    except embeddings.EncoderUnavailable:
        return [None] * len(pairs)
    index = {t: i for i, t in enumerate(texts)}
    return [float(vectors[index[a]] @ vectors[index[b]]) for a, b in pairs]


def semantic_score(
    cosine: float | None, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> float | None:
    """A cosine mapped onto 0–100: 0 at ``cosine_floor``, 100 at ``cosine_ceiling``."""
    if cosine is None:
        return None
    span = thresholds.cosine_ceiling - thresholds.cosine_floor
    return max(0.0, min(100.0, (cosine - thresholds.cosine_floor) / span * 100))


def band_for(
    lexical: float, semantic: float | None, conflicts: list[str], gaps: list[str],
    thresholds: Thresholds = DEFAULT_THRESHOLDS, *, same_language: bool = False,
) -> tuple[str, float, list[str]]:
    """(band, combined score, reasons): the one rule every verdict follows.

    Within one language the words must carry a *same* verdict: two claims on one topic
    (North Korea sends weapons / Russia uses North Korean weapons) are close in meaning
    but worded apart, and meaning alone would fold them. Across languages there are no
    shared words, so meaning carries it, with the facts as the check."""
    combined = max(lexical, semantic or 0.0)
    if same_language and lexical < thresholds.same_lexical and combined >= thresholds.same:
        combined = min(combined, thresholds.same - 0.1)  # at most for review
    if conflicts:
        return DIFFERENT, combined, list(conflicts)
    if combined >= (thresholds.same_despite_gaps if gaps else thresholds.same):
        note = f" (though {'; '.join(gaps)})" if gaps else ""
        return SAME, combined, [f"facts agree and similarity {combined:.1f} ≥ "
                                f"{thresholds.same_despite_gaps if gaps else thresholds.same:g}"
                                + note]
    if combined >= thresholds.review:
        why = [*gaps, "facts missing on one side are not agreement"] if gaps else []
        between = f"{thresholds.review:g} and {thresholds.same:g}"
        return REVIEW, combined, [
            *why, f"similarity {combined:.1f} is between {between}: a person decides"]
    return DIFFERENT, combined, [f"similarity {combined:.1f} is below {thresholds.review:g}"]


def judge_scored(
    a: str, b: str, cosine: float | None, *, lexicon: PartyLexicon | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> PairVerdict:
    """The verdict for one pair whose cosine is known already (or None: no vectors)."""
    sem = semantic_score(cosine, thresholds)
    lexical = float(score(features(a, lexicon), features(b, lexicon)))
    found, gaps = assess(a, b, lexicon)
    band, combined, reasons = band_for(lexical, sem, found, gaps, thresholds,
                                       same_language=script_of(a) == script_of(b))
    return PairVerdict(band, combined, lexical, sem, tuple(reasons))


def judge_pairs(
    pairs: Sequence[tuple[str, str]], *, lexicon: PartyLexicon | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS, semantic: bool = True,
) -> list[PairVerdict]:
    """A verdict for each pair, in order; every text is encoded once."""
    cosines = _cosines(pairs) if semantic else [None] * len(pairs)
    return [judge_scored(a, b, cos, lexicon=lexicon, thresholds=thresholds)
            for (a, b), cos in zip(pairs, cosines, strict=True)]

