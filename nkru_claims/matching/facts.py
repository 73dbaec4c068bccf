"""The facts a claim text states, in a form two languages can be compared in.

A Korean and an English text share no words, but they can share facts: the figures they
state (``figures``), the dates (``dates``), the parties they name (``gazetteer`` and the
ledger's own aliases), who gives and who receives, and whether the claim is negated
(``roles``). The speaker a sentence attributes the claim to ("the NIS said…") is read
apart: the same claim said by Seoul or by Kyiv is the same claim.

``compare_facts`` sorts what it finds into *conflicts* (the texts cannot state the same
claim: different figures, dates, parties, direction or polarity) and *gaps* (a fact one
text states and the other does not): missing facts are not agreement, so a pair with a
gap is at most for review, never merged on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from nkru_claims.matching.quantity import Quantity

PERSON_UNITS = frozenset({"people", "soldiers", "workers", "casualties", "killed", "wounded"})

#: Whom an agency, a leader or a place acts for. Reports say "the Kremlin", "Putin" or
#: "Moscow" for Russia, and "the NIS" or "Seoul" for South Korea: the facts compare the
#: states behind the names, so a translation that names Putin where the original names
#: Russia still agrees, while "Russia supplies" and "China supplies" still conflict.
ACTS_FOR = {
    "Kremlin": "Russia", "Russian Ministry of Defence": "Russia",
    "Russian Armed Forces": "Russia", "Vladimir Putin": "Russia", "Sergei Lavrov": "Russia",
    "Sergei Shoigu": "Russia", "Dmitry Peskov": "Russia", "Andrei Belousov": "Russia",
    "Korean Central News Agency": "North Korea", "Korean People's Army": "North Korea",
    "Kim Jong Un": "North Korea", "Choe Son Hui": "North Korea",
    "National Intelligence Service": "South Korea",
    "Joint Chiefs of Staff (South Korea)": "South Korea",
    "Ministry of National Defense (South Korea)": "South Korea",
    "Yoon Suk Yeol": "South Korea", "Lee Jae-myung": "South Korea",
    "Main Intelligence Directorate (Ukraine)": "Ukraine", "Armed Forces of Ukraine": "Ukraine",
    "Volodymyr Zelenskyy": "Ukraine",
    "United States Department of Defense": "United States", "White House": "United States",
    "United States Department of State": "United States", "Joe Biden": "United States",
    "Donald Trump": "United States", "Ministry of Defense (Japan)": "Japan",
    "Kursk": "Russia", "Vladivostok": "Russia", "Xi Jinping": "China",
    "Alexander Lukashenko": "Belarus",
}  # fmt: skip


def _states(keys: frozenset[str]) -> frozenset[str]:
    return frozenset(ACTS_FOR.get(k, k) for k in keys)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str
    short: bool = False  # a short form or adjective (North Korean, 俄): never the subject


class PartyFinder:
    """Finds parties in any language: the built-in gazetteer, plus the ledger's aliases
    (a party the gazetteer does not know is keyed ``party:<id>``)."""

    def __init__(self, aliases: Iterable[tuple[str, int, str]] = ()) -> None:
        """``aliases``: (alias, party id, party name) rows from the ledger."""
        from nkru_claims.matching import gazetteer

        extra: dict[str, str] = {}
        by_id: dict[int, list[str]] = {}
        names: dict[int, str] = {}
        for alias, party_id, name in aliases:
            by_id.setdefault(party_id, []).append(alias)
            names[party_id] = name
        for party_id, party_aliases in by_id.items():
            known = next((k for a in [names[party_id], *party_aliases]
                          if (k := gazetteer.resolve(a)) is not None), None)
            key = known or f"party:{party_id}"
            for alias in party_aliases:
                if gazetteer.resolve(alias) is None and len(alias.strip()) > 1:
                    extra[alias.strip()] = key
        self._extra = extra

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self._extra:
            return None
        names = sorted(self._extra, key=len, reverse=True)
        parts = [rf"(?<![A-Za-z0-9]){re.escape(n)}(?![A-Za-z0-9])" if n[0].isascii()
                 else re.escape(n) for n in names]
        return re.compile("|".join(parts), re.IGNORECASE)

    def find(self, text: str) -> list[Mention]:
        """Every party named in ``text``: names, then short forms reporting uses for a
        state (North Korean troops, 俄朝, 俄军, 북러, 北, 露朝) where no name stands."""
        from nkru_claims.matching import gazetteer

        found = [Mention(s, e, k) for s, e, k in gazetteer.find_actors(text)]
        for start, end, keys in gazetteer.find_abbreviation_compounds(text):
            width = (end - start) / len(keys)
            found += [Mention(int(start + n * width), int(start + (n + 1) * width), key)
                      for n, key in enumerate(keys)]
        taken = [(m.start, m.end) for m in found]
        for pattern, key in _short_forms():
            for m in pattern.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    found.append(Mention(m.start(), m.end(), key, short=True))
                    taken.append((m.start(), m.end()))
        if self._pattern is not None:
            taken = [(m.start, m.end) for m in found]
            for m in self._pattern.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    key = self._extra.get(m.group()) or next(
                        (v for k, v in self._extra.items() if k.casefold() == m.group().casefold()),
                        None)
                    if key:
                        found.append(Mention(m.start(), m.end(), key))
        return sorted(found, key=lambda m: m.start)





def _short_forms() -> list[tuple[re.Pattern[str], str]]:
    global _SHORT_FORM_PATTERNS
    if _SHORT_FORM_PATTERNS is None:
        from nkru_claims.matching.gazetteer import SHORT_FORMS

        _SHORT_FORM_PATTERNS = [(re.compile(p), key) for key, ps in SHORT_FORMS.items()
                                for p in ps]
    return _SHORT_FORM_PATTERNS


_SHORT_FORM_PATTERNS: list[tuple[re.Pattern[str], str]] | None = None
_DEFAULT_FINDER: PartyFinder | None = None


def default_finder() -> PartyFinder:
    global _DEFAULT_FINDER
    if _DEFAULT_FINDER is None:
        _DEFAULT_FINDER = PartyFinder()
    return _DEFAULT_FINDER


@dataclass(frozen=True)
class Facts:
    text: str
    figures: tuple[Quantity, ...]
    dates: frozenset[tuple[date, date]]
    parties: frozenset[str]
    speakers: frozenset[str]
    giver: str | None
    receiver: str | None
    negated: bool
    agent: frozenset[str] | None = None
    #: a date is stated but relative (去年, 지난달) with nothing to resolve it against
    dates_unknown: bool = False
    #: the states the claim names, in the order it names them
    order: tuple[str, ...] = ()

    def describe(self) -> dict[str, object]:
        """What was read, for ``compare``, ``show`` and ``add`` to show."""
        return {
            "figures": [q.describe() for q in self.figures],
            "dates": sorted(f"{s}" if s == e else f"{s}..{e}" for s, e in self.dates),
            "parties": sorted(self.parties), "speakers": sorted(self.speakers),
            "giver": self.giver, "receiver": self.receiver, "negated": self.negated,
        }  # fmt: skip


def read_facts(
    text: str, finder: PartyFinder | None = None, *, reference: date | None = None
) -> Facts:
    """The facts of one text; ``reference`` (its source's publication date) resolves
    relative dates such as 去年 or "last month"."""
    from nkru_claims.matching.dates import find_dates, unresolved_relative
    from nkru_claims.matching.figures import read_figures

    mentions = (finder or default_finder()).find(text)
    headline_speakers = _headline_speakers(text, mentions)
    from nkru_claims.matching.roles import Mention as RoleMention
    from nkru_claims.matching.roles import read_roles

    roles = read_roles(text, [RoleMention(m.start, m.end, m.key) for m in mentions])
    span_start, span_end = getattr(roles, "claim_span", (0, len(text)))
    claim_text = text[span_start:span_end]
    negated = bool(roles.negated) != _rules_out(claim_text)
    speakers = frozenset(roles.speakers) | {m.key for m in headline_speakers}
    claim_parties = {m.key for m in mentions if m not in headline_speakers} & set(
        roles.parties) if headline_speakers else set(roles.parties)
    return Facts(
        text=text,
        figures=tuple(read_figures(text).figures),
        dates=frozenset((d.start, d.end) for d in find_dates(text, reference=reference)),
        dates_unknown=bool(unresolved_relative(text)) if reference is None else False,
        parties=frozenset(claim_parties),
        speakers=speakers,
        giver=roles.giver,
        receiver=roles.receiver,
        negated=negated,
        order=tuple(dict.fromkeys(_state(m.key) or m.key for m in mentions
                                  if m.key in claim_parties)),
        agent=_agent(claim_text, [
            Mention(m.start - span_start, m.end - span_start, m.key, m.short) for m in mentions
            if m.key in claim_parties and span_start <= m.start and m.end <= span_start + len(
                claim_text)]),
    )


_HEADLINE_SOURCE_BEFORE = re.compile(r"\s*(?:[:：]|\s[\"“「]|[\"“「])")
_HEADLINE_SOURCE_AFTER = re.compile(r"(?:\s[-–—]{1,2}\s*|[:：]\s*|\s*[-–—]{1,2}\s*)$")


def _headline_speakers(text: str, mentions: list[Mention]) -> list[Mention]:
    """A headline's source: 'NIS: 4,700 casualties', '국정원 "…"', '… -- Seoul spy agency'
    or '…: US'. Names there said the claim; they are not its parties."""
    found = []
    for m in mentions:
        head = text[: m.start].strip()
        if not head or head in ("美", "韩", "韓", "日"):
            tail = text[m.end :]
            if _HEADLINE_SOURCE_BEFORE.match(tail) and not re.match(r"\s*[:：]\s*$", tail):
                found.append(m)
                continue
        before, after = text[: m.start], text[m.end :].strip()
        if not after.rstrip(".)") and _HEADLINE_SOURCE_AFTER.search(before):
            found.append(m)
    return found


_RULE_OUT = re.compile(
    r"\brul(?:e|es|ed|ing) out\b|\bclosed? off\b|\bexclud(?:e|es|ed|ing) the possibility|"
    r"排除|배제|排除")
_NOT_RULED_OUT = re.compile(
    r"(?:not|n't|never)\s+(?:been\s+|be\s+)?rul(?:e|es|ed|ing) out|(?:not|n't)\s+(?:be\s+)?"
    r"(?:closed? off|exclud)|"
    r"(?:没有|沒有|并未|並未|未曾|未|不|无法|無法|不能)排除|배제(?:하지|할 수 없|되지)|"
    r"排除(?:しな|せず|できな|していな|されな)")


def _rules_out(text: str) -> bool:
    """"Putin has ruled out X" denies X as a negation would; "has not ruled out X" does not
    (the roles reader reads the "not" there as no negation of X)."""
    return bool(_RULE_OUT.search(text)) and not _NOT_RULED_OUT.search(text)


_COORDINATOR = re.compile(r"\s*(?:and|与|與|和|及|와|과|·|、|,|，|と|や|&)\s*")


def _agent(text: str, mentions: list[Mention]) -> frozenset[str] | None:
    """Who does what the claim says, as a set of states (coordinated subjects: "Russia and
    North Korea", 러시아와 북한은): the name marked as the subject (은/는/이/가, は/が), the
    agent of an English passive ("by Russia"), or the name the claim opens with."""
    names = [m for m in mentions if not m.short]
    chosen = None
    for m in names:
        if re.match(r"(?:은|는|이|가)(?![가-힣])|[はが]", text[m.end : m.end + 2]):
            chosen = m
            break
    if chosen is None:
        for m in names:
            if re.search(r"\bby\s+(?:the\s+)?$", text[max(0, m.start - 8) : m.start]):
                chosen = m
                break
    if chosen is None and names and not text[: names[0].start].strip(" \"“「'‘"):
        chosen = names[0]
    if chosen is None:
        return None
    group = {chosen}
    for m in sorted(names, key=lambda x: x.start):  # coordinated with the chosen one
        for other in list(group):
            gap = text[min(m.end, other.end) : max(m.start, other.start)]
            if m not in group and _COORDINATOR.fullmatch(gap):
                group.add(m)
    return frozenset(_state(m.key) or m.key for m in group)


def _values(figures: Iterable[Quantity]) -> list[tuple[float, ...]]:
    """The values a text's figures state, for comparing across languages: "over 33,000",
    "about 33,000" and "33,000" state one value (reporting uses 余, 여 and "over" loosely);
    a range states two."""
    out = []
    for q in figures:
        if q.low is not None and q.high is not None and q.low != q.high:
            out.append((q.low, q.high))
        else:
            out.append((q.low if q.low is not None else q.high or 0.0,))
    return sorted(out)


def _contains(big: list[tuple[float, ...]], small: list[tuple[float, ...]]) -> bool:
    rest = list(big)
    for value in small:
        if value not in rest:
            return False
        rest.remove(value)
    return True


def compare_facts(a: Facts, b: Facts) -> tuple[list[str], list[str]]:
    """(conflicts, gaps) between two texts' facts."""
    conflicts: list[str] = []
    gaps: list[str] = []
    if a.figures and b.figures:
        va, vb = _values(a.figures), _values(b.figures)
        if not (_contains(va, vb) or _contains(vb, va)):
            conflicts.append(f"figures differ: {[q.describe() for q in a.figures]} vs "
                             f"{[q.describe() for q in b.figures]}")
        elif va != vb:
            gaps.append("one text states more figures than the other")
        else:
            # only units the reader knows are compared: a noun kept as written (武器,
            # 화차) may be worded differently in another language
            from nkru_claims.matching.units import UNIT_NOUNS

            units_a = sorted(q.unit if q.unit in UNIT_NOUNS else "?" for q in a.figures)
            units_b = sorted(q.unit if q.unit in UNIT_NOUNS else "?" for q in b.figures)
            for ua, ub in zip(units_a, units_b, strict=False):
                if ua != ub and "?" not in (ua, ub) and not (
                        {ua, ub} <= PERSON_UNITS and "people" in (ua, ub)):
                    conflicts.append(f"units differ: {units_a} vs {units_b}")
                    break
    elif a.figures or b.figures:
        gaps.append("only one text states a figure")
    if a.dates and b.dates and a.dates != b.dates:
        if _within(a.dates, b.dates) or _within(b.dates, a.dates):
            gaps.append("one text dates it more precisely")
        else:
            conflicts.append("dates differ: " + _dates(a.dates) + " vs " + _dates(b.dates))
    # a date stated by one text only is no gap: headlines and briefs drop the date of
    # what they report; a group still never holds two claims whose dates conflict
    pa, pb = _states(a.parties), _states(b.parties)
    if pa - pb and pb - pa:
        conflicts.append(f"parties differ: {sorted(pa)} vs {sorted(pb)}")
    elif (pa or pb) and not (pa and pb):
        gaps.append("only one text names the parties")
    ga, ra = _state(a.giver), _state(a.receiver)
    gb, rb = _state(b.giver), _state(b.receiver)
    if (ga and ga == rb and ga != gb) or (ra and ra == gb and ra != rb):
        conflicts.append("direction reversed: who does what to whom is swapped")
    if (not (a.giver or a.receiver or b.giver or b.receiver) and a.agent and b.agent
            and not a.agent & b.agent and a.agent <= _states(b.parties)
            and b.agent <= _states(a.parties)):
        conflicts.append(f"who acts differs: {sorted(a.agent)} vs {sorted(b.agent)}")
    if a.negated != b.negated:
        conflicts.append("one negates or denies what the other states")
    return conflicts, gaps


def _state(key: str | None) -> str | None:
    return ACTS_FOR.get(key, key) if key else None


def _within(inner: frozenset[tuple[date, date]], outer: frozenset[tuple[date, date]]) -> bool:
    """Every date of ``inner`` falls within one of ``outer`` (June 2024 holds 19 June 2024)."""
    return all(any(os <= s and e <= oe for os, oe in outer) for s, e in inner)


def _dates(dates: frozenset[tuple[date, date]]) -> str:
    return ", ".join(sorted(str(s) if s == e else f"{s}..{e}" for s, e in dates))
