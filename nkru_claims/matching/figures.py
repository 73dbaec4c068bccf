"""Read the figures a text states, in zh-Hant, zh-Hans, en, ko and ja.

"超過2萬8000個貨櫃", "200多万发炮弹", "컨테이너 약 1만3천 개", "300万発以上の砲弾" and
"over 28,000 containers" all state a figure: bounds, a unit, and how firm it is. The
reader works in three steps, each a small function:

1. ``_scan_number`` reads one written number at a position: digits with separators,
   decimals, CJK myriad chains (3万3000, 6천700, 1,500만, 1.1萬), Chinese numerals
   (一万两千), English words (six million, two dozen) and scale words (12k, 1.5bn).
2. The words before and after it say how firm it is (约/약/約/about; 逾/이상/以上/over;
   最多/최대/up to; 多/余/여 after the digits) and whether it is a range (10,000–12,000,
   1만~1만2천, between … and …).
3. The unit comes from a counter after the number (发/발/発 count rounds, 명/名/人
   people, 艘/척 ships), a noun after it (containers, 集装箱) or, as Korean and Japanese
   write it, a noun before it (컨테이너 … 개, 砲弾300万発).

A wrong figure is worse than none, so a number becomes a figure only when it has a
unit, and never when it is a calibre (152mm), a year or date, a clause or resolution
number (第51條), a model name (KN-23, 火星18), an ordinal or a time. What the reader
passed over, and why, is returned beside the figures (``Reading.skipped``), so that
``add`` and ``compare`` can say it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from nkru_claims.matching import units as U
from nkru_claims.matching.normalise import lowered, matching_view
from nkru_claims.matching.quantity import Quantity

_ZH_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_SMALL_MAG = {"十": 10, "百": 100, "千": 1000, "십": 10, "백": 100, "천": 1000}
_BIG_MAG = {"万": 10**4, "亿": 10**8, "兆": 10**12, "만": 10**4, "억": 10**8, "조": 10**12}
_EN_SCALE = {
    "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "k": 1000, "mn": 10**6, "bn": 10**9, "m": 10**6, "b": 10**9,
}  # fmt: skip
_EN_WORDS = {
    w: i for i, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])
} | {w: 10 * i for i, w in enumerate(
    ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2)}  # fmt: skip

_DIGITS = re.compile(
    r"\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?"
    r"|\d{1,3}(?: \d{3})+(?![\d.,]|\s?(?:mm|毫米|ミリ|㎜|밀리|cm)|[a-z])"  # 10 000, not "100 170mm"
    r"|\d+(?:\.\d+)?"
)
_ZH_RUN = re.compile("[零〇一二两三四五六七八九十百千万亿兆]+(?:点[零〇一二两三四五六七八九]+)?")
_EN_RUN = re.compile(
    r"(?:(?:(?:a|an|half\s+a)(?=\s+(?:hundred|thousand|million|billion|dozen))|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety)(?:[\s-]+(?:and\s+)?(?:one|two|three|four|five|six|seven|"
    r"eight|nine|hundred|thousand|million|billion|dozen))*|dozen)\b"
)
_SCALE_AFTER = re.compile(
    r"\s?(?:(hundred|thousand|million|billion|trillion)s?\b|(k|mn|bn)(?![a-z])|(m|b)(?=\s|$|[.,]))"
)
_START = re.compile("[0-9零〇一二两三四五六七八九十百千万亿数几何수上成]|(?<![a-z])[a-z]|[한두세네다여일아열스]")


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    value: Decimal
    lower: bool = False  # 200多万, 1만여: "more than" inside the number
    scaled: bool = False  # ends with a scale word (万, million): a range may share it


@dataclass
class Reading:
    """The figures of a text, in order, and the numbers passed over with the reason."""

    figures: list[Quantity] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def main(self) -> Quantity | None:
        """The claim's quantity: the first figure with a known unit, else the first figure."""
        known = [q for q in self.figures if q.unit in U.UNIT_NOUNS]
        return (known or self.figures or [None])[0]


def _one_of(s: str, k: int, chars: str) -> bool:
    """Is the character at ``k`` one of ``chars``? (False past the end, unlike ``in``.)"""
    return 0 <= k < len(s) and s[k] in chars



def _myriad(tokens: list[tuple[str, int]]) -> Decimal | None:
    """Value of a chain of coefficients and magnitudes: 3万3000, 6천700, 1亿2000万."""
    total, section, current, last_big = Decimal(0), Decimal(0), None, None
    for kind, value in tokens:
        if kind == "num":
            if current:  # 零 only holds a place: 一百零一
                return None  # two coefficients in a row: 三四 ("three or four")
            current = Decimal(value) if not isinstance(value, Decimal) else value
        elif kind == "small":
            section += (current if current is not None else Decimal(1)) * value
            current = None
        else:  # a myriad: 万, 亿
            section += current or 0
            current = None
            if section == 0 and last_big is not None and total:
                total *= value  # 万亿: a myriad of myriads
                last_big = value
                continue
            if section == 0:
                section = Decimal(1)
            if last_big is not None and value > last_big:
                total = (total + section) * value
            else:
                total += section * value
            last_big, section = value, Decimal(0)
    return total + section + (current or 0)


def _zh_tokens(run: str) -> list[tuple[str, object]]:
    if "点" in run:
        whole, frac = run.split("点", 1)
        tokens = _zh_tokens(whole)
        digits = "".join(str(_ZH_DIGIT[c]) for c in frac)
        if tokens and tokens[-1][0] == "num":
            tokens[-1] = ("num", Decimal(f"{tokens[-1][1]}.{digits}"))
        return tokens
    tokens: list[tuple[str, object]] = []
    for c in run:
        if c in _ZH_DIGIT:
            tokens.append(("num", _ZH_DIGIT[c]))
        elif c in _SMALL_MAG:
            tokens.append(("small", _SMALL_MAG[c]))
        else:
            tokens.append(("big", _BIG_MAG[c]))
    return tokens


def _english_value(words: str) -> Decimal | None:
    total, current, seen = Decimal(0), Decimal(0), False
    for w in re.split(r"[\s-]+", words):
        if w in ("and", ""):
            continue
        if w in ("a", "an"):
            current, seen = (current or Decimal(1)), True  # "half a million" keeps its half
        elif w == "half":
            current, seen = Decimal("0.5"), True
        elif w in _EN_WORDS:
            current += _EN_WORDS[w]
            seen = True
        elif w == "dozen":
            current = (current or 1) * 12
            seen = True
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _EN_SCALE and seen:
            total += current * _EN_SCALE[w]
            current = Decimal(0)
        else:
            return None
    return total + current if seen else None


_KO_NATIVE = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
              "아홉": 9, "열": 10, "스무": 20}
_KO_NATIVE_RE = re.compile(
    "(다섯|여섯|일곱|여덟|아홉|스무|한|두|세|네|열)\\s?(?=(?:명|척|대|발|기|개|곳|문|량|차례)(?![가-힣]{2}))")


def _scan_number(view: str, low: str, i: int) -> _Number | None:
    """One written number starting at ``i``, or None."""
    if "가" <= low[i : i + 1] <= "힣":  # 세 척, 두 명: Korean's own numerals count only before a counter
        m = _KO_NATIVE_RE.match(low, i)
        if m is None or (i and "가" <= low[i - 1] <= "힣"):
            return None
        return _Number(i, i + len(m.group(1)), Decimal(_KO_NATIVE[m.group(1)]))
    tokens: list[tuple[str, object]] = []
    j, lower = i, False
    while True:
        m = _DIGITS.match(view, j) if view[j : j + 1].isdigit() else None
        if m:
            if tokens and tokens[-1][0] == "num":
                break
            tokens.append(("num", Decimal(m.group().replace(",", "").replace(" ", ""))))
            j = m.end()
        elif (m := _ZH_RUN.match(view, j)) and (
            not tokens or tokens[-1][0] != "num" or m.group()[0] not in _ZH_DIGIT
        ):
            if m.group() in ("万一", "千万") and not tokens:
                return None  # "in case", "by all means"
            tokens.extend(_zh_tokens(m.group()))
            j = m.end()
        elif tokens and _one_of(view, j, "만억천백십조兆"):
            mag = view[j]
            tokens.append(("big", _BIG_MAG[mag]) if mag in _BIG_MAG else ("small", _SMALL_MAG[mag]))
            j += 1
        else:
            break
        # between parts: "1만 6000", "200多万", "1만여 명"
        k = j
        if view[k : k + 1] == " " and (
            view[k + 1 : k + 2].isdigit() or _one_of(view, k + 1, "万亿만억천")
        ):
            if tokens[-1][0] != "num" or _one_of(view, k + 1, "万亿만억천"):
                j = k + 1
                continue
        if _one_of(view, k, "多余") and _one_of(view, k + 1, "万亿千百"):
            lower, j = True, k + 1
            continue
        if view[k : k + 1] == "여" and _one_of(view, k + 1, "만억천"):
            lower, j = True, k + 1
            continue
    if not tokens:
        m = _EN_RUN.match(low, i)
        if not m or (i and low[i - 1].isalpha()):
            return None
        value = _english_value(m.group())
        if value is None:
            return None
        j = m.end()
        scaled = bool(re.search(r"(?:thousand|million|billion|dozen)$", m.group()))
        return _Number(i, j, value, scaled=scaled)
    value = _myriad(tokens)  # type: ignore[arg-type]
    if value is None:
        return None
    scaled = tokens[-1][0] != "num"
    if tokens[-1][0] == "num" and (m := _SCALE_AFTER.match(low, j)):
        scale = m.group(1) or m.group(2) or m.group(3)
        if scale in ("m", "b") and not (i and view[i - 1] == "$"):
            pass  # "1.5m" alone may be metres: only with a currency sign
        else:
            value *= _EN_SCALE[scale]
            j, scaled = m.end(), True
    return _Number(i, j, value, lower=lower, scaled=scaled)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    def alternation(words: list[str], *, end: bool = False) -> str:
        keys = sorted({U.lexicon_key(w) for w in words}, key=len, reverse=True)
        parts = []
        for k in keys:
            body = re.escape(k).replace(r"\ ", r"\s+")
            parts.append(
                rf"(?<![a-z]){body}(?![a-z])" if k[0].isascii() and k[0].isalpha() else body
            )
        return "|".join(parts)

    return {
        "approx_before": re.compile(rf"(?:{alternation(U.APPROX_BEFORE)})\s*[有达为是了在]?\s*$"),
        "lower_before": re.compile(rf"(?:{alternation(U.LOWER_BEFORE)})\s*[有达为是了在]?\s*$"),
        "upper_before": re.compile(rf"(?:{alternation(U.UPPER_BEFORE)})\s*[有达为是了在]?\s*$"),
        "approx_after": re.compile(rf"\s*(?:{alternation(U.APPROX_AFTER)})"),
        "lower_after": re.compile(rf"\s*(?:{'|'.join(map(re.escape, U.PARTICLES))})?\s*(?:{alternation(U.LOWER_AFTER)})"),
        "upper_after": re.compile(rf"\s*(?:{alternation(U.UPPER_AFTER)})"),
        "not_after": re.compile(rf"\s?(?:{alternation(U.NOT_A_FIGURE_AFTER)})"),
        "not_before": re.compile(rf"(?:{alternation(U.NOT_A_FIGURE_BEFORE)})\s?[-]?\s?$"),
        "counter": re.compile(rf"\s?(?:{alternation(list(U.COUNTERS))})"),
        "unit": re.compile(U.unit_pattern()),
        "troops": re.compile(alternation(U.TROOP_CONTEXT)),
        "range_sep": re.compile(r"\s*(?:-|–|—|~|〜|∼|～|至|到|to|부터|から)\s*"),
        "year_context": re.compile(
            r"(?:\b(?:in|since|from|by|until|till|during|before|after|of|the|early|mid|late|"
            r"end of|start of)\s*-?\s*$)"),
        "vague_cjk": re.compile("(?:数|几|何|수)(?:十万|百万|千万|十亿|십만|백만|천만|십억|[十百千万亿십백천만억])"),
        "vague_up": re.compile("上(?:百万|千万|[百千万亿])"),
        "vague_en": re.compile(
            r"(?<![a-z])(?:(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|scores|hundreds|"
            r"thousands|millions|billions|(?:several|a\s+few)\s+(?:hundred|thousand|million))"
            r"(?:\s+of)?(?![a-z])"),
    }  # fmt: skip


_STOP = re.compile(r"[。，,;；:：!?！？()（）\[\]\"“”、]")


def _noun_after(low: str, j: int, *, window: int, cjk: bool) -> tuple[str, int] | None:
    """The unit noun the figure counts, starting within ``window`` characters after ``j``,
    not past a clause break or another number; English skips at most three words
    ("1,500 North Korean soldiers", "100 170mm self-propelled howitzers")."""
    p = _patterns()
    stop = _STOP.search(low, j)
    limit = min(len(low), j + window, stop.start() if stop else len(low))
    if not cjk:
        m = re.match(
            r"\s*(?:of\s+)?(?:(?:the|its|their|[a-z0-9]+(?:-[a-z0-9]+)*)\s+){0,3}", low[j:limit]
        )
        reach = j + (m.end() if m else 0)
        k = j
        while k <= min(reach, limit - 1):
            if not (k > j and low[k - 1].isalnum()):
                u = p["unit"].match(low, k)
                if u:
                    words = " ".join(u.group().split())
                    follow = re.match(r"\s([a-z]{3,})(?![a-z])", low[u.end() :])
                    if (
                        follow
                        and follow.group(1).endswith("s")
                        and follow.group(1) not in _EN_NOT_NOUNS
                    ):
                        if follow.group(1) in U.unit_lookup():  # "special forces troops"
                            return U.unit_lookup()[follow.group(1)], u.end() + follow.end()
                        return None  # "round trips", "tank crews": another noun is counted
                    return U.unit_lookup().get(words), u.end()
            k += 1
        return None
    number_ahead = re.compile(r"(?<![a-z0-9-])\d|[一二两三四五六七八九十百千万]").search(
        low, j + 1, limit
    )
    limit = number_ahead.start() if number_ahead else limit
    for k in range(j, limit):
        u = p["unit"].match(low, k)
        if u:
            return U.unit_lookup().get(" ".join(u.group().split())), u.end()
    return None


_MODIFIER = re.compile(r"[的の]|의\s")


def _noun_before(low: str, i: int, *, window: int = 14, adjacent: bool = False) -> str | None:
    """The nearest unit noun ending within ``window`` characters before ``i`` (Korean and
    Japanese name the thing first: 컨테이너 약 1만3천 개, 砲弾300万発)."""
    start = max(0, i - window)
    stops = [m.end() for m in _STOP.finditer(low, start, i)]
    stops += [m.end() for m in _MODIFIER.finditer(low, start, i)]
    start = max([start, *stops])
    best = None
    for m in _patterns()["unit"].finditer(low, start, i):
        best = m
    if best is None:
        return None
    if adjacent and not _JOINS_NOUN_TO_COUNT.fullmatch(low[best.end() : i]):
        return None
    return U.unit_lookup().get(" ".join(best.group().split()))


#: What may stand between a noun and its count when the count does not close its phrase:
#: particles and a quoted name (弾道ミサイル「KN23」を少なくとも50発).
_JOINS_NOUN_TO_COUNT = re.compile(
    r"(?:\s|[をがはも]|「[^」]{0,12}」|[\"“][^\"”]{0,12}[\"”]|[a-z0-9-]{1,12}|약|총|최소|최대)*")


def _clause(low: str, i: int, j: int) -> tuple[int, int]:
    """The stretch of text that speaks of the figure at ``i``..``j``: back to the previous
    number or clause break, on to the next number or clause break (at most 40 characters
    each way)."""
    back = [m.end() for m in re.finditer(r"[。，,;；:：!?！？\n]|\d", low[max(0, i - 40) : i])]
    left = max(0, i - 40) + (back[-1] if back else 0)
    ahead = re.search(r"[。，,;；:：!?！？\n]|(?<![a-z])\d", low[j : j + 40])
    right = j + (ahead.start() if ahead else min(40, len(low) - j))
    return left, right


_CASUALTY_ORDER = ("casualties", "killed", "wounded", "workers")


def _person_unit(low: str, i: int, j: int, before: str | None) -> str:
    """What a person count counts: a casualty or worker word in its clause, else the noun
    before it (병력, 北朝鮮兵), else troop words around it, else "people"."""
    left, right = _clause(low, i, j)
    clause = low[left:right]
    for unit in _CASUALTY_ORDER:
        if any(U.lexicon_key(w) in clause for w in U.UNIT_NOUNS[unit] if not w.isascii()):
            return unit
    if before in U.PERSON_UNITS:
        return before
    if _patterns()["troops"].search(low[max(0, i - 30) : j + 20]):
        return "soldiers"
    return before if before == "people" else "people"


def read_figures(text: str) -> Reading:
    """Every figure ``text`` states, in order, with the numbers it passed over and why."""
    view, owners = matching_view(text)
    low = lowered(view)
    reading = Reading()
    i = 0
    while i < len(low):
        m = _START.search(low, i)
        if not m:
            break
        i = m.start()
        found = _figure_at(text, view, low, owners, i, reading)
        i = found if found > i else i + 1
    return reading


_MAGS = _SMALL_MAG | _BIG_MAG
_FEW_TENS = re.compile("([一二两三四五六七八九]?)十几(亿|万|千|百)?")
_COUNTLESS = re.compile("数以(十万|百万|千万|亿|万|千|百)计")
_THOUSANDS_UPON = {"成千上万": (10**3, 10**5), "成百上千": (10**2, 10**4), "成千上百": (10**2, 10**4)}


def _magnitude(chars: str) -> Decimal:
    value = Decimal(1)
    for mag in chars:
        value *= _MAGS[mag]
    return value


def _vague_at(low: str, i: int) -> tuple[int, Decimal, Decimal | None, bool] | None:
    """A vague count at ``i`` (数十, 수백만, dozens of, 上万, 十几万, 数以万计, 成千上万):
    (end, low, high or None, approximate). A vague count runs from its magnitude to ten
    times it; 上万 is a floor; 十几万 is 110,000–190,000."""
    p = _patterns()
    for phrase, (lo, hi) in _THOUSANDS_UPON.items():
        if low.startswith(phrase, i):
            return i + len(phrase), Decimal(lo), Decimal(hi), True
    if m := _COUNTLESS.match(low, i):
        mag = _magnitude(m.group(1))
        return m.end(), mag, mag * 10, True
    if m := _FEW_TENS.match(low, i):
        if i and (low[i - 1] in _ZH_DIGIT or low[i - 1] in _MAGS):
            return None
        tens = 10 * (_ZH_DIGIT.get(m.group(1), 1) if m.group(1) else 1)
        mag = _magnitude(m.group(2) or "")
        return m.end(), (tens + 1) * mag, (tens + 9) * mag, True
    if m := p["vague_cjk"].match(low, i):
        if low[i] == "수" and i and "가" <= low[i - 1] <= "힣":
            return None  # 수 inside a word (보수, 접수)
        if low[i] in "数几何" and i and low[i - 1] in "以":
            return None
        mag = _magnitude("".join(re.findall("十|百|千|万|亿|십|백|천|만|억", m.group())))
        return m.end(), mag, mag * 10, True
    if m := p["vague_up"].match(low, i):
        if i and low[i - 1] in "以成":  # 以上 is not 上; 成千上万 is read above
            return None
        return m.end(), _magnitude(m.group()[1:]), None, False
    if m := p["vague_en"].match(low, i):
        key = re.sub(r"\s+of$", "", " ".join(m.group().split()))
        mag = Decimal(U.VAGUE_EN[key])
        return m.end(), mag, mag * 10, True
    return None


def _figure_at(text: str, view: str, low: str, owners: list[int], i: int, reading: Reading) -> int:
    """Read the figure starting at ``i`` into ``reading``; returns where reading goes on."""
    p = _patterns()
    vague = _vague_at(low, i)
    number = None if vague else _scan_number(view, low, i)
    if number is None and vague is None:
        return i + 1
    before = low[max(0, i - 24) : i]
    end = vague[0] if vague else number.end  # type: ignore[union-attr]
    shown = text[owners[i] : owners[end - 1] + 1]
    if number is not None:
        prev = low[i - 1 : i]
        nxt = low[end : end + 1]
        if prev.isalpha() and prev.isascii() or (prev == "-" and low[i - 2 : i - 1].isalpha()):
            reading.skipped.append(f"{shown}: part of a name or code")
            return _skip_word(low, end)
        if (
            nxt.isascii()
            and nxt.isalpha()
            and not p["not_after"].match(low, end)
            and not p["unit"].match(low, end)
        ):
            reading.skipped.append(f"{shown}: part of a name or code")
            return _skip_word(low, end)
        if low[i - 1 : i] == "之" or re.match(r"one\s+of\b", low[i:]) or (
            number.value == 1 and re.search(r"(?:중|가운데)\s*$|のうち$|の$", before)
        ) or (re.search(r"\b(?:the|these|those|both)\s+$", before) and low[i].isalpha()):
            reading.skipped.append(f"{shown}: \"one of\", not a count")
            return end
        if p["not_before"].search(before):
            reading.skipped.append(f"{shown}: a label or model number, not an amount")
            return end
        if (
            _one_of(prev, 0, "/-.")
            and low[i - 2 : i - 1].isdigit()
            or (
                _one_of(nxt, 0, "/-")
                and low[end + 1 : end + 2].isdigit()
                and not p["range_sep"].match(low, end)
            )
        ):
            reading.skipped.append(f"{shown}: a date or code")
            return _skip_word(low, end)
        if re.fullmatch(r"(?:1[89]|20)\d\d", low[i:end]) and (
            p["year_context"].search(before) or p["not_after"].match(low, end)
        ):
            reading.skipped.append(f"{shown}: a year")
            return end
        if (
            (nm := p["not_after"].match(low, end))
            and not p["counter"].match(low, end)
            or (nm and nm.group().strip() in ("年", "月", "日", "号", "时", "点", "次", "回"))
        ):
            reading.skipped.append(f"{shown}: a date, time, calibre or ordinal")
            return nm.end()
    # a range: 10,000–12,000; 1만~1만2천; between 10,000 and 12,000
    low_value = high_value = None
    between_at = i
    j = end
    if number is not None and (sep := p["range_sep"].match(low, j)):
        second = _scan_number(view, low, sep.end())
        if second and not re.fullmatch(r"(?:1[89]|20)\d\d", low[i:end]):
            lo, hi = number.value, second.value
            if second.scaled and not number.scaled:
                for scale in (10**4, 10**8, 10**3, 10**6, 10**9):
                    if lo * scale <= hi < lo * scale * 10:
                        lo *= scale
                        break
            if lo < hi:
                low_value, high_value, j = lo, hi, second.end
    if number is not None and low_value is None and re.search(r"between\s*$", before):
        if (and_ := re.match(r"\s+and\s+", low[j:])) and (
            second := _scan_number(view, low, j + and_.end())
        ):
            low_value, high_value, j = (
                min(number.value, second.value),
                max(number.value, second.value),
                second.end,
            )
            between_at = i - (len(before) - before.rindex("between"))
    kinds: set[str] = set()
    start = _before_sign(low, i)
    start = _markers_before(low, min(start, between_at), kinds)
    if number is not None and number.lower:
        kinds.add("lower")
    j = _markers_after(low, j, kinds)
    counter_unit, counter_seen, counter_at = None, False, j
    if c := p["counter"].match(low, j):
        word = c.group().strip()
        if not (word.isascii() and low[c.end() : c.end() + 1].isalpha()):
            counter_unit, counter_seen = U.counter_lookup().get(word), True
            j = c.end()
            if re.match(r"\s*(?:当たり|当り|あたり|당(?![가-힣])|每)", low[j:]):
                reading.skipped.append(f"{shown}: a rate (per person, per unit), not a count")
                return j
    counter_end = j
    if number is not None and low_value is None and counter_seen:
        # a range written with its counter twice: 1万1000人至1万2000人, 1만 명에서 1만5000명
        sep = p["range_sep"].match(low, j) or re.compile(r"\s*에서\s*").match(low, j)
        second = _scan_number(view, low, sep.end()) if sep else None
        if second and second.value > number.value and p["counter"].match(low, second.end):
            low_value, high_value = number.value, second.value
            j = counter_end = p["counter"].match(low, second.end).end()  # type: ignore[union-attr]
    j = _markers_after(low, j, kinds)
    unit, noun_end = _unit_for(
        text, low, owners, i, start, j, counter_unit, counter_seen, counter_at, counter_end,
        vague=vague is not None)
    currency = _currency_sign(low, start, i)
    if currency:
        unit = currency  # "$2,000 a month per soldier" is money
    if unit is None:
        if number is not None:
            reading.skipped.append(f"{shown}: no unit, so not recorded as a figure")
        return max(j, end)
    j = _markers_after(low, max(j, noun_end), kinds)
    if vague:
        lo, hi, approximate = vague[1], vague[2], vague[3]
    elif "vague" in kinds and number is not None:  # 千人単位, 천 명 단위: by the thousand
        lo, hi, approximate = number.value, number.value * 10, True
    elif low_value is not None:
        lo, hi, approximate = low_value, high_value, "approx" in kinds
    else:
        lo = hi = number.value  # type: ignore[union-attr]
        approximate = "approx" in kinds
        if "lower" in kinds and "upper" not in kinds:
            hi = None
        elif "upper" in kinds and "lower" not in kinds:
            lo = None
    text_end = owners[min(max(j, noun_end), len(owners)) - 1] + 1
    reading.figures.append(
        Quantity(
            low=None if lo is None else float(lo),
            high=None if hi is None else float(hi),
            unit=unit,
            approximate=approximate,
            text=text[owners[start] : text_end].strip(),
        )
    )
    return max(end, j if low_value is not None else end)


_CJK_NOUN_STOP = re.compile(
    r"[\s的之和及与了在向将把被给到从对共约为是已并、，。,.;:!?()0-9\u3040-\u309f]|[을를이가은는의에와과도로]"
)
_REFINE_PERSON = {
    "casualties": ["killed or wounded", "dead or wounded", "killed and wounded", "casualties",
                   "killed or injured", "dead or injured", "killed and injured",
                   "死伤", "伤亡", "사상", "死傷"],
    "killed": ["killed", "died", "dead", "死亡", "阵亡", "丧生", "사망", "전사", "숨졌", "숨진",
               "숨져", "戦死", "死亡し"],
    "wounded": ["wounded", "injured", "受伤", "부상", "負傷", "负伤"],
}  # fmt: skip


def _refine_person(unit: str, low: str, i: int, j: int) -> str:
    """"4,000 troops killed or wounded" counts casualties, and 北韓陣亡士兵2000人 the
    killed: a casualty word in the figure's own clause refines a count of people."""
    if unit not in ("soldiers", "people"):
        return unit
    left, right = _clause(low, i, j)
    clause = low[left:right]
    for refined, words in _REFINE_PERSON.items():
        if any(U.lexicon_key(w) in clause for w in words):
            return refined
    return unit


def _written_noun(text: str, low: str, owners: list[int], j: int) -> tuple[str, int] | None:
    """A counted noun the lexicon does not know, kept as written: "11 round trips",
    "10套防空系统", "4개 여단". English: one or two words ending in a plural; CJK: the run of
    characters after the counter up to a particle."""
    rest = low[j:]
    if rest.lstrip()[:1].isascii():
        m = re.match(
            r"\s+(?:(?:north|south|korean|russian|ukrainian|chinese|american|japanese|"
            r"additional|more|new|other)\s+){0,3}((?:[a-z][a-z-]+\s+)?[a-z][a-z-]+s)(?![a-z])",
            rest,
        )
        if (
            not m
            or m.group(1).split()[-1] in _EN_NOT_NOUNS
            or m.group(1).split()[0] in _EN_NOT_NOUNS
        ):
            return None
        words = m.group(1)
        return words, j + m.end()
    m = re.match(r"\s?", rest)
    k = j + (m.end() if m else 0)
    head = low.find("的", k, k + 10)
    if head != -1:  # 一件朝鲜提供的武器: the noun after 的 is what is counted
        k = head + 1
    stop = _CJK_NOUN_STOP.search(low, k)
    verb = _CJK_STOP_WORDS.search(low, k, k + 6)
    end = min(stop.start() if stop else len(low), verb.start() if verb else len(low), k + 6)
    if end - k < 1 or not all(not ch.isascii() for ch in low[k:end]):
        return None
    return text[owners[k] : owners[end - 1] + 1], end


_EN_NOT_NOUNS = {
    "was", "has", "is", "its", "this", "years", "times", "days", "months", "weeks", "hours",
    "as", "us", "less", "thus", "plus", "minus", "his", "does", "says",
}  # fmt: skip


def _unit_for(
    text: str,
    low: str,
    owners: list[int],
    i: int,
    start: int,
    j: int,
    counter_unit: str | None,
    counter_seen: bool,
    counter_at: int,
    counter_end: int,
    vague: bool = False,
) -> tuple[str | None, int]:
    """The unit of the figure at ``i``, and where its words end.

    A noun right after the number (or its counter) names what is counted; a counter alone
    says it (发 rounds, 艘 ships, 명 people); Korean and Japanese name the thing before
    the number (컨테이너 약 1만3천 개), which counts when a counter follows. A person
    counter takes its unit from the clause around it (派兵, 사상, killed).
    """
    following = low[counter_at : counter_at + 3].strip()[:1]
    cjk = bool(following) and not following.isascii()
    person = counter_unit == "people"
    if cjk and counter_seen and "가" <= following <= "힣":
        near = _noun_before(low, start, window=22, adjacent=True)
        if near is not None:  # 컨테이너 1만3천 개 넘는 탄약: Korean names the thing first
            return (_person_unit(low, i, j, near) if person else _refine_person(near, low, i, j)), j
    if cjk:
        found = _cjk_noun_after(low, j, counter_unit)
        if found is None and not counter_seen:
            if vague:  # 傷亡數以萬計: a vague count may follow its noun without a counter
                near = _noun_before(low, start, window=8, adjacent=True)
                return (_refine_person(near, low, i, j), j) if near else (None, j)
            return None, j  # a CJK count without its counter is a count only before its noun
        if found is not None and found[0] not in U.UNIT_NOUNS and counter_seen:
            near = _noun_before(low, start, window=22, adjacent=True)
            if near is not None:  # 無人機を数百機生産: the noun before, not the verb after
                found = None
    else:
        verb = re.search(r"(?<![a-z])(killed|wounded|injured)\s+$", low[max(0, start - 12) : start])
        if verb:  # "strikes killed 12 and wounded 45"
            return ("killed" if verb.group(1) == "killed" else "wounded"), j
        found = _noun_after(low, j, window=60, cjk=False)
    unit_after, noun_end = found if found else (None, j)
    if unit_after == "percent" and low[j : j + 1] != "%" and noun_end - j > 12:
        unit_after = None
    if person and unit_after is not None and unit_after not in (*U.PERSON_UNITS, "people"):
        unit_after, noun_end = None, j  # 数十人在无人机袭击中丧生: the drones are not counted
    if unit_after is not None:
        return _refine_person(unit_after, low, i, noun_end), noun_end
    before_unit = None
    if counter_seen:
        before_unit = _noun_before(low, start, window=22, adjacent=not _phrase_ends(low, j))
    if person:
        return _person_unit(low, i, j, before_unit), j
    if before_unit is not None and (counter_unit is None or counter_unit in _BROAD_COUNTS):
        return _refine_person(before_unit, low, i, j), j
    if counter_unit is not None:
        return counter_unit, j
    if counter_seen and j == counter_end:
        written = _written_noun(text, low, owners, j) if cjk else None
        if written is None and cjk and _phrase_ends(low, j):
            before = _written_noun_before(text, low, owners, start)
            return (before, j) if before else (None, j)
        return written or (None, j)
    if not cjk:
        return _written_noun(text, low, owners, j) or (None, j)
    return None, j


#: Counters whose own unit is a broad class: a noun before them is more precise
#: (戦車50両 are tanks, not just vehicles; 导弹2发 are missiles, not shells).
_BROAD_COUNTS = {"vehicles", "aircraft", "artillery pieces", "shells", "ships"}
_CJK_STOP_WORDS = re.compile(
    "部署|实施|運送|运送|运输|運輸|提供|发射|發射|派遣|派出|进行|進行|参与|參與|参加|參加|接受|遭到|"
    "抵达|抵達|前往|用于|用於|负责|負責|作为|作為|转移|轉移|移送|停放|开往|開往|实施|實施|运往|運往"
)


_CJK_PHRASE_STOP = re.compile(
    r"(?<![a-z0-9-])\d|[一二两三四五六七八九十百千万]|[在向将把被给到从对为是已并和与及、了]|"
    r"[을를이가은는의에와과도로]\s|[をがはにでと]|(?<=[\u4e00-\u9fff\u3040-\u30ff])\s"
)


def _cjk_noun_after(low: str, j: int, counter_unit: str | None) -> tuple[str | None, int] | None:
    """The unit noun of a CJK count: the noun phrase after the counter ends at a verb, a
    particle, punctuation or another number; within it, a noun that agrees with the
    counter wins, then one right after the counter, then the phrase's last (its head:
    短程弹道导弹 counts missiles, not 弹)."""
    p = _patterns()
    codes = sum(len(c) for c in re.findall(r"[a-z0-9-]+|[\s「」\"“”]", low[j : j + 20]))
    end = min(len(low), j + 8 + codes)  # 北韓KN-23飛彈: a model name does not end the phrase
    if "的" in low[j:end]:  # 数十枚朝鲜制造的KN-23导弹: the head comes after 的
        end = min(len(low), max(end, low.index("的", j) + 9))
    for stop in (_STOP.search(low, j, end), _CJK_STOP_WORDS.search(low, j, end),
                 _CJK_PHRASE_STOP.search(low, j + 1, end)):
        if stop is not None:
            end = min(end, stop.start())
    nouns = []
    k = j
    while k < end:
        u = p["unit"].match(low, k)
        if u and u.end() <= max(end, k + 1) + 6:
            nouns.append((U.unit_lookup().get(" ".join(u.group().split())), u.start(), u.end()))
            k = u.end()
        else:
            k += 1
    if not nouns:
        return None
    for unit, _, noun_end in nouns:
        if counter_unit is not None and unit == counter_unit:
            return unit, noun_end
    first = nouns[0]
    if first[1] <= j + 1:
        return first[0], first[2]
    return nouns[-1][0], nouns[-1][2]


_PHRASE_END = re.compile(
    r"\s*(?:$|[。，,;；:：!?！？()（）、.]|(?:이|가|을|를|은|는|의|에|로|도|과|와|만|씩|이나|으로)(?![가-힣])"
    r"|[をがはにでともやへ]|[的了在已将被从向对为是并达達]|(?:以上|以下|左右|上下|程度|前後|가량|정도|이상|이하|남짓))"
)


def _phrase_ends(low: str, j: int) -> bool:
    """Nothing noun-like follows the counter: the count closes its phrase, so Korean,
    Japanese and Chinese put its noun before it (화차 10량이, 防空系统上百套。)."""
    return _PHRASE_END.match(low, j) is not None


def _written_noun_before(text: str, low: str, owners: list[int], start: int) -> str | None:
    """A counted noun the lexicon does not know, written before a Korean or Japanese count
    (화차 최소 74량 → 화차, 貨車少なくとも70両 → 貨車), kept as written."""
    before = low[max(0, start - 12) : start].rstrip()
    for stop in _CJK_STOP_WORDS.finditer(before):
        before = " " * stop.end() + before[stop.end() :]
    m = re.search(r"([가-힣]{1,6})$", before)
    if m is None:
        m = re.search(r"([\u4e00-\u9fff\u30a0-\u30ff]{1,5})$", before)
    if m is None:
        return None
    word = re.sub(r"(?:은|는|이|가|을|를|의|에|도)$", "", m.group(1))
    if not word or word in ("약", "최소", "최대", "총", "모두", "共", "约", "約", "计", "共计"):
        return None
    offset = max(0, start - 12) + m.start(1)
    return text[owners[offset] : owners[offset + len(word) - 1] + 1]


def _before_sign(low: str, i: int) -> int:
    """Where a figure starts once a currency sign before its digits ($, US$, ₩) is counted."""
    for sign in sorted(U.CURRENCY_SIGNS, key=len, reverse=True):
        if low[max(0, i - len(sign) - 1) : i].rstrip().endswith(sign):
            return low.rindex(sign, 0, i)
    return i


def _currency_sign(low: str, start: int, i: int) -> str | None:
    between = low[start:i]
    for sign in sorted(U.CURRENCY_SIGNS, key=len, reverse=True):
        if sign in between:
            return U.CURRENCY_SIGNS[sign]
    return None


def _markers_before(low: str, start: int, kinds: set[str]) -> int:
    """Read "about", "over", "up to" (in any language) ending at ``start``, nearest first,
    up to three deep ("最多约", "just over ~"); returns where the figure's text starts."""
    p = _patterns()
    for _ in range(3):
        window_start = max(0, start - 24)
        window = low[window_start:start]
        best = None
        for kind in ("approx", "lower", "upper"):
            m = p[f"{kind}_before"].search(window)
            if m is None:
                continue
            if (
                kind == "approx"
                and m.group().startswith("近")
                and window[m.start() - 1 : m.start()] in ("最", "附", "接")
            ):
                continue  # 最近 is "recently", 附近 "nearby"
            if best is None or m.start() < best[1].start():
                best = (kind, m)
        if best is None:
            break
        kinds.add(best[0])
        start = window_start + best[1].start()
    return start


def _markers_after(low: str, j: int, kinds: set[str]) -> int:
    p = _patterns()
    if m := re.match(r"\s*(?:単位|단위)", low[j:]):  # 千人単位: by the thousand, vaguely
        kinds.add("vague")
        return j + m.end()
    for kind in ("approx", "lower", "upper"):
        if m := p[f"{kind}_after"].match(low, j):
            if m.group().strip() == "여" and (
                m.group()[0].isspace()
                or (
                    "가" <= low[m.end() : m.end() + 1] <= "힣"
                    and low[m.end()] not in "명개발대척기문톤"
                )
            ):
                continue  # 여단 (brigade), 여성: 여 is "over" only glued to the number
            kinds.add(kind)
            return m.end()
    return j


def _skip_word(low: str, j: int) -> int:
    while j < len(low) and low[j].isascii() and (low[j].isalnum() or low[j] == "-"):
        j += 1
    return j


def find_quantities(text: str) -> list[Quantity]:
    """Every figure in running text, in order; numbers without a unit are not figures."""
    return read_figures(text).figures


def read_bare_number(text: str) -> Quantity | None:
    """A whole input that is one number with its markers and no unit ("6,700",
    "about 12k", "1만3천 이상"), as a unit-less quantity; None when it is anything else."""
    view, _ = matching_view(text.strip())
    low = lowered(view)
    kinds: set[str] = set()
    first = _START.search(low)
    while first and not (_scan_number(view, low, first.start())):
        first = _START.search(low, first.start() + 1)
    if first is None:
        return None
    i = first.start()
    if low[: _markers_before(low, _before_sign(low, i), kinds)].strip():
        return None
    number = _scan_number(view, low, i)
    if number is None:
        return None
    j, hi_number = number.end, number
    if (sep := _patterns()["range_sep"].match(low, j)) and (
        second := _scan_number(view, low, sep.end())
    ):
        j, hi_number = second.end, second
    j = _markers_after(low, j, kinds)
    if low[j:].strip() or hi_number.value < number.value:
        return None
    if number.lower:
        kinds.add("lower")
    lo: Decimal | None = number.value
    hi: Decimal | None = hi_number.value
    if "lower" in kinds and "upper" not in kinds:
        hi = None
    elif "upper" in kinds and "lower" not in kinds:
        lo = None
    return Quantity(
        low=None if lo is None else float(lo),
        high=None if hi is None else float(hi),
        unit=None,
        approximate="approx" in kinds,
        text=text.strip(),
    )
