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

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from nkru_claims.matching.compare import PartyLexicon, fact_conflicts, features, score

SAME, REVIEW, DIFFERENT = "same", "review", "different"


@dataclass(frozen=True)
class Thresholds:
    """Where the bands start, on the 0–100 combined score (tuned on dev splits only)."""

    same: float = 70.0
    review: float = 55.0
    #: cosine mapped to 0 at ``cosine_floor`` and to 100 at ``cosine_ceiling``.
    cosine_floor: float = 0.30
    cosine_ceiling: float = 0.70


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


_NEGATION = {
    "hangul": re.compile(r"않|없었|없다|없는|아니|못\s|못했|부인|부정했"),
    "kana": re.compile(
        r"(?:し|さ|き|こ|い|ら|わ|け|せ|て|れ|め|べ|げ|ね|え|か)(?:ない|なかった|ず|ません)|否定し|否認"
    ),
}
_NOT_A_NEGATION = {
    "hangul": re.compile(r"배제하지\s*않|뿐\s*아니라|뿐만\s*아니라|않을\s*수\s*없"),
    "kana": re.compile(r"排除しない|排除せず|否定しなかった|だけでなく|のみならず"),
}  # fmt: skip


def _negations(text: str, script: str) -> int | None:
    """Negations in a Korean or Japanese text; None for scripts ``compare`` reads itself."""
    pattern = _NEGATION.get(script)
    if pattern is None:
        return None
    plain = _NOT_A_NEGATION[script].sub(" ", unicodedata.normalize("NFKC", text))
    return len(pattern.findall(plain))


def _figure_conflicts(a: str, b: str) -> list[str]:
    from nkru_claims.matching.figures import read_figures

    fa, fb = read_figures(a).figures, read_figures(b).figures
    if not fa or not fb:
        return []
    values_a = sorted((q.low or 0, q.high or 0) for q in fa)
    values_b = sorted((q.low or 0, q.high or 0) for q in fb)
    if values_a != values_b:
        return [f"figures differ: {[q.describe() for q in fa]} vs {[q.describe() for q in fb]}"]
    persons = {"people", "soldiers", "workers", "casualties", "killed", "wounded"}
    units_a = sorted(q.unit or "" for q in fa)
    units_b = sorted(q.unit or "" for q in fb)
    for ua, ub in zip(units_a, units_b, strict=False):
        if ua != ub and not ({ua, ub} <= persons and "people" in (ua, ub)):
            return [f"units differ: {units_a} vs {units_b}"]
    return []


def _date_conflicts(a: str, b: str) -> list[str]:
    from nkru_claims.matching.dates import find_dates

    da = {(d.start, d.end) for d in find_dates(a)}
    db = {(d.start, d.end) for d in find_dates(b)}
    if da and db and da != db:
        return ["dates differ: " + ", ".join(sorted(str(s) for s, _ in da)) + " vs "
                + ", ".join(sorted(str(s) for s, _ in db))]  # fmt: skip
    return []


def conflicts(a: str, b: str, lexicon: PartyLexicon | None = None) -> list[str]:
    """Why ``a`` and ``b`` cannot state the same claim, in any pair of languages."""
    fa, fb = features(a, lexicon), features(b, lexicon)
    sa, sb = script_of(a), script_of(b)
    reasons = fact_conflicts(fa, fb)
    if sa == sb and sa not in ("hangul", "kana"):
        reasons += [r for r in _figure_conflicts(a, b) if r.startswith("units")]
    if sa != sb or "hangul" in (sa, sb) or "kana" in (sa, sb):
        # digit and date strings are written differently across languages: compare the
        # figures and dates read from each text instead, and negation in each language
        reasons = [r for r in reasons if not r.startswith(("numbers differ", "dates differ",
                                                           "one negates"))]
        reasons += _figure_conflicts(a, b) + _date_conflicts(a, b)
        na = _negations(a, sa) if sa in _NEGATION else fa.negations
        nb = _negations(b, sb) if sb in _NEGATION else fb.negations
        if (na or 0) % 2 != (nb or 0) % 2:
            reasons.append("one negates or denies what the other states")
    return reasons


def _semantic_scores(
    pairs: Sequence[tuple[str, str]], thresholds: Thresholds
) -> list[float | None]:
    from nkru_claims.matching import embeddings

    try:
        texts = sorted({t for pair in pairs for t in pair})
        vectors = embeddings.encode(texts)
    except embeddings.EncoderUnavailable:
        return [None] * len(pairs)
    index = {t: i for i, t in enumerate(texts)}
    span = thresholds.cosine_ceiling - thresholds.cosine_floor
    out: list[float | None] = []
    for a, b in pairs:
        cos = float(vectors[index[a]] @ vectors[index[b]])
        out.append(max(0.0, min(100.0, (cos - thresholds.cosine_floor) / span * 100)))
    return out


def judge_pairs(
    pairs: Sequence[tuple[str, str]], *, lexicon: PartyLexicon | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS, semantic: bool = True,
) -> list[PairVerdict]:
    """A verdict for each pair, in order; every text is encoded once."""
    semantics = _semantic_scores(pairs, thresholds) if semantic else [None] * len(pairs)
    verdicts = []
    for (a, b), sem in zip(pairs, semantics, strict=True):
        lexical = float(score(features(a, lexicon), features(b, lexicon)))
        combined = max(lexical, sem or 0.0)
        reasons = conflicts(a, b, lexicon)
        if reasons:
            band = DIFFERENT
        elif combined >= thresholds.same:
            band = SAME
            reasons = [f"facts agree and similarity {combined:.1f} ≥ {thresholds.same:g}"]
        elif combined >= thresholds.review:
            band = REVIEW
            reasons = [f"facts agree; similarity {combined:.1f} is between "
                       f"{thresholds.review:g} and {thresholds.same:g}: a person decides"]
        else:
            band = DIFFERENT
            reasons = [f"similarity {combined:.1f} is below {thresholds.review:g}"]
        verdicts.append(PairVerdict(band, combined, lexical, sem, tuple(reasons)))
    return verdicts
