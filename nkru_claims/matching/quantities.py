"""Quantities in claims ("约6700个集装箱", "over 10,000 troops") as comparable values.

Reports of one claim word its numbers differently; reducing each phrase to bounds,
a canonical unit and an "approximate" flag lets matching compare what was claimed.

Vague amounts are read as lower bounds: 上万 ("reaching ten thousand") is at least
10,000 and not approximate; 数百万 / 几千 / "millions of" / "several thousand" are
approximate with the magnitude as the lower bound (数百万 -> at least 1,000,000). That
reading is one every report of the claim agrees with, whereas any guess at "several"
(2? 3?) would invent precision the source did not give.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from nkru_claims.errors import InvalidInput
from nkru_claims.matching.normalise import (
    NUMBER,
    NUMBER_STARTS,
    NUMBER_WORD_STARTS,
    magnitude,
    matching_view,
    normalise_text,
    number_value,
)
from nkru_claims.matching.quantity import Quantity

UNIT_WORDS: dict[str, list[str]] = {
    "shells": [
        "shell", "shells", "round", "rounds", "artillery shell", "artillery shells",
        "artillery round", "artillery rounds", "炮弹", "砲弹", "弹药", "발", "포탄", "탄약",
    ],
    "containers": ["container", "containers", "货柜", "集装箱", "컨테이너"],
    "soldiers": [
        "soldier", "soldiers", "troop", "troops", "personnel", "servicemen",
        "士兵", "军人", "官兵", "兵", "병력", "군인", "병사",
    ],
    "missiles": [
        "missile", "missiles", "ballistic missile", "ballistic missiles", "飞弹", "导弹", "미사일",
    ],
    "usd": ["usd", "dollar", "dollars", "us dollars", "美元", "美金", "달러"],
}  # fmt: skip
_UNITS = {word: unit for unit, words in UNIT_WORDS.items() for word in words}


def _alternation(words: list[str]) -> str:
    words = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


def _is_english(word: str) -> bool:
    return word[0].isascii() and word[0].isalpha()


def _markers(words: list[str]) -> str:
    """English words need word boundaries; CJK markers sit flush against the number."""
    return "|".join(
        rf"(?<![a-z]){_alternation([w])}(?![a-z])" if _is_english(w) else _alternation([w])
        for w in words
    )


_UPPER_WORDS = [
    "up to", "at most", "no more than", "fewer than", "less than", "or fewer", "or less",
    "不超过", "最多", "至多", "不到", "以下", "以内", "최대", "이하",
]  # fmt: skip
_LOWER_WORDS = [
    "over", "more than", "at least", "in excess of", "upwards of", "or more",
    "超过", "逾", "至少", "以上", "+", "이상",
]  # fmt: skip
_APPROX_WORDS = [
    "about", "around", "roughly", "some", "nearly", "almost", "approximately", "approx.",
    "an estimated", "estimated", "~", "约", "大约", "将近", "接近", "估算", "估计", "预计",
    "약", "余", "多", "左右", "여", "가량", "정도",
]  # fmt: skip
_UPPER, _LOWER = _markers(_UPPER_WORDS), _markers(_LOWER_WORDS)
_APPROX = _markers(_APPROX_WORDS) + r"|(?<!最)近"  # 最近 is "recently"
_KIND_RE = re.compile(rf"(?P<upper>{_UPPER})|(?P<lower>{_LOWER})|(?P<approx>{_APPROX})", re.I)
_AFTER_UNIT = ["左右", "以上", "以下", "以内", "가량", "정도", "이상", "이하"]
_AFTER_UNIT += ["or more", "or fewer", "or less"]
_POST = _markers(["余", "多", "+", "여", *_AFTER_UNIT])

_EN_ADJ = "north|south|korean|koreans|russian|dprk|ukrainian|additional|more|artillery|military"
_ZH_ADJ = "朝鲜人民军|朝鲜|北韩|俄罗斯|俄军|俄|乌克兰|韩国|现役"
_EN_UNIT = _alternation([u for u in _UNITS if u.isascii()])
_ZH_UNIT = _alternation([u for u in _UNITS if "一" <= u[0] <= "鿿"])
_KO_UNIT = _alternation([u for u in _UNITS if "가" <= u[0] <= "힣"])
_UNIT = (
    rf"(?:\s*(?:(?:{_EN_ADJ})\s+){{0,2}}(?P<en>{_EN_UNIT})(?![a-z])"
    rf"|(?P<cls>[个名枚发颗])?(?:{_ZH_ADJ})?(?P<zh>{_ZH_UNIT})"
    r"|(?P<bare>[发枚])(?!现|生|布|表|展|动|出|言|射)"  # a bare classifier counts rounds
    rf"|\s?(?P<ko>{_KO_UNIT})(?!사|표|견|생|전))"
)
_UNIT_RE = re.compile(_UNIT, re.I)
_VAGUE = (
    r"(?:[上数几][十百千万亿]+|수[십백천만억]+"
    r"|(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)\s+of"
    r"|(?:hundreds|thousands|millions|billions)\s+of"
    r"|several\s+(?:hundred|thousand|million|billion))"
)
_VAGUE_SCALE = {"tens": 10, "hundreds": 100, "thousands": 1000}
_VAGUE_SCALE |= {"millions": 10**6, "billions": 10**9}
_CUR = r"(?:us\$|\$|usd\s*)"
_SEP = r"\s*(?:-|–|—|~|至|到|to)\s*"


def _start() -> str:
    """A lookahead for what a quantity can start with: a marker or a number (an English
    one at the start of a word), a vague amount, "between", a sign or a currency. It
    changes no match, but the engine passes over most positions after a test or two
    instead of trying every marker at each."""
    markers = [*_UPPER_WORDS, *_LOWER_WORDS, *_APPROX_WORDS, "近"]
    at_word_start = {w[0] for w in markers if _is_english(w)} | set(NUMBER_WORD_STARTS)
    anywhere = {w[0] for w in markers if not _is_english(w)} | set(NUMBER_STARTS)
    anywhere |= set("上数几수-−负$")  # vague amounts (Chinese, Korean), signs, $
    words = "between|tens|hundreds|thousands|millions|billions|several|us"  # may follow a letter
    return (
        f"(?=[{''.join(map(re.escape, sorted(anywhere)))}]"
        f"|(?<![a-z])[{''.join(sorted(at_word_start))}]|{words})"
    )


_QUANTITY_RE = re.compile(
    rf"{_start()}(?P<pre>(?:(?:{_UPPER}|{_LOWER}|{_APPROX})(?:\s*[有达为了])?\s*){{0,4}})"
    rf"(?:between\s+(?P<b1>{NUMBER})\s+and\s+(?P<b2>{NUMBER})"
    rf"|(?P<vague>{_VAGUE})"
    rf"|(?P<neg>(?<![a-z0-9])[-−]|负)?(?P<cur>{_CUR})?(?P<n1>{NUMBER})"
    rf"(?:{_SEP}{_CUR}?(?P<n2>{NUMBER}))?)"
    rf"(?P<post>(?:\s*(?:{_POST})){{0,3}})(?P<unit>{_UNIT})?"
    rf"(?P<post2>(?:\s*(?:{_markers(_AFTER_UNIT)}))?)",
    re.I,
)
_TRAILING_SCALE = re.compile(
    r"(?:[十百千万亿백천만억]+|hundred|thousand|million|billion|trillion|k|bn|mn)$", re.I
)
_YEAR_CONTEXT = re.compile(r"\b(?:in|since|from|by|until|during|before|after|of|the)\s+$", re.I)


def canonical_unit(word: str) -> str | None:
    """Canonical unit for a unit word or phrase (发, 个集装箱, troops), None if not a unit."""
    if word.strip().casefold() in ("$", "us$"):
        return "usd"
    m = _UNIT_RE.fullmatch(normalise_text(word))
    return _unit_of(m) if m else None


def _unit_of(m: re.Match[str]) -> str | None:
    if m["en"]:
        return _UNITS[" ".join(m["en"].lower().split())]
    if m["zh"] or m["ko"]:
        return _UNITS[m["zh"] or m["ko"]]
    return "shells" if m["bare"] else None


def parse_number(text: str) -> float:
    """One number in any written form (6,700 / 六千七百 / 1.5k / 五百萬); nothing else."""
    view = matching_view(text)[0].strip()
    if re.match(r"[-−负]", view):
        raise InvalidInput(f"number cannot be negative: {text!r}")
    value = number_value(view) if re.fullmatch(NUMBER, view, re.I) else None
    if value is None:
        raise InvalidInput(f"not a number: {text!r}")
    return float(value)


def _range(low: str, high: str) -> tuple[Decimal, Decimal] | None:
    lo, hi = number_value(low), number_value(high)
    if lo is None or hi is None:
        return None
    scale = _TRAILING_SCALE.search(high)
    if scale and not _TRAILING_SCALE.search(low):  # "1-2 million", "三至五万"
        factor = magnitude(scale.group()) or Decimal(1)
        if lo * factor <= hi:
            lo *= factor
    return (lo, hi) if lo <= hi else (hi, lo)


def _build(m: re.Match[str], text: str, owners: list[int]) -> tuple[Quantity, bool] | None:
    """The quantity a match describes, and whether it was negative; None if it is not one."""
    kinds: set[str] = set()
    if m["pre"] or m["post"] or m["post2"]:  # most numbers have no marker to look for
        kinds = {k for km in _KIND_RE.finditer(m["pre"] + " | " + m["post"] + " | " + m["post2"])
                 for k, v in km.groupdict().items() if v}  # fmt: skip
    approximate = "approx" in kinds
    low: Decimal | None
    high: Decimal | None
    if m["vague"]:
        words = re.findall(r"[a-z]+|[^\W\d_a-z]", m["vague"].lower())  # 数百万 -> 数, 百, 万
        low = math.prod(Decimal(_VAGUE_SCALE.get(w) or magnitude(w) or 1) for w in words)
        high = None
        approximate = approximate or not m["vague"].startswith("上")
    elif m["b1"] or m["n2"]:
        bounds = _range(m["b1"] or m["n1"], m["b2"] or m["n2"])
        if bounds is None:
            return None
        low, high = bounds
    else:
        low = high = number_value(m["n1"])
        if low is None:
            return None
        if "lower" in kinds and "upper" not in kinds:
            high = None
        elif "upper" in kinds and "lower" not in kinds:
            low = None
    unit = _unit_of(m) if m["unit"] else None
    if unit is None and m["cur"]:
        unit = "usd"
    start, end = owners[m.start()], owners[m.end() - 1] + 1
    quantity = Quantity(
        low=None if low is None else float(low),
        high=None if high is None else float(high),
        unit=unit,
        approximate=approximate,
        text=text[start:end].strip(),
    )
    return quantity, bool(m["neg"])


def _is_year(m: re.Match[str], view: str) -> bool:
    """A year after "in"/"since" is a date: "In 2023 North Korean soldiers" are not 2023."""
    n1 = m["n1"] or ""
    return (
        not m["pre"] and not m["n2"] and re.fullmatch(r"(?:19|20)[0-9]{2}", n1) is not None
        and _YEAR_CONTEXT.search(view, 0, m.start()) is not None
    )  # fmt: skip


def find_quantities(text: str) -> list[Quantity]:
    """Every number-with-unit phrase in running text, in order; bare numbers and dates are not."""
    view, owners = matching_view(text)
    found = []
    for m in _QUANTITY_RE.finditer(view):
        if _is_year(m, view):
            continue
        built = _build(m, text, owners)
        if built and not built[1] and built[0].unit is not None:
            found.append(built[0])
    return found


def parse_quantity(text: str) -> Quantity:
    """The first quantity in user input such as "5 million shells" (a bare number is allowed)."""
    if not text.strip():
        raise InvalidInput("quantity is empty (expected something like '5 million shells')")
    view, owners = matching_view(text)
    candidates = [m for m in _QUANTITY_RE.finditer(view) if m["unit"] or m["cur"]]
    pos, endpos = len(view) - len(view.lstrip()), len(view.rstrip())
    whole = _QUANTITY_RE.fullmatch(view, pos, endpos)
    for m in [*candidates, *([whole] if whole else [])]:
        built = _build(m, text, owners)
        if built is None:
            continue
        if built[1]:
            raise InvalidInput(f"quantity cannot be negative: {text!r}")
        return built[0]
    raise InvalidInput(f"no quantity in {text!r} (expected something like '5 million shells')")
