"""Normal forms for matching claims written in Chinese (both scripts), English and Korean.

Reports of one claim differ in script, width, punctuation and how numbers are
written; matching must see through all of that. Everything here is pure (no I/O)
and the text functions never raise, because they sit under every lookup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache, lru_cache

import opencc

__all__ = [
    "NUMBER",
    "alias_key",
    "format_number",
    "magnitude",
    "matching_view",
    "normalise_numbers",
    "normalise_text",
    "number_value",
    "to_simplified",
    "trie_regex",
]


@cache
def _converter() -> opencc.OpenCC:
    """Built on first use (a few ms) so importing the core stays cheap."""
    return opencc.OpenCC("t2s")


_SURROGATE = re.compile("[\ud800-\udfff]")


def to_simplified(text: str) -> str:
    """One script, so that 北韓 and 北韩 compare equal."""
    if text.isascii():  # no key of OpenCC's t2s dictionaries holds an ASCII character
        return text
    return _simplified(text)


@lru_cache(maxsize=16)
def _simplified(text: str) -> str:
    """Cached for the last few texts: ``matching_text`` often converts one text twice in
    a row, to find its numbers and then to fold it."""
    try:
        return _converter().convert(text)
    except UnicodeEncodeError:  # OpenCC encodes to UTF-8, which lone surrogates cannot be
        return _converter().convert(_SURROGATE.sub("\ufffd", text))


def _fixpoint(step: Callable[[str], str], text: str) -> str:
    """Repeat until stable: NFKC, OpenCC and casefold do not quite commute."""
    for _ in range(10):
        nxt = step(text)
        if nxt == text:
            break
        text = nxt
    return text


class _FoldTable(dict[int, object]):
    """``str.translate`` table filled on first sight of each character: punctuation,
    symbols and control characters become spaces, invisible formatting characters
    (zero-width spaces…) vanish, everything else stays. Lookups after the first are C."""

    def __missing__(self, code: int) -> object:
        category = unicodedata.category(chr(code))
        if category[0] in "PS" or category == "Cc":
            value: object = " "
        elif category == "Cf":
            value = None
        else:
            value = code
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()
# Characters the table keeps as they are (a-z, 0-9, space, common Han and Hangul): a
# text of only these needs no translating, which a regex tells faster than ``translate``.
_UNFOLDED = re.compile("[a-z0-9 \u4e00-\u9fff\uac00-\ud7a3]*")


def _fold(text: str) -> str:
    text = to_simplified(unicodedata.normalize("NFKC", text)).casefold()
    if not _UNFOLDED.fullmatch(text):
        text = text.translate(_FOLD_TABLE)
    return " ".join(text.split())


def lowered(text: str) -> str:
    """Lower case with every character kept in place (a few characters lower to two,
    which would shift every position after them): positions in the result are the
    text's own."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def normalise_text(text: str) -> str:
    """The form two texts are compared in: width, script, case and punctuation erased."""
    return _fixpoint(_fold, text)


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_GAP = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")


def alias_key(name: str) -> str:
    """Lookup key for party aliases.

    Spaces between Han characters carry no meaning in Chinese, so 弗拉基米尔·普京,
    弗拉基米尔 普京 and 弗拉基米尔普京 share a key; English and Korean keep theirs.
    """
    return _fixpoint(lambda s: _HAN_GAP.sub("", normalise_text(s)), name)


def trie_regex(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first, with shared prefixes merged.

    It matches what the alternation of the words sorted longest first matches, trying the
    same lengths in the same order; but the engine tests each character once where the
    alternation would test it once per word.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie)


# --- numbers -----------------------------------------------------------------------------

_SCALE: dict[str, int] = {
    "十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8,
    "십": 10, "백": 100, "천": 1000, "만": 10**4, "억": 10**8,
    "hundred": 100, "thousand": 1000, "k": 1000, "million": 10**6, "mn": 10**6,
    "billion": 10**9, "bn": 10**9, "trillion": 10**12,
}  # fmt: skip
_EN_SMALL = {
    w: i
    for i, w in enumerate([
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen",
    ])
}  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_SMALL |= {w: 10 * i for i, w in enumerate(_TENS, 2)}
_EN_SCALES = "hundred|thousand|million|billion|trillion"
_EN_WORD = trie_regex([*_EN_SMALL, *_EN_SCALES.split("|")])

_ZH_DIGITS = "零〇一二两三四五六七八九"
_CJK_MAG = "十百千万亿백천만억"
_ARABIC = r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
_MAG_RUN = rf"\s?[{_CJK_MAG}]+(?![米克瓦])"  # 千米/千克/千瓦 are units, not thousands
# Atomic where a magnitude or scale must follow: any shorter match of the digits stops at a
# digit, "." or ",", which no magnitude or scale starts with, so retrying them is wasted.
_ARABIC_MAG = rf"(?>{_ARABIC}){_MAG_RUN}(?:\s?[0-9]+{_MAG_RUN})*(?![0-9])"
_ARABIC_EN = rf"(?>{_ARABIC})(?:\s*(?:{_EN_SCALES})|k|bn|mn)(?![a-z])"
_ZH = (
    rf"(?<![0-9{_ZH_DIGITS}{_CJK_MAG}点数几上成])"
    rf"[{_ZH_DIGITS}十百千万亿]+(?:点[{_ZH_DIGITS}]+)?"
)
_EN = (
    rf"(?:\b(?:a|an)\s+(?=(?:{_EN_SCALES})\b))?\b(?:{_EN_WORD})\b"
    rf"(?:(?:(?<=hundred)\s+and\s+|\s+|-)(?:{_EN_WORD})\b)*"
)
_ZH_FIRST = f"{_ZH_DIGITS}十百千万亿"
#: What a ``NUMBER`` match can start with: one of ``NUMBER_STARTS``, or at the start of a
#: word, one of ``NUMBER_WORD_STARTS`` (English number words; case is ignored).
NUMBER_STARTS = f"0123456789{_ZH_FIRST}"
NUMBER_WORD_STARTS = "".join(sorted({w[0] for w in [*_EN_SMALL, *_EN_SCALES.split("|"), "a"]}))
#: One number in any written form, matched against ``matching_view`` text (re.IGNORECASE).
#: No named groups, so callers can embed it more than once. Each branch starts with a
#: lookahead for the characters it can start with: it changes no match, but the regex
#: engine drops most positions after one character test instead of trying every branch.
NUMBER = (
    rf"(?=[{NUMBER_STARTS}]|\b[{NUMBER_WORD_STARTS}])"
    rf"(?:(?=[0-9])(?<![a-z0-9])(?<![0-9][.,])(?:{_ARABIC_MAG}|{_ARABIC_EN}|{_ARABIC})"
    rf"|(?=[{_ZH_FIRST}]){_ZH}|(?=[{NUMBER_WORD_STARTS}])\b{_EN})"
)
_NUMBER_RE = re.compile(NUMBER, re.IGNORECASE)
_ARABIC_GROUP = re.compile(rf"([0-9][0-9,]*(?:\.[0-9]+)?)\s*([a-z]+|[{_CJK_MAG}]*)", re.I)
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def magnitude(word: str) -> Decimal | None:
    """Multiplier of a magnitude word or run of CJK magnitude characters (百万 = 10**6)."""
    word = word.strip().lower()
    if word in _SCALE:
        return Decimal(_SCALE[word])
    if not word or any(c not in _SCALE for c in word):
        return None
    result = Decimal(1)
    for c in word:
        result *= _SCALE[c]
    return result


def _english_value(token: str) -> Decimal | None:
    words = [w for w in re.split(r"[\s-]+", token.lower()) if w != "and"]
    total = current = 0
    for w in words:
        if w in ("a", "an"):
            current = 1
        elif w in _EN_SMALL:
            v = _EN_SMALL[w]
            if current % 100 and (current % 10 or v >= 10):  # "five five", "twenty thirty"
                return None
            current += v
        elif w in _SCALE and current:  # a bare "million" is a word, not a number
            if w == "hundred":
                current *= 100
            else:
                total, current = total + current * _SCALE[w], 0
        else:
            return None
    return Decimal(total + current)


def _chinese_value(run: str) -> Decimal | None:
    import cn2an  # takes ~0.1 s to import: only pay it when Chinese numerals turn up

    if not any(c in "十百千万亿" for c in run) and 1 < len(run.split("点")[0]) < 4:
        return None  # 三四 / 七八 / 一一 mean "three or four" etc.; cn2an would say 34
    if run[0] in "百千万亿":
        run = "一" + run  # colloquial 百万/千名/万名; cn2an only accepts 一百万 etc.
    try:
        value = cn2an.cn2an(run, "smart")
    except (ValueError, KeyError):  # cn2an raises KeyError on some malformed runs (十亿一)
        return None
    return Decimal(str(value))


def number_value(token: str) -> Decimal | None:
    """Value of one token matched by ``NUMBER``; None when it only looks like a number."""
    token = token.strip()
    if not token:
        return None
    if token[0] in "0123456789":
        # Not cn2an: it truncates decimals here ("1.23456万" -> 12345, "0.00001万" -> 0).
        total = Decimal(0)
        for digits, suffix in _ARABIC_GROUP.findall(token):
            scale = magnitude(suffix) if suffix else Decimal(1)
            if scale is None:
                return None
            total += Decimal(digits.replace(",", "")) * scale
        return total
    if token[0].isascii():
        return _english_value(token)
    return _chinese_value(token)


def format_number(value: Decimal) -> str:
    """Plain ASCII digits: integer form when integral, else the shortest decimal."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


class _CharNfkcTable(dict[int, str]):
    """``str.translate`` table from each character to its own NFKC form, filled on first
    sight of the character, so that a text is normalised character by character in C."""

    def __missing__(self, code: int) -> str:
        value = self[code] = unicodedata.normalize("NFKC", chr(code))
        return value


_CHAR_NFKC = _CharNfkcTable()


def matching_view(text: str) -> tuple[str, list[int]]:
    """NFKC + Simplified copy of ``text`` for pattern matching, with, for each of its
    characters, the index of the original character it came from (to quote verbatim)."""
    if unicodedata.is_normalized("NFKC", text):  # the common case: no width folding needed
        view = to_simplified(text)
        if len(view) == len(text):
            return view, range(len(text))  # type: ignore[return-value]
    nfkc = text.translate(_CHAR_NFKC)  # each character on its own: owners stay exact
    if len(nfkc) == len(text):  # NFKC maps no character to nothing: one character each
        owners = list(range(len(text)))
    else:
        owners = [i for i, ch in enumerate(text) for _ in _CHAR_NFKC[ord(ch)]]
    view = to_simplified(nfkc)
    if len(view) != len(nfkc):  # a phrase conversion changed length: go char by char
        view = "".join(s if len(s := to_simplified(c)) == 1 else c for c in nfkc)
    return view, owners


# A lone Chinese digit is only a quantity before one of these (measure words, 次, 小时…):
# 一项 and 一方 stay as they are.
_MEASURE = set("个名枚发人艘架辆颗门吨年月日次天周倍岁") | {"小时"}


def _worth_rewriting(token: str, following: str) -> bool:
    if token[0] in _ZH_DIGITS + "十百千万亿" and (len(token) == 1 or token[0] in "百千万亿"):
        return following[:1] in _MEASURE or following[:2] in _MEASURE
    return token.lower() != "one"  # "no one", "one of them"


def _is_plain(token: str) -> bool:
    """Already ASCII digits (years, dates, ids)? ``isdigit`` answers most, cheaper."""
    return (token.isascii() and token.isdigit()) or _PLAIN.fullmatch(token) is not None


def _rewrite_numbers(text: str) -> str:
    view, owners = matching_view(text)
    as_viewed = view == text  # then a number in plain digits is already as wanted
    out, last = [], 0
    for m in _NUMBER_RE.finditer(view):
        token = m.group()
        plain = _is_plain(token)
        if plain and as_viewed:
            continue
        start, end = m.span()
        if (start and owners[start] == owners[start - 1]) or (
            end < len(view) and owners[end] == owners[end - 1]
        ):
            continue  # the match cuts through the expansion of one original character
        if plain:
            new = token  # years, dates, ids: already digits (now ASCII)
        elif not _worth_rewriting(token, view[end:]) or (value := number_value(token)) is None:
            continue
        else:
            new = format_number(value)
        first, after = owners[start], owners[end - 1] + 1
        if text[first:after] != new:  # most numbers are already as wanted: leave them be
            out += [text[last:first], new]
            last = after
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def normalise_numbers(text: str) -> str:
    """Every number as ASCII digits of its value, so 六千七百, 6,700 and 6.7k look alike.

    Vague amounts (上万, 数百万) are left alone: they are not one number.
    """
    return _fixpoint(_rewrite_numbers, text)


def matching_text(text: str) -> str:
    """Numbers rewritten, then width, script, case and punctuation folded, until stable.

    Folding can reveal a number ("¼K" becomes "1 4k"), so both steps repeat together;
    one loop over both is cheaper than running each to its own fixpoint.
    """
    for _ in range(10):  # _fixpoint, written out: this runs for every claim
        folded = _fold(_rewrite_numbers(text))
        if folded == text:
            break
        text = folded
    return text
