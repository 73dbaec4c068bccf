"""Is this the same claim? Scores from rapidfuzz, gated by the facts a claim states.

Two texts are first reduced to a *matching form*: numbers in one written form
(``normalise_numbers``), one Chinese script, half-width, no punctuation, case folded,
unit synonyms to one word, and every party alias to the party's token. Their similarity
is rapidfuzz's ``token_sort_ratio`` on that form, with each Han character a token, so
reordered clauses score as the same words.

A high score is never enough. The facts must agree, or the pair is not a duplicate
whatever its score: the same numbers, the same dates, the same quantities per unit, the
same parties, no party in opposite roles (who supplies whom), and the same polarity
(one text does not negate or deny what the other states).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from nkru_claims.config import DEFAULT_THRESHOLD
from nkru_claims.matching.fact_patterns import (
    HAN,
    NUMBER_RE,
    dates_and_rest,
    negation_count,
    party_roles,
    polarity,
    signal_words,
    topics,
    with_country_names,
    without_dates,
)
from nkru_claims.matching.normalise import matching_text, normalise_text, trie_regex
from nkru_claims.matching.quantities import UNIT_WORDS, Quantity, find_quantities


def matching_form(text: str) -> str:
    """Numbers, script, width, punctuation and case folded; idempotent."""
    return matching_text(text)


def _unit_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for the unit words (not single Latin letters), and for each word its
    canonical unit with a space either side, to replace it with."""
    words = {normalise_text(w): unit for unit, ws in UNIT_WORDS.items() for w in ws}
    words = {w: u for w, u in words.items() if len(w) > 1 or not w.isascii()}
    words.pop("兵", None)  # too short alone: 兵 is part of 士兵, 炮兵, 兵力…
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    # The lookahead changes no match: it lets most positions fail after one test.
    pattern = re.compile(rf"(?=[{first}])(?<![a-z])(?:{alternation})(?![a-z])")
    return pattern, {w: f" {unit} " for w, unit in words.items()}


_UNIT_RE, _SPACED_UNIT = _unit_pattern()
_ROUNDS_RE = re.compile(r"(?<=\d)\s*(?:发|枚)(?!\s*(?:shells|missiles))")
_COUNT_WORD_RE = re.compile(r"(?<=\d)\s*(?:个|名)")


def _canonical_units(text: str) -> str:
    text = _UNIT_RE.sub(lambda m: _SPACED_UNIT[m[0]], text)
    if "发" in text or "枚" in text:
        text = _ROUNDS_RE.sub(" shells ", text)
    if "个" in text or "名" in text:
        text = _COUNT_WORD_RE.sub(" ", text)
    return " ".join(text.split())  # the same whitespace as re's \s, collapsed and stripped


# ---- parties -------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyLexicon:
    """Every known alias, in matching form, mapped to its party's id."""

    aliases: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_aliases(cls, pairs: Iterable[tuple[str, int]]) -> PartyLexicon:
        aliases: dict[str, int] = {}
        for alias, party_id in pairs:
            form = normalise_text(alias)
            if form and not form.isdigit():
                aliases.setdefault(form, party_id)
        return cls(aliases)

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """One regex for every alias, as a trie: a plain alternation of hundreds of names
        is tried name by name at every position; a trie shares their prefixes."""
        if not self.aliases:
            return None
        latin = [a for a in self.aliases if a[0].isascii()]
        other = [a for a in self.aliases if not a[0].isascii()]
        parts = []
        if latin:
            parts.append(rf"(?<![a-z0-9])(?:{trie_regex(latin)})(?![a-z0-9])")
        if other:
            parts.append(f"(?:{trie_regex(other)})")
        # The lookahead changes no match: it lets most positions fail after one test.
        first = "".join(sorted({re.escape(a[0]) for a in self.aliases}))
        return re.compile(f"(?=[{first}])(?:{'|'.join(parts)})")

    @cached_property
    def replacements(self) -> dict[str, str]:
        """Each alias's replacement, `` <pID> ``, made once rather than at every match."""
        return {alias: f" <p{party_id}> " for alias, party_id in self.aliases.items()}

    def tag(self, text: str) -> str:
        """Replace each alias with ``<pID>``, longest alias first."""
        if self.pattern is None:
            return text
        replacements = self.replacements
        return self.pattern.sub(lambda m: replacements[m[0]], text)


_NO_PARTIES = PartyLexicon()
_PARTY_TOKEN = re.compile(r"<p(\d+)>")

# ---- facts ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimFeatures:
    """What matching needs to know about one text."""

    text: str
    form: str
    scored: str
    numbers: tuple[str, ...]
    dates: tuple[str, ...]
    parties: tuple[int, ...]
    roles: tuple[tuple[int, str], ...]
    order: frozenset[tuple[int, int]]
    negations: int
    polarity: tuple[tuple[int, int], ...]
    topics: frozenset[str]

    @cached_property
    def quantities(self) -> tuple[Quantity, ...]:
        """Parsed only for pairs that get this far: the parser is the slow part."""
        return tuple(find_quantities(self.text))

    def role_map(self) -> dict[int, frozenset[str]]:
        roles: dict[int, set[str]] = {}
        for party, role in self.roles:
            roles.setdefault(party, set()).add(role)
        return {party: frozenset(r) for party, r in roles.items()}


_NEAR = 8  # words (a Han character or a Latin word each) between two close party mentions
_GAP_UNIT = re.compile(f"[{HAN}]|[a-z0-9]+")


def _local_order(tagged: str, tokens: list[re.Match[str]]) -> frozenset[tuple[int, int]]:
    """Pairs of different parties mentioned close together, in the order they appear.

    "朝鲜向俄罗斯" gives (NK, RU); moving a whole clause keeps each clause's pairs, but
    swapping who does what to whom reverses one. ``tokens``: the party tokens in ``tagged``.
    """
    pairs = set()
    for left, right in zip(tokens, tokens[1:], strict=False):
        if left[1] != right[1]:
            gap = tagged[left.end() : right.start()]
            # Each word is at least one character: a short gap needs no counting.
            if len(gap) <= _NEAR or len(_GAP_UNIT.findall(gap)) <= _NEAR:
                pairs.add((int(left[1]), int(right[1])))
    return frozenset(pairs)


def _party_mentions(tagged: str, tokens: list[re.Match[str]]) -> tuple[int, ...]:
    """Every mention, with a name repeated straight after itself (北韓(朝鮮)) counted once:
    a token the same as the one before it, with only spaces between, is not counted."""
    mentions = []
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else None
        if before is None or before[0] != token[0] or tagged[before.end() : token.start()].strip():
            mentions.append(int(token[1]))
    return tuple(sorted(mentions))


_HAN_RUN = re.compile(f"([{HAN}]+)")


def _scored(tagged: str) -> str:
    """What similarity is scored on: each Han character a word, single spaces."""
    if tagged.isascii():  # no Han characters to space out
        return " ".join(tagged.split())
    pieces = _HAN_RUN.split(tagged)  # odd pieces are the runs of Han characters
    pieces[1::2] = [" ".join(run) for run in pieces[1::2]]
    return " ".join(" ".join(pieces).split())


def match_columns(text: str) -> tuple[str, str]:
    """What a claim stores for matching: its canonical form and its blocking key.

    Claims whose keys differ state different numbers, which the facts gate never lets
    through, so comparing only claims with equal keys loses no duplicate.
    """
    form = _canonical_units(matching_form(text))
    return form, ",".join(sorted(NUMBER_RE.findall(without_dates(form))))


def features(
    text: str, lexicon: PartyLexicon | None = None, *, form: str | None = None
) -> ClaimFeatures:
    """``form`` is the stored ``match_form`` when there is one (it saves the folding)."""
    if form is None:
        form = _canonical_units(matching_form(text))
    dates, rest = dates_and_rest(form)
    tagged = (lexicon or _NO_PARTIES).tag(with_country_names(form))
    tokens = list(_PARTY_TOKEN.finditer(tagged))
    words = signal_words(form)
    return ClaimFeatures(
        text=text, form=form, scored=_scored(tagged),
        numbers=tuple(sorted(NUMBER_RE.findall(rest))),
        dates=tuple(dates),
        parties=_party_mentions(tagged, tokens),
        roles=party_roles(tagged, len(tokens)),
        order=_local_order(tagged, tokens),
        negations=negation_count(tagged),
        polarity=polarity(words),
        topics=topics(words),
    )


# ---- verdicts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    duplicate: bool
    score: float
    reasons: tuple[str, ...]
    a: ClaimFeatures
    b: ClaimFeatures

    def as_dict(self) -> dict[str, object]:
        def side(f: ClaimFeatures) -> dict[str, object]:
            return {
                "text": f.text, "normalised": f.form, "numbers": list(f.numbers),
                "dates": list(f.dates), "parties": list(f.parties),
                "quantities": [q.describe() for q in f.quantities],
            }

        return {"duplicate": self.duplicate, "score": round(self.score, 1),
                "reasons": list(self.reasons), "a": side(self.a), "b": side(self.b)}


def score(a: ClaimFeatures, b: ClaimFeatures) -> float:
    return float(fuzz.token_sort_ratio(a.scored, b.scored))


def fact_conflicts(
    a: ClaimFeatures, b: ClaimFeatures, *, quantities: bool = True
) -> list[str]:
    """Why these two texts cannot state the same claim; empty when nothing disagrees.

    ``quantities=False`` skips parsing the texts' quantities, for callers that have
    already compared quantities stored with the claims.
    """
    reasons: list[str] = []
    if a.numbers != b.numbers:
        reasons.append(f"numbers differ: {list(a.numbers)} vs {list(b.numbers)}")
    if a.dates and b.dates and a.dates != b.dates:
        reasons.append(f"dates differ: {list(a.dates)} vs {list(b.dates)}")
    if quantities:
        reasons += quantity_conflicts(a.quantities, b.quantities)
    only_a, only_b = set(a.parties) - set(b.parties), set(b.parties) - set(a.parties)
    if only_a and only_b:  # one text naming a party more (a speaker, a place) is no conflict
        reasons.append(f"parties differ: {sorted(set(a.parties))} vs {sorted(set(b.parties))}")
    roles_a, roles_b = a.role_map(), b.role_map()
    reversed_order = {(q, p) for p, q in a.order - b.order} & (b.order - a.order)
    if any(roles_a[p] != roles_b[p] for p in roles_a.keys() & roles_b.keys()) or reversed_order:
        reasons.append("direction reversed: who does what to whom is swapped")
    if a.negations % 2 != b.negations % 2:
        reasons.append("one negates or denies what the other states")
    opposite = dict(a.polarity).items() ^ dict(b.polarity).items()
    if {index for index, _ in opposite} & dict(a.polarity).keys() & dict(b.polarity).keys():
        reasons.append("opposite words (support/oppose, confirm/deny…)")
    if a.topics and b.topics and a.topics != b.topics:
        reasons.append(f"about different things: {sorted(a.topics)} vs {sorted(b.topics)}")
    return reasons


def quantity_conflicts(a: Iterable[Quantity], b: Iterable[Quantity]) -> list[str]:
    by_unit_a = {q.unit: q for q in a if q.unit}
    by_unit_b = {q.unit: q for q in b if q.unit}
    return [
        f"quantities differ: {by_unit_a[u].describe()} vs {by_unit_b[u].describe()}"
        for u in sorted(set(by_unit_a) & set(by_unit_b))
        if not by_unit_a[u].agrees_with(by_unit_b[u])
    ]


def compare_features(
    a: ClaimFeatures, b: ClaimFeatures, threshold: float = DEFAULT_THRESHOLD, *,
    quantities: bool = True,
) -> Verdict:
    similarity = score(a, b)
    reasons = fact_conflicts(a, b, quantities=quantities)
    if not reasons and similarity < threshold:
        reasons.append(f"text similarity {similarity:.1f} is below the threshold {threshold:g}")
    if not reasons:
        # the words agree: the facts read in every language (parties by any name, the
        # speaker apart, negation in its scope, a name or number swapped) have a veto
        from nkru_claims.matching.scoring import assess

        conflicts, gaps = assess(a.text, b.text)
        reasons = conflicts or [f"{gap}: facts missing on one side are not agreement"
                                for gap in gaps]
    if not reasons:
        reasons.append(f"same facts and text similarity {similarity:.1f} ≥ {threshold:g}")
        return Verdict(True, similarity, tuple(reasons), a, b)
    return Verdict(False, similarity, tuple(reasons), a, b)


def compare_texts(
    a: str, b: str, *, lexicon: PartyLexicon | None = None, threshold: float = DEFAULT_THRESHOLD
) -> Verdict:
    """The verdict for two texts; symmetric in ``a`` and ``b``."""
    return compare_features(features(a, lexicon), features(b, lexicon), threshold)
