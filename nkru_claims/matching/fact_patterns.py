"""Word lists and patterns the matcher reads a claim's facts with, and their readers.

Dates (Chinese and English), negation, antonym pairs, topics, the verbs and markers
that say who acts on whom, and demonyms. Kept apart from ``matching`` so that the
rules for comparing claims read on their own, and these lists can grow without
touching them.

Reading runs for every claim, so each costly pattern comes with *markers*: strings a
text must hold for the pattern to match it, tested first and far more cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from nkru_claims.matching.normalise import trie_regex

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")], start=1)
    for name in names
}  # fmt: skip
MONTH_NAMES = trie_regex(MONTHS)  # any month name, the longest that fits
_MONTH_FIRST = "".join(sorted({name[0] for name in MONTHS}))
# The lookaheads at the start change no match: they let most positions fail after one test.
DATE_RES = (
    re.compile(r"(?P<y>\d{4})\s*年(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?)?"),
    re.compile(r"(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?"),
    re.compile(rf"(?=[\d{_MONTH_FIRST}])(?<![a-z])(?:(?P<d1>\d{{1,2}})\s+)?(?P<mn>{MONTH_NAMES})"
               rf"(?![a-z])(?:\s+(?P<d2>\d{{1,2}})(?!\d))?(?:\s+(?P<y>\d{{4}}))?"),
    # A bare year, unless a unit follows: "2090 containers" is an amount, not a date.
    re.compile(r"(?=[12])(?<![\d.])(?P<y>(?:19|20)\d{2})(?![\d.])"
               r"(?!\s*(?:shells|containers|soldiers|missiles|usd)(?![a-z]))"),
)
#: For each of ``DATE_RES``, strings of which a text holds at least one whenever the pattern
#: matches it: one substring search rules out most patterns for most texts.
DATE_MARKERS = (("年",), ("月",), tuple(sorted({name[:3] for name in MONTHS})), ("19", "20"))
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")

NEGATIONS_EN = re.compile(
    r"(?=[dfnr])"  # how every negation starts: a cheap first test, no match changed
    r"(?:(?<![a-z])(?:not(?!\s+only)|no|never|neither|nor|deny|denies|denied|denying|denial|"
    r"false|fake|refute[sd]?|reject(?:s|ed)?|dismiss(?:es|ed)?)(?![a-z])|n't(?![a-z]))"
)
NEGATIONS_EN_MARKERS = ("n", "d", "f", "r")  # one is in every English negation
NEGATIONS_ZH = re.compile(
    r"并非|并未|从未|没有|没|未(?!来|知|经)|否认|否定|驳斥|假新闻"
    r"|不(?!仅|只|但|断|少|久|过|同|安|满|稳|利|足|得|论|再|止|管)|非(?!常|法|洲|凡)|无(?!人|论|疑|数)"
)
# Words with opposite meanings: a text using one side and the other text the other side
# states the opposite claim, however similar the rest.
ANTONYMS = [
    (("支持", "赞成", "support", "supports", "supported", "backs", "backed"),
     ("反对", "oppose", "opposes", "opposed")),
    (("赢家", "赢", "winner", "wins", "won"), ("输家", "输", "loser", "loses", "lost")),
    (("证实", "承认", "确认", "confirm", "confirms", "confirmed", "admits", "admitted"),
     ("否认", "deny", "denies", "denied")),
    (("增加", "增长", "扩大", "increase", "increased", "expand", "expanded"),
     ("减少", "下降", "缩小", "decrease", "decreased", "reduce", "reduced")),
    (("成功", "succeeded", "successful", "successfully"), ("失败", "failed", "unsuccessful")),
    (("加强", "深化", "strengthen", "strengthened", "deepen", "deepening"),
     ("削弱", "weaken", "weakened")),
]
# What a claim is about: two texts about different things (weapons or soldiers) are
# different claims even when every other word is the same.
TOPICS = {
    "weapons": ("武器", "军火", "军备", "weapon", "weapons", "arms", "armaments"),
    "munitions": ("shells", "弹药", "炮弹", "ammunition", "munitions", "rounds"),
    "troops": ("soldiers", "士兵", "军人", "部队", "兵力", "troops", "人员", "personnel",
               "工程师", "engineers"),
    "labour": ("劳工", "工人", "labourers", "laborers", "workers"),
    "technology": ("技术", "technology", "technologies"),
    "missiles": ("missiles", "导弹", "飞弹"),
    "satellites": ("卫星", "satellite", "satellites"),
}

SUPPLY_EN = (r"(?:suppl(?:y|ies|ied|ying)|send(?:s|ing)?|sent|ship(?:s|ped|ping)?|"
              r"transfer(?:s|red|ring)?|provid(?:e|es|ed|ing)|sell(?:s|ing)?|sold|"
              r"giv(?:e|es|ing)|gave|deliver(?:s|ed|ing)?|export(?:s|ed|ing)?|"
              r"visit(?:s|ed|ing)?|attack(?:s|ed|ing)?|invad(?:e|es|ed|ing)|"
              r"help(?:s|ed|ing)?|aid(?:s|ed|ing)?|arm(?:s|ed|ing)?)")
RECEIVE_EN = (r"(?:receiv(?:e|es|ed|ing)|obtain(?:s|ed|ing)?|acquir(?:e|es|ed|ing)|"
               r"b(?:uy|uys|ought|uying)|sought|seek(?:s|ing)?|import(?:s|ed|ing)?|got|gets)")
SUPPLY_MARKERS = ("suppl", "sen", "ship", "transfer", "provid", "sel", "sold", "giv", "gave",
                  "deliver", "export", "visit", "attack", "invad", "help", "aid", "arm")
RECEIVE_MARKERS = ("receiv", "obtain", "acquir", "buy", "bought", "sought", "seek", "import",
                   "got", "gets")
TOKEN = r"<p(\d+)>"
# Spaces, then up to four words each followed by spaces, as few as will do. Possessive
# (++): giving back part of a word or of its spaces leaves a word or a space where
# only a space or a word can come, so it never helps a match, only costs.
_WORDS_UP_TO_4 = r"\s++(?:\S++\s++){0,4}?"


class RolePattern(NamedTuple):
    """A pattern with up to two party groups and the role of each. ``tokens`` and
    ``markers`` say what a text must hold for the pattern to match it (that many party
    tokens, and one of the markers), so most patterns are ruled out without running."""

    pattern: re.Pattern[str]
    roles: tuple[str | None, str | None]
    tokens: int
    markers: tuple[str, ...]


ROLE_PATTERNS = [
    RolePattern(re.compile(rf"{TOKEN}[^<]{{0,10}}?(?:向|给)\s*{TOKEN}"), ("agent", "recipient"),
                2, ("向", "给")),
    RolePattern(re.compile(rf"{TOKEN}[^<]{{0,8}}?(?:出访|访问|援助|支援|袭击|攻击|入侵)\s*{TOKEN}"),
                ("agent", "recipient"), 2,
                ("出访", "访问", "援助", "支援", "袭击", "攻击", "入侵")),
    RolePattern(re.compile(rf"{TOKEN}[^<]{{0,10}}?(?:从|自)\s*{TOKEN}[^<]{{0,12}}?"
                           r"(?:获得|得到|收到|购买|进口|寻求|获取|取得)"), ("recipient", "agent"),
                2, ("从", "自")),
    RolePattern(re.compile(rf"{TOKEN}[^<]{{0,6}}?(?:运往|运到|送往|送到|转移到|运抵|输往)\s*{TOKEN}"),
                ("agent", "recipient"), 2,
                ("运往", "运到", "送往", "送到", "转移到", "运抵", "输往")),
    RolePattern(re.compile(rf"(?:从|由)\s*{TOKEN}"), ("agent", None), 1, ("从", "由")),
    RolePattern(re.compile(rf"(?:到|往|运往|运抵)\s*{TOKEN}"), ("recipient", None),
                1, ("到", "往", "运抵")),
    RolePattern(re.compile(rf"{TOKEN}{_WORDS_UP_TO_4}{SUPPLY_EN}\s+{TOKEN}"),
                ("agent", "recipient"), 2, SUPPLY_MARKERS),
    RolePattern(re.compile(rf"{TOKEN}{_WORDS_UP_TO_4}{SUPPLY_EN}(?![a-z])"), ("agent", None),
                1, SUPPLY_MARKERS),
    RolePattern(re.compile(rf"{TOKEN}{_WORDS_UP_TO_4}{RECEIVE_EN}(?![a-z])"),
                ("recipient", None), 1, RECEIVE_MARKERS),
    RolePattern(re.compile(rf"(?<![a-z])(?:from|by)\s+{TOKEN}"), ("agent", None),
                1, ("from", "by")),
    RolePattern(re.compile(rf"(?<![a-z])(?:to|into)\s+{TOKEN}"), ("recipient", None), 1, ("to",)),
]
DEMONYMS = {
    "north korean": "north korea", "north koreans": "north korea",
    "south korean": "south korea", "south koreans": "south korea",
    "ukrainian": "ukraine", "ukrainians": "ukraine", "russian": "russia", "russians": "russia",
    "chinese": "china", "japanese": "japan", "american": "united states",
    "americans": "united states", "british": "united kingdom",
}
DEMONYM_RE = re.compile(
    r"(?<![a-z])(?:" + "|".join(sorted(DEMONYMS, key=len, reverse=True)) + r")(?![a-z])"
)
DEMONYM_MARKERS = ("an", "ese", "brit")  # one is in every demonym


# ---- reading a text ------------------------------------------------------------------

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han characters, for regex classes


def any_of(markers: Iterable[str]) -> Callable[[str], bool]:
    """Whether a text holds any of ``markers``: a substring test each for a few markers,
    one regex scan for many."""
    markers = tuple(markers)
    if len(markers) > 7:
        return re.compile(trie_regex(markers)).search  # type: ignore[return-value]

    def holds_any(text: str) -> bool:  # a loop: any() and a generator take twice as long
        for marker in markers:  # noqa: SIM110
            if marker in text:
                return True
        return False

    return holds_any


def _blank_date(m: re.Match[str]) -> str:
    """A month-name match out of the text, but for "may" alone: that is the verb."""
    if m["mn"] == "may" and not (m["y"] or m["d1"] or m["d2"]):
        return m[0]
    return " "


# (pattern, test for its markers, what replaces a match when only the rest is wanted)
_DATES = [
    (pattern, any_of(markers), _blank_date if "mn" in pattern.groupindex else " ")
    for pattern, markers in zip(DATE_RES, DATE_MARKERS, strict=True)
]


def dates_and_rest(form: str) -> tuple[list[str], str]:
    """Date mentions as Y-M-D strings ('?' where unknown), and the text without them."""
    found: list[str] = []

    def take(m: re.Match[str]) -> str:
        groups = m.groupdict()
        year = groups.get("y") or "?"
        month = groups.get("m") or (str(MONTHS[groups["mn"]]) if groups.get("mn") else "?")
        day = groups.get("d") or groups.get("d1") or groups.get("d2") or "?"
        if groups.get("mn") == "may" and year == "?" and day == "?":
            return m.group()  # "may" the verb
        found.append(f"{year}-{month.lstrip('0') or '0'}-{day.lstrip('0') or '0'}")
        return " "

    rest = form
    for pattern, markers, _ in _DATES:
        if markers(rest):
            rest = pattern.sub(take, rest)
    return sorted(found), rest


def without_dates(form: str) -> str:
    """What ``dates_and_rest`` leaves of ``form``, without the work of reading the dates."""
    for pattern, markers, blank in _DATES:
        if markers(form):
            form = pattern.sub(blank, form)
    return form


_MARKER_TESTS = {rule.markers: any_of(rule.markers) for rule in ROLE_PATTERNS}
# (tokens needed, test for the markers, the pattern, [(group, role of its party)])
_ROLES = [
    (rule.tokens, _MARKER_TESTS[rule.markers], rule.pattern,
     [(group, role) for group, role in enumerate(rule.roles, start=1) if role is not None])
    for rule in ROLE_PATTERNS
]  # fmt: skip


def party_roles(tagged: str, n_tokens: int) -> tuple[tuple[int, str], ...]:
    """Who acts and who receives, from explicit patterns only (向, from/to, supply verbs).
    ``tagged`` has its parties as tokens, ``n_tokens`` of them."""
    found: set[tuple[int, str]] = set()
    tested, holds = None, False
    for needed, markers, pattern, roles in _ROLES:
        if n_tokens < needed:
            continue
        if markers is not tested:  # patterns in a row with the same markers test them once
            tested, holds = markers, markers(tagged)
        if holds:
            for m in pattern.finditer(tagged):
                found.update((int(m[group]), role) for group, role in roles)
    return tuple(sorted(found))


_DEMONYM_MARKERS = any_of(DEMONYM_MARKERS)


def with_country_names(form: str) -> str:
    """Demonyms as the name of their country ("north korean" -> "north korea")."""
    if not _DEMONYM_MARKERS(form):
        return form
    return DEMONYM_RE.sub(lambda m: DEMONYMS[m[0]], form)


_NEGATION_EN_MARKERS = any_of(NEGATIONS_EN_MARKERS)


def negation_count(tagged: str) -> int:
    count = len(NEGATIONS_ZH.findall(tagged))
    if _NEGATION_EN_MARKERS(tagged):
        count += len(NEGATIONS_EN.findall(tagged))
    return count


class _SignalWords:
    """The antonym and topic words, indexed for finding them in a text: Latin ones as
    whole ``[a-z]+`` words, Han ones (of at most four characters) as substrings, by their
    first character. Other words (longer, mixed) were never found, and still are not."""

    def __init__(self) -> None:
        self.sides: dict[str, set[tuple[int, int]]] = {}  # word -> {(antonym pair, ±1)}
        for index, (positive, negative) in enumerate(ANTONYMS):
            for sign, side in ((1, positive), (-1, negative)):
                for word in side:
                    self.sides.setdefault(word, set()).add((index, sign))
        self.topics: dict[str, set[str]] = {}  # word -> its topics
        for topic, words in TOPICS.items():
            for word in words:
                self.topics.setdefault(word, set()).add(topic)
        every = self.sides.keys() | self.topics.keys()
        self.latin = frozenset(w for w in every if re.fullmatch("[a-z]+", w))
        self.han: dict[str, list[str]] = {}  # first character -> words
        for word in sorted(w for w in every if re.fullmatch(f"[{HAN}]{{1,4}}", w)):
            self.han.setdefault(word[0], []).append(word)
        self.han_start = re.compile(f"[{''.join(map(re.escape, self.han))}]")


_SIGNALS = _SignalWords()
_LATIN_WORD = re.compile("[a-z]+")


def signal_words(form: str) -> set[str]:
    """The antonym and topic words ``form`` uses."""
    words = set(_LATIN_WORD.findall(form)) & _SIGNALS.latin
    for first in set(_SIGNALS.han_start.findall(form)):
        words.update(w for w in _SIGNALS.han[first] if w in form)
    return words


def polarity(words: set[str]) -> tuple[tuple[int, int], ...]:
    """For each antonym pair, which side the text uses: (index, +1 or -1)."""
    used = {side for word in words for side in _SIGNALS.sides.get(word, ())}
    return tuple((index, sign) for index, sign in sorted(used) if (index, -sign) not in used)


def topics(words: set[str]) -> frozenset[str]:
    return frozenset(topic for word in words for topic in _SIGNALS.topics.get(word, ()))
